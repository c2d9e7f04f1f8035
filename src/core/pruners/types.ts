// One interface for every pruning method (Synaptic-Flow's `score()` design): a pruner turns the
// current masked network into one score per prunable weight; masking and scheduling are shared.
import type { Rng } from '../rng';
import type { Tensor1D, Tensor4D } from '../tf';
import type { Model } from '../models/types';
import type { ParamMap } from '../models/state';

import type { MethodId } from '../../shared/methods';

export interface Batch {
  /** NHWC inputs. */
  x: Tensor4D;
  /** int32 labels. */
  y: Tensor1D;
}

export interface ScoreInput {
  model: Model;
  /** Original parameters (tfjs layout), never modified by a pruner. */
  params: ParamMap;
  /** Current 0/1 masks keyed by weight name. */
  masks: ParamMap;
  /** Batches for loss-based methods (SNIP, GraSP, NTK-SAP, PX 2024): the official `batch_limit` batches. */
  lossBatches: Batch[];
  /** The class-balanced subset in batches (PX). */
  subsetBatches: Batch[];
  rng: Rng;
  round: number;
  /** Density (fraction kept) this round prunes to; the layer-wise baselines (ERK, uniform) size
   * their layers from it. prune() always sets it. */
  density?: number;
}

export interface ScoreOutput {
  /** One score tensor per prunable weight (tfjs layout), owned by the caller. */
  scores: ParamMap;
  /** Facts about the scores, e.g. PX's log scale factor. */
  meta?: Record<string, number | string>;
}

export interface Pruner {
  /** Its row in src/shared/methods.ts (label, description, colour, memory factor). */
  readonly method: MethodId;
  /** Which data the method reads. */
  readonly data: 'none' | 'loss-batches' | 'subset' | 'input-shape';
  /** Batches of the loss data the method reads (the official `batch_limit`; default 1). */
  readonly batchLimit?: number;
  /** Async so that backends whose reads are asynchronous (WebGPU, WebGL) never block. */
  score(input: ScoreInput): Promise<ScoreOutput>;
  /** Weights the pruned network trains from when they are not the starting ones (IMP rewound to
   * iteration j > 0: the ticket is mask + these); owned by the pruner. */
  ticketWeights?(): ParamMap | null;
  /** Frees what the pruner kept across rounds. */
  dispose?(): void;
}

/** Settings of a method beyond the shared schedule. */
export interface PrunerOptions {
  /** IMP's rewind point j in training steps (default 0: the initial weights). */
  impRewind?: number;
}
