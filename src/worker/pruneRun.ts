// One pruning run for the worker: the same batches, random streams and schedule as
// core/job.ts's runPruneJob (what the CLI runs; a test checks they give the same masks), but
// every round hands out the flat mask and scores, which the path recorder and the live charts
// need. Frees every tensor it makes, also when aborted.
import { batchesOf, type ArrayData } from '../core/job';
import { disposeMap, toParamMap, type ParamMap, type StateDict } from '../core/models/state';
import type { Model } from '../core/models/types';
import { makePruner } from '../core/pruners';
import type { Scope } from '../core/pruners/masking';
import { prune, type RoundInfo } from '../core/pruners/schedule';
import { Rng } from '../core/rng';
import { tf } from '../core/tf';
import { nextTask } from './yield';

export interface RoundView {
  info: RoundInfo;
  /** Flat 0/1 mask after the round (model order, tfjs layout). */
  mask(): Promise<Float32Array>;
  /** Flat scores of the round. */
  scores(): Promise<Float32Array>;
}

export interface PruneRunInput {
  model: Model;
  stateDict: StateDict;
  method: string;
  density: number;
  rounds: number;
  scope: Scope;
  seed: number;
  lossData?: ArrayData;
  subsetData?: ArrayData;
  batchSize: number;
  signal?: AbortSignal;
  onRound?: (round: RoundView) => void | Promise<void>;
}

export interface PruneRunResult {
  /** Final flat 0/1 mask. */
  mask: Uint8Array;
  rounds: RoundInfo[];
  kept: number;
  total: number;
  meta: Record<string, number | string>;
}

/** Flat concatenation of per-layer tensors (model order) as one host array. */
export async function readFlat(model: Model, m: ParamMap): Promise<Float32Array> {
  const flat = tf.tidy(() => tf.concat(model.prunable.map((l) => tf.reshape(m[l.weight], [-1]))));
  try {
    return (await flat.data()) as Float32Array;
  } finally {
    flat.dispose();
  }
}

/** Per-layer mask tensors (tfjs layout) from a flat mask; the caller disposes them. */
export function maskTensors(model: Model, mask: Uint8Array | Float32Array): ParamMap {
  const out: ParamMap = {};
  let off = 0;
  for (const l of model.prunable) {
    out[l.weight] = tf.tensor(Float32Array.from(mask.subarray(off, off + l.numel)), l.shape);
    off += l.numel;
  }
  return out;
}

export async function pruneRun(job: PruneRunInput): Promise<PruneRunResult> {
  const { model } = job;
  const pruner = makePruner(job.method);
  if (pruner.data === 'loss-batches' && !job.lossData) throw new Error(`${job.method} needs data`);
  if (pruner.data === 'subset' && !job.subsetData) throw new Error(`${job.method} needs the class-balanced subset`);
  const lossBatches = pruner.data === 'loss-batches' ? batchesOf(job.lossData!, job.batchSize, pruner.batchLimit ?? 1) : [];
  const subsetBatches = pruner.data === 'subset' ? batchesOf(job.subsetData!, job.batchSize, Infinity) : [];
  const params = toParamMap(model, job.stateDict);
  try {
    const res = await prune(
      pruner,
      { model, params, lossBatches, subsetBatches, rng: Rng.derive(job.seed, `score:${job.method}`) },
      {
        density: job.density,
        rounds: job.rounds,
        scope: job.scope,
        signal: job.signal,
        onRound: async (info, masks, scores) => {
          // a cancel (a message) can only arrive between tasks: give it one every round, before
          // the round is reported (so a cancelled request reports nothing more)
          await nextTask();
          await job.onRound?.({ info, mask: () => readFlat(model, masks), scores: () => readFlat(model, scores) });
        },
      },
    );
    const flat = await readFlat(model, res.masks);
    disposeMap(res.masks);
    disposeMap(res.scores);
    const mask = Uint8Array.from(flat, (v) => (v !== 0 ? 1 : 0));
    const last = res.rounds[res.rounds.length - 1];
    return { mask, rounds: res.rounds, kept: last.kept, total: last.total, meta: last.meta ?? {} };
  } finally {
    disposeMap(params);
    for (const b of [...lossBatches, ...subsetBatches]) {
      b.x.dispose();
      b.y.dispose();
    }
  }
}
