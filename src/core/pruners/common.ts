// Small pieces several pruners share.
import { StandardOps, type OpsOptions } from '../models/ops';
import type { ParamMap } from '../models/state';
import type { Model } from '../models/types';
import { addAll, tf, type Tensor, type Tensor1D, type Tensor2D, type Tensor4D } from '../tf';

/** Row-wise max of a matrix as a constant: no gradient, and no Max node on the tape (whose
 * gradient uses Equal, which has no gradient of its own). */
const rowMaxConstant = tf.customGrad(((...args: unknown[]) => {
  const [x] = args as [Tensor];
  return { value: tf.max(x, 1, true), gradFunc: () => tf.zerosLike(x) };
}) as never) as unknown as (x: Tensor) => Tensor;

/** exp whose gradient is taken from its input, not from its saved output: tfjs's Exp gradient
 * reuses a saved copy of the output that the tape does not connect, so a second derivative
 * through tf.exp is silently wrong. */
const expFromInput: (x: Tensor) => Tensor = tf.customGrad(((...args: unknown[]) => {
  const [x, save] = args as [Tensor, tf.GradSaveFunc];
  save([x]);
  return { value: tf.exp(x), gradFunc: (dy: Tensor, [xs]: Tensor[]) => tf.mul(dy, expFromInput(xs)) };
}) as never) as unknown as (x: Tensor) => Tensor;

/**
 * nn.CrossEntropyLoss() (mean over the batch) on logits and int32 labels. Written with primitive
 * ops whose second derivatives tfjs gets right: tf.logSoftmax's and tf.exp's gradients reuse
 * untaped copies of their outputs, which silently breaks GraSP's Hessian-gradient product.
 */
export function crossEntropy(logits: Tensor2D, y: Tensor1D): tf.Scalar {
  const m = rowMaxConstant(logits);
  const shifted = tf.sub(logits, m);
  const logp = tf.sub(shifted, tf.log(tf.sum(expFromInput(shifted), 1, true)));
  const onehot = tf.oneHot(y, logits.shape[1]);
  return tf.neg(tf.mean(tf.sum(tf.mul(onehot, logp), 1))) as tf.Scalar;
}

/** Run `model` with the prunable weights replaced by `weights` (same order as model.prunable). */
export function forwardWith(
  model: Model,
  x: Tensor4D,
  base: Omit<OpsOptions, 'params'> & { params: ParamMap },
  weights?: Tensor[],
): Tensor2D {
  const params = weights ? withPrunable(model, base.params, weights) : base.params;
  return model.forward(x, new StandardOps({ ...base, params }));
}

export function prunableTensors(model: Model, m: ParamMap): Tensor[] {
  return model.prunable.map((l) => {
    const t = m[l.weight];
    if (!t) throw new Error(`missing "${l.weight}"`);
    return t;
  });
}

export function toScoreMap(model: Model, ts: Tensor[]): ParamMap {
  const out: ParamMap = {};
  model.prunable.forEach((l, i) => (out[l.weight] = ts[i]));
  return out;
}

/** `base` with the prunable entries replaced by `ts` (model.prunable order): the variables a
 * gradient is taken with respect to (weights or masks). */
export function withPrunable(model: Model, base: ParamMap, ts: Tensor[]): ParamMap {
  return { ...base, ...toScoreMap(model, ts) };
}

/** Sum lists of tensors elementwise (accumulating gradients over batches like p.grad). */
export function addLists(a: Tensor[] | null, b: Tensor[]): Tensor[] {
  if (!a) return b;
  const out = a.map((t, i) => tf.add(t, b[i]));
  a.forEach((t) => t.dispose());
  b.forEach((t) => t.dispose());
  return out;
}

/** Divide every score by one scalar tensor (SNIP's sum, GraSP's |sum|+eps). */
export function divideAll(scores: Tensor[], norm: tf.Scalar): Tensor[] {
  return scores.map((s) => tf.div(s, norm));
}

export function globalSum(ts: Tensor[]): tf.Scalar {
  return addAll(ts.map((t) => tf.sum(t))) as tf.Scalar;
}
