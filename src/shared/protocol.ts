// The protocol between the page and the compute worker: one typed request, one streamed event
// union, the result payloads and the worker's API (exposed with comlink). Plain data only (it is
// structured-cloned), no tfjs here: the page imports this file, never the worker's code.
import { DENSITY_GRID, MIN_DENSITY, type RunConfig } from './config';
import { type DatasetName } from './datasets';
import { type MethodId } from './methods';
import { type ModelName } from './models';
import type { EpochLog, SweepCell, SweepCellResult, SweepPlan } from './train';
import type { ErrorCode, RequestEnd } from './requestEnd';

export * from './backendInfo';
import type { BackendInfo, BackendName } from './backendInfo';

// ---------------------------------------------------------------------------------------------
// Requests

/** One run: the page's configuration plus an id (increasing; a newer id supersedes older ones). */
export interface RunRequest {
  id: number;
  config: RunConfig;
}

/** Where a mask comes from: read off the recorded pruning path, or an exact run to the density. */
export type MaskOrigin = 'path' | 'exact';

/** What a round belongs to: recording the pruning path down to its floor, or the exact run. */
export type RunPhase = 'path' | 'exact';

/**
 * Densities the pruning path covers: iterative methods record their path down to the lowest
 * density of the slider's grid; one-shot methods (one round) down to MIN_DENSITY, where the
 * path-derived mask is exact at every density.
 */
export const PATH_FLOOR_DENSITY = Math.min(...DENSITY_GRID);
export const ONE_SHOT_PATH_FLOOR_DENSITY = MIN_DENSITY;

// ---------------------------------------------------------------------------------------------
// Payloads

export interface LayerInfo {
  /** Prunable weight name ("blocks.3.conv1.weight"). */
  name: string;
  kind: 'conv' | 'linear';
  numel: number;
  /** Output units: conv channels or neurons. */
  outUnits: number;
  inUnits: number;
}

export interface ModelInfo {
  name: ModelName;
  /** "ResNet-20 (width 16), 3×32×32 → 10". */
  label: string;
  /** All parameters (state_dict entries). */
  params: number;
  /** Prunable weights. */
  prunable: number;
  input: [number, number, number];
  classes: number;
  /** Prunable layers in the official global order; per-layer arrays in events follow it. */
  layers: LayerInfo[];
}

/** Memory needed by a request, from shapes only, before anything is allocated. */
export interface MemoryEstimate {
  bytes: number;
  /** What the chosen backend can take. */
  budgetBytes: number;
  /** Bytes per part: "parameters", "activations", "ntk", "path", … */
  parts: Record<string, number>;
  fits: boolean;
  /** When it does not fit: what to change ("batch size 32 or less", "fewer NTK samples"). */
  suggestion?: string;
}

/** Empirical NTK spectrum (eigenvalues descending). */
export interface NtkSpectrum {
  eigenvalues: number[];
  trace: number;
  /** λmax / λmin (Infinity when λmin ≤ 0). */
  condition: number;
  /** Trace contributed by each prunable layer (model order), when the metrics give it. */
  traceByLayer?: number[];
  /** Inputs the kernel was computed on. */
  samples: number;
  ms: number;
}

/** One row of the per-layer table. Fields after `collapsed` come from the metrics when present. */
export interface LayerRow {
  name: string;
  numel: number;
  kept: number;
  /** kept / numel. */
  density: number;
  outUnits: number;
  /** Output units with at least one kept weight. */
  width: number;
  /** No kept weight at all, or no output unit alive: the network is cut here. */
  collapsed: boolean;
  /** Output units alive and reached from the input and the output (when known). */
  effectiveWidth?: number;
  /** Kept weights on no input→output path (when known). */
  disconnected?: number;
  /** Density counting only weights on an input→output path (when known). */
  effectiveDensity?: number;
  /** FLOPs (2 × multiply-accumulates) of one forward pass per input with this mask. */
  flops?: number;
  denseFlops?: number;
}

/** The numbers the page's results table needs, per method. */
export interface MethodSummary {
  method: MethodId;
  source: MaskOrigin;
  /** An exact run replaces this path-derived result later in the same request. */
  exactPending: boolean;
  /** Served from the result cache. */
  cached: boolean;
  /** Target density of the request. */
  density: number;
  rounds: number;
  kept: number;
  total: number;
  /** kept / total. */
  keptFraction: number;
  /** Fraction of weights on an input→output path (when the metrics give it). */
  effectiveDensity?: number;
  /** Pruned NTK trace over the dense one (when both are known). */
  ntkTraceRatio?: number;
  /** Pruned NTK condition number (when known). */
  condition?: number;
  flops?: number;
  denseFlops?: number;
  /** Layers cut (no weight or no unit left). */
  collapsedLayers: number;
  /** No input→output path of kept weights survives (when the metrics give it). */
  disconnected?: boolean;
  /** Compute time of this result, ms (0 when read off the path or the cache). */
  ms: number;
}

export interface RunSummary {
  requestId: number;
  config: RunConfig;
  backend: BackendName;
  dataset: string;
  dense: NtkSpectrum | null;
  /** Final result per method (exact where an exact run was needed), in request order. */
  methods: MethodSummary[];
  ms: number;
}

/** A final mask in PyTorch layout (`<module>.weight_mask`, torch shape), for downloads. */
export interface MaskArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

export type { ErrorCode } from './requestEnd';

// ---------------------------------------------------------------------------------------------
// Events (streamed, in this order for a request:
//   backend, start, ntk-dense?, then per method [method-start, round*, layers, ntk?, result]
//   (path phase first for every method, then the exact runs), then `end` (done | cancelled | error))

export type RunEvent =
  | {
      type: 'backend';
      requestId: number;
      info: BackendInfo;
      /** Time the request waited for the worker to start and its backend to be chosen (0 once running). */
      waitedMs?: number;
    }
  | {
      type: 'start';
      requestId: number;
      model: ModelInfo;
      /** Dataset label with provenance. */
      dataset: string;
      datasetName: DatasetName;
      backend: BackendName;
      estimate: MemoryEstimate;
      methods: MethodId[];
      /** Training-split indices PX scores on (class-balanced subset) and SNIP/GraSP/NTK-SAP's batch. */
      subsetIndices: number[];
      lossIndices: number[];
      /** Time spent opening the request's data, inputs and weights (near 0 when cached). */
      dataMs: number;
    }
  | {
      type: 'method-start';
      requestId: number;
      method: MethodId;
      phase: RunPhase;
      rounds: number;
      /** Density this phase prunes to (the path floor, or the requested density). */
      density: number;
    }
  | {
      type: 'round';
      requestId: number;
      method: MethodId;
      phase: RunPhase;
      /** 1-based. */
      round: number;
      rounds: number;
      /** Target density of this round. */
      density: number;
      kept: number;
      total: number;
      /** Per prunable layer (ModelInfo.layers order). */
      keptPerLayer: number[];
      widthPerLayer: number[];
      elapsedMs: number;
      etaMs: number;
      /** Replayed from a cache or an adopted recording: computed earlier, took no time now. */
      replay?: true;
    }
  /** `replay`: the dense NTK came from a cache (its `ms` is the original computation's). */
  | { type: 'ntk-dense'; requestId: number; ntk: NtkSpectrum; replay?: true }
  | {
      type: 'ntk';
      requestId: number;
      method: MethodId;
      source: MaskOrigin;
      /** 1-based round along an exact run, or null for the final mask. */
      round: number | null;
      density: number;
      ntk: NtkSpectrum;
      /** Replayed from a cache: computed earlier, took no time now. */
      replay?: true;
    }
  | {
      type: 'layers';
      requestId: number;
      method: MethodId;
      source: MaskOrigin;
      density: number;
      rows: LayerRow[];
      /** Time spent on this table (the path analysis: a forward and backward pass); 0 when replayed. */
      ms: number;
    }
  | { type: 'result'; requestId: number; summary: MethodSummary }
  | RequestEnd<{ summary: RunSummary }, { estimate?: MemoryEstimate }>
  | { type: 'notice'; requestId: number | null; level: 'info' | 'warning'; message: string };

// ---------------------------------------------------------------------------------------------
// Training (the Train section) and sweeps (the Sweep panel). Independent of pruning runs: a new
// training or sweep request supersedes the previous training or sweep, never a pruning run.

/**
 * A training request: a sweep plan (the format of `px-lab sweep --plan`) whose cells the worker
 * runs one after the other with the CLI's own cell function, so page and CLI give the same
 * numbers. The Train section sends a plan of one density and one seed (each chosen method, then
 * dense: every line from the same initial weights); the Sweep panel its whole grid.
 */
export interface TrainRequest {
  id: number;
  kind: 'train' | 'sweep';
  plan: SweepPlan;
  /** Cell indices already finished (kept in IndexedDB): not run again. */
  skip: number[];
}

/** One trained line's final numbers; for a sweep cell, `cell` is the plan's cell. */
export type TrainResult = SweepCellResult;

/** One point of a live curve: the loss of the step (before its update), at 1-based `step`. */
export interface StepPoint {
  step: number;
  loss: number;
  lr: number;
}

export type TrainEvent =
  | {
      type: 'train-start';
      requestId: number;
      kind: 'train' | 'sweep';
      model: ModelInfo;
      dataset: string;
      backend: BackendName;
      /** Every cell of the plan (a Train line is a cell: method, or 'dense'). */
      cells: SweepCell[];
      /** Indices of the cells this request runs (the others were done before). */
      toRun: number[];
      /** Optimiser steps each cell trains. */
      stepsPerCell: number;
      stepsPerEpoch: number;
      trainSize: number;
      testSize: number;
    }
  /** A cell starts pruning (rounds > 0) or, for dense, training at once. */
  | { type: 'cell-start'; requestId: number; cell: SweepCell; rounds: number }
  | { type: 'prune-round'; requestId: number; cell: SweepCell; round: number; rounds: number; density: number }
  /** Steps since the last event (at most a few per second), with the run's progress and ETA. */
  | {
      type: 'train-steps';
      requestId: number;
      cell: SweepCell;
      points: StepPoint[];
      epoch: number;
      progress: number;
      etaMs: number;
      msPerStep: number;
    }
  | { type: 'train-eval'; requestId: number; cell: SweepCell; step: number; epoch: number; testAccuracy: number; testLoss: number }
  | { type: 'train-epoch'; requestId: number; cell: SweepCell; log: EpochLog }
  /** A cell finished (a sweep cell: store it; a Train line: its row of the table). */
  | { type: 'cell-done'; requestId: number; result: TrainResult }
  /** A cell failed (it diverged): no result, not stored; the request goes on with the next cell. */
  | { type: 'cell-failed'; requestId: number; cell: SweepCell; code: ErrorCode; message: string }
  | RequestEnd<{ results: TrainResult[]; ms: number }>
  | { type: 'notice'; requestId: number | null; level: 'info' | 'warning'; message: string };

export type TrainEventType = TrainEvent['type'];
