// The examples a request reads: core/examples.ts requestExamples, the rule `px-lab prune` uses
// (so the same configuration gives the same numbers in the browser and on the command line),
// for all the request's methods at once; and how the worker opens a dataset by name.
import type { LabDataset } from '../core/data/dataset';
import { openSynthetic } from '../core/data/registry';
import { lossBatchCount as lossBatchesOf, requestExamples, type RequestExamples } from '../core/examples';
import type { Model } from '../core/models/types';
import type { RunConfig } from '../shared/config';
import type { DatasetName } from '../shared/datasets';

/** Opens a dataset by name for a model (the browser fetches /data/…, Node reads files). */
export type DatasetOpener = (name: DatasetName, model: Model, seed: number) => Promise<LabDataset>;

/** Synthetic data only (Node tests, or before the bundled datasets are available). */
export const openSyntheticOnly: DatasetOpener = async (name, model, seed) => {
  if (name !== 'synthetic') throw new Error(`dataset "${name}" is not available here (only synthetic)`);
  return openSynthetic({ shape: model.input, classes: model.classes, seed });
};

export type RequestData = RequestExamples;

/** Batches of the loss loader a request's methods read at most (the official batch_limit). */
export function lossBatchCount(cfg: Pick<RunConfig, 'methods'>): number {
  return lossBatchesOf(cfg.methods);
}

export function requestData(ds: LabDataset, cfg: RunConfig): RequestData {
  return requestExamples(ds, cfg);
}
