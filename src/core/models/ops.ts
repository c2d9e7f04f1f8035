// The standard LayerOps: weights from a ParamMap times their masks, BatchNorm in train mode
// (batch statistics) or eval mode (running statistics), a pluggable activation, optional
// running rescale at cut points, and hooks for metrics (layer inputs, layer outputs).
import { batchNormTrain } from '../batchnorm';
import { wasmRelu } from '../wasm-kernels';
import { webgpuRelu } from '../webgpu-programs';
import { conv2d } from '../conv';
import { tf, type Tensor, type Tensor2D, type Tensor4D } from '../tf';
import type { ParamMap } from './state';
import type { LayerOps } from './types';

export const BN_EPS = 1e-5;

export interface OpsOptions {
  params: ParamMap;
  /** Masks keyed by weight name; the forward pass uses mask·weight (weights are never zeroed). */
  masks?: ParamMap;
  bn: 'train' | 'eval';
  /** Replace F.relu; `site` counts calls in forward order. */
  activation?: (x: Tensor, site: number) => Tensor;
  /**
   * Divide activations by their batch-wide max |h| at every cut point and every additive term
   * (bias, BN offset) by the scale in force, keeping log of the total (PX's all-ones copy).
   */
  rescale?: boolean;
  /** Called with the input of every conv/linear layer (for the structured NTK). */
  onLayerInput?: (layer: string, x: Tensor) => void;
  /** Called with the batch statistics of every train-mode BatchNorm (biased variance). */
  onBatchStats?: (layer: string, mean: Tensor, variance: Tensor, count: number) => void;
  /** Gradients through this pass are first order (not differentiated again, unlike GraSP's):
   * train-mode BatchNorm keeps its statistics for the backward pass instead of recomputing them. */
  firstOrder?: boolean;
  /** Eval-mode BatchNorm as y = a·x + c with (a, c) per layer made once by evalBnAffine and
   * shared by passes over the same BN parameters (PX's three copies): 5 kernels fewer per layer. */
  evalBn?: Map<string, { a: Tensor; c: Tensor }>;
  /** May replace the output of every conv/linear layer (e.g. add a zero probe to read dL/dy). */
  mapLayerOutput?: (layer: string, y: Tensor) => Tensor;
}

/** Eval-mode BN as an affine map: a = γ/√(var+ε), c = β − mean·a. */
function bnAffine(p: ParamMap, layer: string): { a: Tensor; c: Tensor } {
  const a = tf.div(p[`${layer}.weight`], tf.sqrt(tf.add(p[`${layer}.running_var`], BN_EPS)));
  return { a, c: tf.sub(p[`${layer}.bias`], tf.mul(p[`${layer}.running_mean`], a)) };
}

/** (a, c) of every BatchNorm of the model from `params`, for OpsOptions.evalBn (caller disposes). */
export function evalBnAffine(params: ParamMap, bnLayers: string[]): Map<string, { a: Tensor; c: Tensor }> {
  return new Map(bnLayers.map((l) => [l, tf.tidy(() => bnAffine(params, l))]));
}

export class StandardOps implements LayerOps {
  private site = 0;
  /** log of the product of all scales applied so far (a scalar tensor, or null before any). */
  logScale: tf.Scalar | null = null;
  private invScale: tf.Scalar | null = null;

  constructor(readonly opts: OpsOptions) {}

  private weight(layer: string): Tensor {
    const name = `${layer}.weight`;
    const w = this.opts.params[name];
    if (!w) throw new Error(`no parameter "${name}"`);
    const m = this.opts.masks?.[name];
    return m ? tf.mul(w, m) : w;
  }

  private offset(b: Tensor): Tensor {
    return this.invScale ? tf.mul(b, this.invScale) : b;
  }

  private finish(layer: string, y: Tensor): Tensor {
    const b = this.opts.params[`${layer}.bias`];
    let out = b ? tf.add(y, this.offset(b)) : y;
    if (this.opts.mapLayerOutput) out = this.opts.mapLayerOutput(layer, out);
    return out;
  }

  conv(x: Tensor4D, layer: string, g: { stride: number; pad: number }): Tensor4D {
    this.opts.onLayerInput?.(layer, x);
    return this.finish(layer, conv2d(x, this.weight(layer) as Tensor4D, g)) as Tensor4D;
  }

  linear(x: Tensor2D, layer: string): Tensor2D {
    this.opts.onLayerInput?.(layer, x);
    return this.finish(layer, tf.matMul(x, this.weight(layer) as Tensor2D)) as Tensor2D;
  }

  batchNorm(x: Tensor4D, layer: string): Tensor4D {
    const p = this.opts.params;
    const gamma = p[`${layer}.weight`];
    const beta = p[`${layer}.bias`];
    if (!gamma || !beta) throw new Error(`no BatchNorm parameters for "${layer}"`);
    if (this.opts.bn === 'train') {
      if (this.opts.rescale) throw new Error('rescaling needs BatchNorm on running statistics');
      const onStats = this.opts.onBatchStats;
      const count = x.shape[0] * x.shape[1] * x.shape[2];
      const onMoments = onStats && ((mean: Tensor, variance: Tensor) => onStats(layer, mean, variance, count));
      return batchNormTrain(x, gamma, beta, BN_EPS, this.opts.firstOrder, onMoments);
    }
    const { a, c } = this.opts.evalBn?.get(layer) ?? bnAffine(p, layer);
    return tf.add(tf.mul(x, a), this.offset(c)) as Tensor4D;
  }

  relu<T extends Tensor>(x: T): T {
    const s = this.site++;
    if (this.opts.activation) return this.opts.activation(x, s) as T;
    return (this.opts.firstOrder ? (wasmRelu(x) ?? webgpuRelu(x)) : null) ?? tf.relu(x);
  }

  cut<T extends Tensor>(x: T): T {
    if (!this.opts.rescale) return x;
    const m = tf.max(tf.abs(x)) as tf.Scalar;
    const safe = tf.where(tf.greater(m, 0), m, tf.onesLike(m)) as tf.Scalar;
    const lg = tf.log(safe) as tf.Scalar;
    this.logScale = this.logScale ? (tf.add(this.logScale, lg) as tf.Scalar) : lg;
    this.invScale = tf.exp(tf.neg(this.logScale)) as tf.Scalar;
    return tf.div(x, safe) as T;
  }

  channelScale(x: Tensor4D, layer: string): Tensor4D {
    const w = this.opts.params[`${layer}.weight`];
    if (!w) throw new Error(`no parameter "${layer}.weight"`);
    return tf.mul(x, w) as Tensor4D;
  }
}
