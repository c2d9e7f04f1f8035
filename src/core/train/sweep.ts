// One cell of a sweep (method × density × seed, or dense): initialise from the cell's seed (so
// every method of a seed starts from the same weights), prune on the training split exactly as
// `px-lab prune` does, train with the plan's recipe, evaluate. The CLI's --cell and the worker
// both run this.
import type { LabDataset } from '../data/dataset';
import { NORMALIZATION } from '../data/normalization';
import { pruneExamples } from '../examples';
import { runPruneJob } from '../job';
import { initStateDict, type StateDict } from '../models/state';
import type { Model } from '../models/types';
import type { RoundInfo } from '../pruners/schedule';
import { augmentationOf } from '../../shared/datasets';
import { roundsFor } from '../../shared/methods';
import type { EpochLog, StepLog, SweepCell, SweepCellResult, SweepPlan } from '../../shared/train';
import { planId } from '../../shared/sweep';
import { datasetSource } from './data';
import { runTrainJob } from './trainer';
import type { JobAugmentation, TrainJob } from './types';

/** The dataset's augmentation, padded per channel with the normalised value of a black pixel (the
 * crop's zero padding before Normalize). */
export function augmentationFor(datasetName: string, channels: number): JobAugmentation {
  const s = (NORMALIZATION as Record<string, { mean: readonly number[]; std: readonly number[] }>)[datasetName];
  const fill = s
    ? Array.from({ length: channels }, (_, c) => -s.mean[c % s.mean.length] / s.std[c % s.std.length])
    : new Array(channels).fill(0);
  return { fill, ...augmentationOf(datasetName) };
}

export interface SweepCellJob {
  plan: SweepPlan;
  cell: SweepCell;
  model: Model;
  /** The plan's dataset, opened for the model. */
  dataset: LabDataset;
  backend: string;
  /** Start from these weights instead of the seeded initialisation (imported or pretrained). */
  initial?: StateDict;
  signal?: AbortSignal;
  onRound?: (r: RoundInfo) => void | Promise<void>;
  onStep?: (s: StepLog) => void | Promise<void>;
  onEpoch?: (e: EpochLog) => void | Promise<void>;
  /** Passed to runTrainJob (live accuracy curves; see TrainJob.evalEvery). */
  evalEvery?: number;
  onEval?: TrainJob['onEval'];
}

/** A cell's masks and kept count, pruned as the plan says (its scope, rounds of both kinds,
 * examples and batch: the page's pruning settings); null for the dense cell. */
export async function pruneCell(
  job: Pick<SweepCellJob, 'plan' | 'cell' | 'model' | 'dataset' | 'signal' | 'onRound'>,
  init: StateDict,
): Promise<{ masks: Map<string, Float32Array>; kept: number; weights?: StateDict } | null> {
  const { plan, cell, model, dataset } = job;
  if (cell.method === 'dense') return null;
  const inputs = pruneExamples(dataset, cell.method, {
    seed: cell.seed,
    examplesPerClass: plan.examplesPerClass,
    batchSize: plan.pruneBatchSize,
  });
  const res = await runPruneJob({
    model,
    stateDict: init,
    method: cell.method,
    density: cell.density,
    rounds: roundsFor(plan, cell.method),
    scope: plan.scope,
    seed: cell.seed,
    lossData: inputs.lossData,
    subsetData: inputs.subsetData,
    batchSize: plan.pruneBatchSize,
    invert: plan.ablation === 'invert-scores',
    impRewind: cell.method === 'imp' ? plan.impRewind : undefined,
    signal: job.signal,
    onRound: job.onRound,
  });
  return { masks: res.masks, kept: res.kept, weights: res.weights };
}

export async function runSweepCell(job: SweepCellJob): Promise<SweepCellResult> {
  const { plan, cell, model, dataset } = job;
  const init = job.initial ?? initStateDict(model, cell.seed);
  const total = model.prunable.reduce((a, l) => a + l.numel, 0);
  const t0 = performance.now();
  const pruned = await pruneCell(job, init);
  const masks = pruned?.masks;
  const kept = pruned?.kept ?? total;
  const pruneSeconds = (performance.now() - t0) / 1000;
  const trained = await runTrainJob({
    model,
    // an IMP ticket rewound to iteration j > 0 trains from θ_j (pruners/imp.ts), every other cell from init
    stateDict: pruned?.weights ?? init,
    masks,
    train: datasetSource(dataset, 'train'),
    test: datasetSource(dataset, 'test'),
    recipe: { ...plan.recipe, seed: cell.seed },
    ablation: cell.method === 'dense' && plan.ablation === 'reshuffle-masks' ? 'none' : plan.ablation,
    augmentation: augmentationFor(dataset.name, model.input[0]),
    signal: job.signal,
    onStep: job.onStep,
    onEpoch: job.onEpoch,
    evalEvery: job.evalEvery,
    onEval: job.onEval,
  });
  const last = trained.epochs[trained.epochs.length - 1];
  return {
    planId: planId(plan),
    cell,
    kept,
    total,
    testAccuracy: trained.final?.accuracy ?? NaN,
    testLoss: trained.final?.loss ?? NaN,
    trainLoss: last?.trainLoss ?? NaN,
    epochs: trained.epochs,
    pruneSeconds,
    trainSeconds: trained.seconds,
    backend: job.backend,
  };
}
