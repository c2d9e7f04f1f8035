// Training from plain arrays (PyTorch layout in and out): what the CLI, the worker and the tests
// call. Epochs of seeded-shuffled batches (or exactly `steps` batches), optional augmentation,
// the LR schedule per step, evaluation after every epoch. Frees everything it allocates.
import { throwIfAborted } from '../abort';
import { uploadMasks } from '../metrics/arrays';
import { nchwTensor } from '../models/input';
import { disposeMap, paramInfo, tfToTorch, toParamMap, type ParamMap, type StateDict } from '../models/state';
import type { Model } from '../models/types';
import { Rng } from '../rng';
import { tf, type Tensor1D } from '../tf';
import { learningRate, TrainRecipeSchema, type EpochLog, type TrainRecipe } from '../../shared/train';
import { applyAblation } from './ablation';
import { DivergedError, paramsFinite } from './diverged';
import { augmentBatch, epochOrder, stepsPerEpoch, toSource } from './data';
import { evaluateParams } from './evaluate';
import { Sgd } from './sgd';
import { trainStep, type TrainState } from './step';
import type { EvalResult, IndexedExamples, MaskMap, TrainData, TrainJob, TrainResult } from './types';

function checkSource(model: Model, src: IndexedExamples, what: string): void {
  const [c, h, w] = src.shape;
  if (c !== model.input[0] || h !== model.input[1] || w !== model.input[2])
    throw new Error(`${what}: inputs are ${c}×${h}×${w}, ${model.label} needs ${model.input.join('×')}`);
  if (src.count < 1) throw new Error(`${what}: no examples`);
}

/** Mask tensors (tfjs layout) for the prunable weights, checked; the caller disposes them. */
export const maskParamMap: (model: Model, masks: MaskMap) => ParamMap = uploadMasks;

/** Read every model entry back in PyTorch layout. */
export async function readStateDict(model: Model, params: ParamMap): Promise<StateDict> {
  const sd: StateDict = new Map();
  for (const p of model.params) sd.set(p.name, tfToTorch(paramInfo(model, p.name), (await params[p.name].data()) as Float32Array));
  return sd;
}

/** Total optimiser steps of a recipe on `n` training examples. */
export function totalSteps(recipe: Pick<TrainRecipe, 'epochs' | 'steps' | 'batchSize'>, n: number): number {
  return recipe.steps ?? recipe.epochs * stepsPerEpoch(n, recipe.batchSize);
}

/** Test accuracy and mean loss of a state (eval mode). */
export async function evaluate(
  model: Model,
  stateDict: StateDict,
  masks: MaskMap | null | undefined,
  data: TrainData,
  batchSize = 1000,
): Promise<EvalResult> {
  const params = toParamMap(model, stateDict);
  const m = masks ? maskParamMap(model, masks) : null;
  try {
    return await evaluateParams(model, params, m, data, batchSize);
  } finally {
    disposeMap(params);
    if (m) disposeMap(m);
  }
}

/** Test accuracy and loss of the state being trained; a non-finite test loss is a divergence. */
async function evaluateFinite(
  model: Model,
  state: TrainState,
  test: IndexedExamples,
  recipe: TrainRecipe,
  signal: AbortSignal | undefined,
  step: number,
  total: number,
  lr: number,
): Promise<EvalResult> {
  const e = await evaluateParams(model, state.params, state.masks, test, recipe.evalBatchSize, signal);
  if (!Number.isFinite(e.loss)) throw new DivergedError(step, `the test loss is ${e.loss}`, { steps: total, lr });
  return e;
}

export async function runTrainJob(job: TrainJob): Promise<TrainResult> {
  const { model } = job;
  const recipe = TrainRecipeSchema.parse(job.recipe);
  const train = toSource(job.train);
  checkSource(model, train, 'training data');
  const test = job.test ? toSource(job.test) : null;
  if (test) checkSource(model, test, 'test data');
  const { stateDict, masks } = applyAblation(model, job.stateDict, job.masks, job.ablation ?? 'none', recipe.seed);
  const perEpoch = stepsPerEpoch(train.count, recipe.batchSize);
  const total = totalSteps(recipe, train.count);
  const state: TrainState = { params: toParamMap(model, stateDict), masks: masks ? maskParamMap(model, masks) : null, tune: job.tune };
  const sgd = new Sgd(recipe);
  const losses: number[] = [];
  const epochs: EpochLog[] = [];
  const t0 = performance.now();
  let final: EvalResult | null = null;
  try {
    if (test && job.onEval && job.evalEvery) {
      const e = await evaluateParams(model, state.params, state.masks, test, recipe.evalBatchSize, job.signal);
      await job.onEval({ step: 0, epoch: 0, accuracy: e.accuracy, loss: e.loss });
    }
    for (let epoch = 0; losses.length < total; epoch++) {
      const order = epochOrder(train.count, recipe.shuffle, recipe.seed, epoch);
      const augRng = Rng.derive(recipe.seed, `augment:${epoch}`);
      const first = losses.length;
      let lr = recipe.lr;
      for (let s = 0; s < perEpoch && losses.length < total; s++) {
        throwIfAborted(job.signal);
        const b = train.batch(order.subarray(s * recipe.batchSize, Math.min(train.count, (s + 1) * recipe.batchSize)));
        if (recipe.augment) augmentBatch(b.x, b.shape, augRng, job.augmentation);
        const x = nchwTensor(b.x, b.shape);
        const y = tf.tensor1d(b.y, 'int32') as Tensor1D;
        lr = learningRate(recipe, losses.length, total);
        let loss: number;
        try {
          loss = await trainStep(model, state, sgd, x, y, lr);
        } finally {
          x.dispose();
          y.dispose();
        }
        if (!Number.isFinite(loss)) throw new DivergedError(losses.length + 1, `the loss is ${loss}`, { steps: total, lr });
        losses.push(loss);
        await job.onStep?.({ step: losses.length - 1, epoch, loss, lr });
        if (test && job.onEval && job.evalEvery && losses.length % job.evalEvery === 0 && s + 1 < perEpoch && losses.length < total) {
          const e = await evaluateFinite(model, state, test, recipe, job.signal, losses.length, total, lr);
          await job.onEval({ step: losses.length, epoch, accuracy: e.accuracy, loss: e.loss });
        }
      }
      // the last update of an epoch can go non-finite after a finite loss: checked before evaluating
      if (!(await paramsFinite(state.params)))
        throw new DivergedError(losses.length, 'a parameter is not finite after the update', { steps: total, lr });
      final = test ? await evaluateFinite(model, state, test, recipe, job.signal, losses.length, total, lr) : null;
      const done = losses.slice(first);
      const log: EpochLog = {
        epoch,
        step: losses.length,
        lr,
        trainLoss: done.reduce((a, v) => a + v, 0) / done.length,
        testAccuracy: final?.accuracy ?? null,
        testLoss: final?.loss ?? null,
        seconds: (performance.now() - t0) / 1000,
      };
      if (!Number.isFinite(log.trainLoss)) throw new DivergedError(losses.length, 'the mean train loss overflows', { steps: total, lr });
      epochs.push(log);
      await job.onEpoch?.(log);
    }
    return {
      stateDict: await readStateDict(model, state.params),
      masks: masks ?? null,
      losses,
      epochs,
      steps: losses.length,
      seconds: (performance.now() - t0) / 1000,
      final: final ? { accuracy: final.accuracy, loss: final.loss } : null,
    };
  } finally {
    disposeMap(state.params);
    if (state.masks) disposeMap(state.masks);
    sgd.dispose();
  }
}
