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
import { ITERATIVE_METHODS, type MethodId } from '../../shared/config';
import type { EpochLog, StepLog, SweepCell, SweepCellResult, SweepPlan } from '../../shared/train';
import { planId } from '../../shared/sweep';
import { datasetSource } from './data';
import { runTrainJob } from './trainer';
import type { TrainJob } from './types';

/** Per channel, the normalised value of a black pixel (the crop's zero padding before Normalize). */
export function blackPixel(datasetName: string, channels: number): number[] {
  const s = (NORMALIZATION as Record<string, { mean: readonly number[]; std: readonly number[] }>)[datasetName];
  if (!s) return new Array(channels).fill(0);
  return Array.from({ length: channels }, (_, c) => -s.mean[c % s.mean.length] / s.std[c % s.std.length]);
}

/** Pruning rounds of a method in a plan: iterative methods use plan.rounds, one-shot ones 1. */
export function roundsOf(plan: Pick<SweepPlan, 'rounds'>, method: string): number {
  return ITERATIVE_METHODS.includes(method as MethodId) ? plan.rounds : 1;
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

export async function runSweepCell(job: SweepCellJob): Promise<SweepCellResult> {
  const { plan, cell, model, dataset } = job;
  const init = job.initial ?? initStateDict(model, cell.seed);
  const total = model.prunable.reduce((a, l) => a + l.numel, 0);
  let masks: Map<string, Float32Array> | undefined;
  let kept = total;
  const t0 = performance.now();
  if (cell.method !== 'dense') {
    const inputs = pruneExamples(dataset, cell.method, { seed: cell.seed, examplesPerClass: plan.examplesPerClass, batchSize: plan.pruneBatchSize });
    const res = await runPruneJob({
      model,
      stateDict: init,
      method: cell.method,
      density: cell.density,
      rounds: roundsOf(plan, cell.method),
      scope: 'global',
      seed: cell.seed,
      lossData: inputs.lossData,
      subsetData: inputs.subsetData,
      batchSize: plan.pruneBatchSize,
      signal: job.signal,
      onRound: job.onRound,
    });
    masks = res.masks;
    kept = res.kept;
  }
  const pruneSeconds = (performance.now() - t0) / 1000;
  const trained = await runTrainJob({
    model,
    stateDict: init,
    masks,
    train: datasetSource(dataset, 'train'),
    test: datasetSource(dataset, 'test'),
    recipe: { ...plan.recipe, seed: cell.seed },
    ablation: cell.method === 'dense' && plan.ablation === 'reshuffle-masks' ? 'none' : plan.ablation,
    augmentPad: blackPixel(dataset.name, model.input[0]),
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
