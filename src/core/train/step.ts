// One optimiser step as the official train loop does it in model.train(): masked forward with
// BatchNorm on batch statistics (running statistics updated with momentum 0.1 and the unbiased
// batch variance), nn.CrossEntropyLoss (mean), backward, SGD on every trainable parameter.
import { runningStat } from '../batchnorm';
import { StandardOps } from '../models/ops';
import type { ParamMap } from '../models/state';
import type { Model, ParamRole } from '../models/types';
import { crossEntropy } from '../pruners/common';
import { tf, type Tensor, type Tensor1D, type Tensor4D } from '../tf';
import type { Sgd } from './sgd';

/** nn.BatchNorm2d's default momentum for running statistics. */
export const BN_MOMENTUM = 0.1;

const TRAINABLE: ReadonlySet<ParamRole> = new Set(['weight', 'bias', 'bn_weight', 'bn_bias']);

/** Names of the parameters SGD updates: weights, biases, BN weight/bias (not running stats, not Identity2d). */
export function trainableNames(model: Model): string[] {
  return model.params.filter((p) => TRAINABLE.has(p.role)).map((p) => p.name);
}

/** The network being trained: every model entry (tfjs layout) and the masks (null = dense). */
export interface TrainState {
  params: ParamMap;
  masks: ParamMap | null;
  /** Fine-tuning options (transfer); absent = the official training recipe. */
  tune?: StepOptions;
}

/** How a step departs from the official training recipe (the official transfer fine-tuning). */
export interface StepOptions {
  /** 'eval': BatchNorm on running statistics, which stay as they are (the official freeze_bn_fit's model.eval()). */
  bn?: 'train' | 'eval';
  /** Entries SGD leaves as they are (the transfer head: requires_grad_(False)). */
  frozen?: readonly string[];
  /** 'mse': F.mse_loss(logits, one_hot(y)) (mean over N×classes), the official transfer loss. */
  loss?: 'cross-entropy' | 'mse';
}

/** F.mse_loss(logits, F.one_hot(y).float()): the mean over every element. */
export function mseOneHot(logits: Tensor, y: Tensor1D): tf.Scalar {
  return tf.mean(tf.square(tf.sub(logits, tf.oneHot(y, logits.shape[1] as number)))) as tf.Scalar;
}

/** The loss of one batch as a function of the trainable entries (in `names` order), and the BN
 * running statistics each call of it computes (into `running`, kept; the caller installs them). */
export interface StepLoss {
  names: string[];
  lossOf: (...ws: Tensor[]) => tf.Scalar;
  running: ParamMap;
}

export function stepLoss(model: Model, state: TrainState, x: Tensor4D, y: Tensor1D): StepLoss {
  const frozen = new Set(state.tune?.frozen ?? []);
  const names = trainableNames(model).filter((n) => !frozen.has(n));
  const bnMode = state.tune?.bn ?? 'train';
  const lossFn = state.tune?.loss === 'mse' ? mseOneHot : crossEntropy;
  const running: ParamMap = {};
  const lossOf = (...ws: Tensor[]): tf.Scalar => {
    const params: ParamMap = { ...state.params };
    names.forEach((n, i) => (params[n] = ws[i]));
    const ops = new StandardOps({
      params,
      masks: state.masks ?? undefined,
      bn: bnMode,
      firstOrder: true,
      onBatchStats: (layer, mean, variance, count) => {
        const rm = state.params[`${layer}.running_mean`];
        const rv = state.params[`${layer}.running_var`];
        const unbias = count > 1 ? count / (count - 1) : 1;
        running[`${layer}.running_mean`] = tf.keep(runningStat(rm, mean, 1 - BN_MOMENTUM, BN_MOMENTUM));
        running[`${layer}.running_var`] = tf.keep(runningStat(rv, variance, 1 - BN_MOMENTUM, BN_MOMENTUM * unbias));
      },
    });
    return lossFn(model.forward(x, ops), y);
  };
  return { names, lossOf, running };
}

/** SGD on `names` with `grads` (same order), then the new BN running statistics: replaces (and
 * frees) the updated entries of state.params. */
export function applyStep(state: TrainState, sgd: Sgd, names: string[], grads: Tensor[], running: ParamMap, lr: number): void {
  names.forEach((n, i) => {
    const old = state.params[n];
    state.params[n] = sgd.update(n, old, grads[i], lr);
    old.dispose();
  });
  for (const [n, t] of Object.entries(running)) {
    state.params[n].dispose();
    state.params[n] = t;
  }
}

/** One step on batch (x, y) at learning rate `lr`: replaces (and frees) the updated entries of
 * state.params; returns the batch loss before the update. */
export async function trainStep(model: Model, state: TrainState, sgd: Sgd, x: Tensor4D, y: Tensor1D, lr: number): Promise<number> {
  const { names, lossOf, running } = stepLoss(model, state, x, y);
  const { value, grads } = tf.valueAndGrads(lossOf)(names.map((n) => state.params[n]));
  try {
    applyStep(state, sgd, names, grads, running, lr);
    return (await value.data())[0];
  } finally {
    value.dispose();
    grads.forEach((g) => g.dispose());
  }
}
