// Which examples a pruning run and the NTK read, chosen ONE way for the CLI (`px-lab prune`,
// sweep cells, transfer), the page's worker and the tests, so the same configuration gives the
// same numbers in the browser and on the command line:
// - SNIP/GraSP/NTK-SAP (and px-2024): loss batches, the first `batchSize × batchLimit` examples of
//   a seeded shuffle of the training split (data/subset.ts lossBatchIndices);
// - PX: the class-balanced subset (first `examplesPerClass` of each class), batched by batchSize;
// - the NTK: the first `ntkSamples` examples of a seeded shuffle of the test split.
// Plus the arrays ↔ tensors plumbing: examples as plain NCHW arrays, selected by index, batched.
import type { LabDataset } from './data/dataset';
import { balancedSubset, lossBatchIndices } from './data/subset';
import { nchwTensor } from './models/input';
import { makePruner } from './pruners';
import type { Batch } from './pruners/types';
import { Rng } from './rng';
import { tf, type Tensor1D } from './tf';
import type { MethodId } from '../shared/methods';

/** Examples as plain arrays (NCHW). */
export interface ArrayData {
  x: Float32Array;
  shape: [number, number, number, number];
  y: Int32Array;
}

/** Select examples of an array set (NCHW) by index. */
export function selectExamples(d: ArrayData, idx: ArrayLike<number>): ArrayData {
  const [, c, h, w] = d.shape;
  const per = c * h * w;
  const x = new Float32Array(idx.length * per);
  const y = new Int32Array(idx.length);
  for (let j = 0; j < idx.length; j++) {
    x.set(d.x.subarray(idx[j] * per, (idx[j] + 1) * per), j * per);
    y[j] = d.y[idx[j]];
  }
  return { x, y, shape: [idx.length, c, h, w] };
}

/** Consecutive batches of `batchSize` examples (at most `limit` of them) as tensors (NHWC); the caller disposes them. */
export function tensorBatches(d: ArrayData, batchSize: number, limit: number): Batch[] {
  if (!(batchSize >= 1)) throw new Error(`batch size must be at least 1 (got ${batchSize})`);
  const [n, c, h, w] = d.shape;
  const per = c * h * w;
  const out: Batch[] = [];
  for (let s = 0; s < n && out.length < limit; s += batchSize) {
    const e = Math.min(n, s + batchSize);
    out.push({ x: nchwTensor(d.x.slice(s * per, e * per), [e - s, c, h, w]), y: tf.tensor1d(d.y.slice(s, e), 'int32') as Tensor1D });
  }
  return out;
}

/** Loss batches the methods read at most (the official batch_limit: 1, px-2024 2). */
export function lossBatchCount(methods: readonly MethodId[]): number {
  return Math.max(1, ...methods.map((m) => makePruner(m).batchLimit ?? 1));
}

/** Test-split indices of the NTK inputs: the first `ntkSamples` of a seeded shuffle. */
export function ntkInputIndices(ds: LabDataset, seed: number, ntkSamples: number): number[] {
  const n = ds.size('test');
  return Array.from(Rng.derive(seed, 'ntk-inputs').permutation(n).subarray(0, Math.min(ntkSamples, n)));
}

export interface ExampleSettings {
  seed: number;
  /** Loss batch size (and the PX subset's batch size). */
  batchSize: number;
  examplesPerClass: number;
}

export interface PruneExamples {
  lossData?: ArrayData;
  subsetData?: ArrayData;
  /** Training-split indices of the PX subset and of the loss batches (summaries list them). */
  subsetIndices: number[];
  lossIndices: number[];
}

/** The examples one method reads from the training split (`px-lab prune`, sweep cells, transfer). */
export function pruneExamples(ds: LabDataset, method: MethodId, s: ExampleSettings): PruneExamples {
  const pruner = makePruner(method);
  const labels = ds.labels('train');
  let subsetIndices: number[] = [];
  let lossIndices: number[] = [];
  if (pruner.data === 'subset') subsetIndices = balancedSubset(labels, s.examplesPerClass);
  if (pruner.data === 'loss-batches') lossIndices = lossBatchIndices(labels.length, s.seed, s.batchSize, pruner.batchLimit ?? 1);
  return {
    subsetData: subsetIndices.length ? ds.batch('train', subsetIndices) : undefined,
    lossData: lossIndices.length ? ds.batch('train', lossIndices) : undefined,
    subsetIndices,
    lossIndices,
  };
}

export interface RequestExamples {
  lossData: ArrayData;
  subsetData: ArrayData;
  ntkData: ArrayData;
  subsetIndices: number[];
  lossIndices: number[];
}

/** The examples a page request reads for all its methods at once: as many loss batches as its
 * methods read at most (a prefix of one permutation, so a one-batch method reads the first batch
 * of a two-batch request, as `px-lab prune` would), the PX subset and the NTK inputs. */
export function requestExamples(
  ds: LabDataset,
  s: ExampleSettings & { methods: readonly MethodId[]; ntkSamples: number },
): RequestExamples {
  const loss = lossBatchIndices(ds.size('train'), s.seed, s.batchSize, lossBatchCount(s.methods));
  const subset = balancedSubset(ds.labels('train'), s.examplesPerClass);
  return {
    lossData: ds.batch('train', loss),
    subsetData: ds.batch('train', subset),
    ntkData: ds.batch('test', ntkInputIndices(ds, s.seed, s.ntkSamples)),
    subsetIndices: subset,
    lossIndices: loss,
  };
}
