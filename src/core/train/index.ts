// The trainer's public API (DOM-free, every backend). Plain-data settings and sweep helpers
// (TrainRecipe, DEFAULT_RECIPE, learningRate, SweepPlan/Cell/Result, planCells, summariseSweep,
// sweepCsv) live in src/shared/train.ts, plan ids and merging in src/shared/sweep.ts, so the page
// can use them too. A non-finite loss or parameter throws DivergedError (nothing is returned).
//
//   runTrainJob({ model, stateDict, masks?, train, test?, recipe, ablation?, augmentation?, signal?, onStep?, onEpoch? })
//     → { stateDict (trained, PyTorch names/layouts incl. BN running stats), masks, losses (per step,
//         before its update), epochs (EpochLog per epoch), steps, seconds, final }
//   evaluate(model, stateDict, masks, data, batchSize?) → { accuracy, loss, count }   (eval-mode BN)
//   runSweepCell({ plan, cell, model, dataset, backend, signal?, onRound?, onStep?, onEpoch? }) → SweepCellResult
export type { IndexedExamples, TrainData, MaskMap, TrainJob, TrainResult, EvalResult } from './types';
export { DivergedError, paramsFinite } from './diverged';
export { runTrainJob, evaluate, totalSteps, maskParamMap, readStateDict } from './trainer';
export { runSweepCell, pruneCell, augmentationFor, type SweepCellJob } from './sweep';
export { arraySource, datasetSource, toSource, epochOrder, stepsPerEpoch, augmentBatch } from './data';
export { applyAblation, reshuffleMasks, reinitialised } from './ablation';
export { Sgd, type SgdOptions } from './sgd';
export {
  trainStep,
  stepLoss,
  applyStep,
  trainableNames,
  mseOneHot,
  BN_MOMENTUM,
  type TrainState,
  type StepOptions,
  type StepLoss,
} from './step';
export { evaluateParams } from './evaluate';
export {
  DEFAULT_RECIPE,
  TrainRecipeSchema,
  learningRate,
  defaultAugment,
  planCells,
  summariseSweep,
  sweepCsv,
  type TrainRecipe,
  type LrSchedule,
  type Ablation,
  type EpochLog,
  type StepLog,
  type SweepPlan,
  type SweepCell,
  type SweepCellResult,
  type SweepResult,
  type SweepMethod,
} from '../../shared/train';
