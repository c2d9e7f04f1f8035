// Training-mode BatchNorm2d (batch statistics, biased variance) with the closed-form backward
//   dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂)),  dγ = Σ dy·x̂,  dβ = Σ dy,
// which PyTorch's kernel also uses. The gradient recomputes everything from the saved inputs
// (x, γ), so it can itself be differentiated (GraSP).
import { tf, type Tensor, type Tensor4D } from './tf';
import { labBatchNormBackward, labBatchNormForward } from './labKernels';
import { wasmBatchMoments } from './wasm-kernels';
import { webgpuBatchMoments, webgpuRunningStat } from './webgpu-programs';

/** Mean over N,H,W in two stages (per sample, then over the batch): float32 sums of
 * 10^4–10^5 terms lose digits that the BN backward's subtractions then magnify. */
function meanNHW(t: Tensor): Tensor {
  return tf.mean(tf.mean(t, [1, 2]), 0);
}
function sumNHW(t: Tensor): Tensor {
  return tf.sum(tf.sum(t, [1, 2]), 0);
}

function stats(x: Tensor4D, eps: number) {
  const mean = meanNHW(x);
  const centered = tf.sub(x, mean);
  const variance = meanNHW(tf.square(centered));
  const invStd = tf.rsqrt(tf.add(variance, eps));
  return { mean, variance, xhat: tf.mul(centered, invStd) as Tensor4D, invStd };
}

/** dL/dx, dL/dγ, dL/dβ from the normalised input and 1/σ (the closed form above). */
function backward(dy: Tensor, xh: Tensor, invStd: Tensor, gs: Tensor): Tensor[] {
  const dyXhat = tf.mul(dy, xh);
  const dx = tf.mul(tf.mul(gs, invStd), tf.sub(tf.sub(dy, meanNHW(dy)), tf.mul(xh, meanNHW(dyXhat))));
  return [dx, sumNHW(dyXhat), sumNHW(dy)];
}

type BnFn = (x: Tensor4D, gamma: Tensor, beta: Tensor) => Tensor4D;
const cache = new Map<string, BnFn>();

function makeBn(eps: number, firstOrder: boolean): BnFn {
  return tf.customGrad(((...args: unknown[]) => {
    const [xi, g, b, save] = args as [Tensor4D, Tensor, Tensor, tf.GradSaveFunc];
    const { xhat, invStd } = stats(xi, eps);
    // first order: keep x̂ and 1/σ for the backward pass (9 kernels fewer per layer); else keep
    // the inputs and recompute, so that the backward pass is itself taped and differentiable
    save(firstOrder ? [xhat, g, invStd] : [xi, g]);
    return {
      value: tf.add(tf.mul(xhat, g), b) as Tensor4D,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        if (firstOrder) return backward(dy, saved[0], saved[2], saved[1]);
        const [xs, gs] = saved as [Tensor4D, Tensor];
        const { xhat: xh, invStd: is } = stats(xs, eps);
        return backward(dy, xh, is, gs);
      },
    };
  }) as never) as unknown as BnFn;
}

type BnFirstOrder = (x: Tensor4D, gamma: Tensor, beta: Tensor) => Tensor4D;

/** The lab's BatchNorm statistics, per backend that has them (null where they do not run); the
 * kernel that computes them registers its backend's forward and backward (PyTorch's CPU formulas;
 * wasm: sums in double; webgpu: float32 trees). */
const LAB_BATCH_MOMENTS = [wasmBatchMoments, webgpuBatchMoments];

/**
 * First-order training-mode BatchNorm through the lab's kernels, given the statistics of x
 * (computed once, outside, so that the running statistics reuse them): the forward and the
 * closed-form backward each one pass over the data.
 */
function labBn(mean: Tensor, invStd: Tensor): BnFirstOrder {
  return tf.customGrad(((...args: unknown[]) => {
    const [xi, g, b, save] = args as [Tensor4D, Tensor, Tensor, tf.GradSaveFunc];
    save([xi, g, mean, invStd]);
    return {
      value: labBatchNormForward(xi, g, b, mean, invStd),
      gradFunc: (dy: Tensor, saved: Tensor[]) => labBatchNormBackward(dy, saved[0], saved[1], saved[2], saved[3]),
    };
  }) as never) as unknown as BnFirstOrder;
}

/** Training-mode BatchNorm. `firstOrder`: its gradient will not be differentiated again (every
 * pruner but GraSP), so the backward pass reuses the forward's statistics: the same numbers, fewer
 * kernels; on wasm and webgpu it runs the lab's own kernels. `onMoments` receives the batch mean
 * and biased variance it normalises with (for running statistics). */
export function batchNormTrain(
  x: Tensor4D,
  gamma: Tensor,
  beta: Tensor,
  eps: number,
  firstOrder = false,
  onMoments?: (mean: Tensor, variance: Tensor) => void,
): Tensor4D {
  for (const moments of firstOrder ? LAB_BATCH_MOMENTS : []) {
    const m = moments(x, eps);
    if (!m) continue;
    onMoments?.(m.mean, m.variance);
    return labBn(m.mean, m.invStd)(x, gamma, beta);
  }
  if (onMoments) {
    const { mean, variance } = batchMoments(x);
    onMoments(mean, variance);
  }
  const key = `${eps}:${firstOrder}`;
  let f = cache.get(key);
  if (!f) {
    f = makeBn(eps, firstOrder);
    cache.set(key, f);
  }
  return f(x, gamma, beta);
}

/** Batch statistics (mean, biased variance) of NHWC x per channel. */
export function batchMoments(x: Tensor4D): { mean: Tensor; variance: Tensor } {
  const mean = meanNHW(x);
  return { mean, variance: meanNHW(tf.square(tf.sub(x, mean))) };
}

/** A running statistic's update old·keep + batch·take (one program on webgpu). */
export function runningStat(old: Tensor, batch: Tensor, keep: number, take: number): Tensor {
  return webgpuRunningStat(old, batch, keep, take) ?? tf.add(tf.mul(old, keep), tf.mul(batch, take));
}
