// The trainer's public types (see index.ts for the functions).
import type { ArrayData } from '../examples';
import type { StateDict } from '../models/state';
import type { Model } from '../models/types';
import type { Ablation, EpochLog, StepLog, TrainRecipe } from '../../shared/train';
import type { Augmentation } from '../../shared/datasets';
import type { StepOptions } from './step';

export type { ArrayData, StateDict, Ablation, EpochLog, StepLog, TrainRecipe };

/** Examples fetched by index (a dataset split): avoids holding a whole split as one array. */
export interface IndexedExamples {
  count: number;
  /** [C, H, W] of one example. */
  shape: [number, number, number];
  /** NCHW inputs and labels of the given examples, in the given order. */
  batch(indices: ArrayLike<number>): ArrayData;
}

/** Training or test examples: plain arrays (NCHW) or a source fetched by index. */
export type TrainData = ArrayData | IndexedExamples;

/** 0/1 masks keyed by prunable weight name ("conv1.weight"), PyTorch layout (as ScoreJobResult.masks). */
export type MaskMap = Map<string, Float32Array>;

/** A dataset's augmentation with its padding value per channel. */
export type JobAugmentation = { fill: number[] } & Augmentation;

export interface TrainJob {
  model: Model;
  /** Initial state (PyTorch names and layouts, BN running statistics included). */
  stateDict: StateDict;
  /** Masks of the pruned network; absent = dense. The forward uses weight·mask. */
  masks?: MaskMap;
  train: TrainData;
  /** Evaluated (eval-mode BN) after every epoch when given. */
  test?: TrainData;
  recipe: TrainRecipe;
  /** Official ablations, applied to masks/weights before training (seeded by recipe.seed). */
  ablation?: Ablation;
  /** What `recipe.augment` does: the dataset's shift (and flip), padded with `fill` (per channel,
   * a black pixel after normalisation). Default: CIFAR-10's crop + flip, padded with 0. */
  augmentation?: JobAugmentation;
  /** Fine-tuning departures from the training recipe (frozen BN, frozen entries, MSE loss); absent = none. */
  tune?: StepOptions;
  signal?: AbortSignal;
  onStep?: (s: StepLog) => void | Promise<void>;
  onEpoch?: (e: EpochLog) => void | Promise<void>;
  /**
   * Also evaluate on `test` before the first step and every `evalEvery` steps inside an epoch
   * (the epoch ends are evaluated anyway), for live accuracy curves. Eval mode reads the state
   * and draws no randomness: training gives the same numbers with or without it.
   */
  evalEvery?: number;
  onEval?: (e: { step: number; epoch: number; accuracy: number; loss: number }) => void | Promise<void>;
}

export interface TrainResult {
  /** Trained state: every model entry (weights, biases, BN weight/bias/running_mean/running_var), PyTorch layout. */
  stateDict: StateDict;
  /** The masks training used (after any ablation); null for dense. */
  masks: MaskMap | null;
  /** Loss of each optimiser step, computed before its update. */
  losses: number[];
  epochs: EpochLog[];
  steps: number;
  seconds: number;
  /** Test accuracy and mean loss after training (null without test data). */
  final: { accuracy: number; loss: number } | null;
}

export interface EvalResult {
  /** Top-1 accuracy in [0, 1]. */
  accuracy: number;
  /** Mean cross-entropy. */
  loss: number;
  count: number;
}
