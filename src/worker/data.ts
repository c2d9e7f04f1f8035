// The examples a request reads, chosen exactly as the CLI does (src/cli/prune.ts), so the same
// configuration gives the same numbers in the browser and on the command line:
// - SNIP/GraSP/NTK-SAP: one seeded-shuffled batch of `batchSize` training examples; PX (2024)
//   reads the first two batches of that shuffle (its batch_limit), so a request holds as many
//   batches as its methods read at most;
// - PX: the class-balanced subset (first `examplesPerClass` of each class), batched by batchSize;
// - the NTK: the first `ntkSamples` examples of a seeded shuffle of the test split.
import type { LabDataset } from '../core/data/dataset';
import { openSynthetic } from '../core/data/registry';
import { balancedSubset } from '../core/data/subset';
import type { ArrayData } from '../core/job';
import type { Model } from '../core/models/types';
import { makePruner } from '../core/pruners';
import { Rng } from '../core/rng';
import type { DatasetName, RunConfig } from '../shared/config';

/** Opens a dataset by name for a model (the browser fetches /data/…, Node reads files). */
export type DatasetOpener = (name: DatasetName, model: Model, seed: number) => Promise<LabDataset>;

/** Synthetic data only (Node tests, or before the bundled datasets are available). */
export const openSyntheticOnly: DatasetOpener = async (name, model, seed) => {
  if (name !== 'synthetic') throw new Error(`dataset "${name}" is not available here (only synthetic)`);
  return openSynthetic({ shape: model.input, classes: model.classes, seed });
};

export interface RequestData {
  lossData: ArrayData;
  subsetData: ArrayData;
  ntkData: ArrayData;
  /** Training-split indices of the PX subset and of the loss batch (the CLI's summary lists the same). */
  subsetIndices: number[];
  lossIndices: number[];
}

/** Batches of the loss loader a request's methods read at most (the official batch_limit). */
export function lossBatchCount(cfg: Pick<RunConfig, 'methods'>): number {
  return Math.max(1, ...cfg.methods.map((m) => makePruner(m).batchLimit ?? 1));
}

export function lossIndices(ds: LabDataset, cfg: Pick<RunConfig, 'seed' | 'batchSize' | 'methods'>): number[] {
  const n = ds.size('train');
  return Array.from(Rng.derive(cfg.seed, 'loss-batch').permutation(n).subarray(0, Math.min(cfg.batchSize * lossBatchCount(cfg), n)));
}

export function ntkIndices(ds: LabDataset, cfg: Pick<RunConfig, 'seed' | 'ntkSamples'>): number[] {
  const n = ds.size('test');
  return Array.from(Rng.derive(cfg.seed, 'ntk-inputs').permutation(n).subarray(0, Math.min(cfg.ntkSamples, n)));
}

export function requestData(ds: LabDataset, cfg: RunConfig): RequestData {
  const loss = lossIndices(ds, cfg);
  const subset = balancedSubset(ds.labels('train'), cfg.examplesPerClass);
  return {
    lossData: ds.batch('train', loss),
    subsetData: ds.batch('train', subset),
    ntkData: ds.batch('test', ntkIndices(ds, cfg)),
    subsetIndices: subset,
    lossIndices: loss,
  };
}
