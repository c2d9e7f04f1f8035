// Page side of e2e/lab-kernels.webgpu.spec.ts (bundled there with esbuild): the lab's WebGPU
// programs for BatchNorm and ReLU against float64 (test/batchNormReference.ts) and tfjs's own Relu,
// with the names of the kernels that ran, so a silent fall-back to tfjs's operations fails.
import '@tensorflow/tfjs-backend-webgpu';
import { batchNormTrain, runningStat } from '../../src/core/batchnorm';
import { StandardOps } from '../../src/core/models/ops';
import { tf, type Tensor, type Tensor4D } from '../../src/core/tf';
import { bnData, bnReference, type Nhwc } from '../../test/batchNormReference';
import { relL2 } from '../../test/relL2';

/** More rows than a workgroup has invocations (each sums several), and the mean far from zero. */
const SHAPE: Nhwc = [4, 12, 12, 8];
const EPS = 1e-5;

export interface LabKernelCheck {
  backend: string;
  kernels: string[];
  /** relative L2 error per quantity against float64; `running`: the largest relative difference
   * of a running statistic from torch's update in float32 */
  errors: Record<string, number>;
  /** tfjs's Relu and its gradient, compared as numbers (NaN equal to NaN) */
  reluSame: boolean;
  reluGradSame: boolean;
  leaked: number;
}

async function onWebgpu(): Promise<void> {
  if (tf.getBackend() === 'webgpu') return;
  if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend failed to initialise');
  await tf.ready();
}

const sameNumbers = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]) || v === b[i]);

async function batchNorm(offset: number): Promise<{ errors: Record<string, number>; kernels: string[] }> {
  const [x, dy] = [bnData(SHAPE, 1, offset), bnData(SHAPE, 2, 0.5)];
  const [gamma, beta] = [bnData(SHAPE, 3, 1).slice(0, SHAPE[3]), bnData(SHAPE, 4, 0).slice(0, SHAPE[3])];
  const want = bnReference(SHAPE, x, dy, gamma, beta, EPS);
  const kept: Record<string, Tensor> = {};
  const profile = await tf.profile(() => {
    const [xt, dyt, gt, bt] = [tf.tensor4d(x, SHAPE), tf.tensor4d(dy, SHAPE), tf.tensor1d(gamma), tf.tensor1d(beta)];
    const f = (a: Tensor, g: Tensor, b: Tensor) => {
      const y = batchNormTrain(a as Tensor4D, g, b, EPS, true, (mean, variance) => {
        [kept.mean, kept.variance] = [tf.keep(mean.clone()), tf.keep(variance.clone())];
      });
      kept.y = tf.keep(y.clone());
      return tf.sum(tf.mul(y, dyt));
    };
    const { value, grads } = tf.valueAndGrads(f)([xt, gt, bt]);
    [kept.dx, kept.dgamma, kept.dbeta] = grads;
    tf.dispose([xt, dyt, gt, bt, value]);
  });
  // read on the GPU's own time (dataSync is not for WebGPU)
  const got: Record<string, Float32Array> = {};
  for (const [k, t] of Object.entries(kept)) got[k] = (await t.data()) as Float32Array;
  tf.dispose(Object.values(kept));
  const errors = Object.fromEntries(
    (['mean', 'variance', 'y', 'dx', 'dgamma', 'dbeta'] as const).map((k) => [`${k}@${offset}`, relL2(got[k], want[k])]),
  );
  return { errors, kernels: profile.kernelNames };
}

async function relu(): Promise<{ same: boolean; gradSame: boolean; kernels: string[] }> {
  const n = SHAPE.reduce((a, b) => a * b, 1);
  const x = bnData(SHAPE, 5, 0);
  x.set([0, -0, NaN, 1e-45, -1e-45, Infinity, -Infinity], 11);
  const [xt, dyt] = [tf.tensor(x, SHAPE), tf.tensor(bnData(SHAPE, 6, 0), SHAPE)];
  const ops = new StandardOps({ params: {}, bn: 'train', firstOrder: true });
  const run = async (f: (t: Tensor) => Tensor) => {
    const y = tf.tidy(() => f(xt));
    const g = tf.tidy(() => tf.grad((t: Tensor) => tf.sum(tf.mul(f(t), dyt)))(xt));
    const out = [await y.data(), await g.data()] as Float32Array[];
    tf.dispose([y, g]);
    return out;
  };
  let ours: Float32Array[] = [];
  const profile = await tf.profile(async () => {
    ours = await run((t) => ops.relu(t));
  });
  const theirs = await run((t) => tf.relu(t));
  tf.dispose([xt, dyt]);
  if (ours[0].length !== n) throw new Error('relu: wrong size');
  return { same: sameNumbers(ours[0], theirs[0]), gradSame: sameNumbers(ours[1], theirs[1]), kernels: profile.kernelNames };
}

/** A running statistic against torch's update evaluated in float32 by hand (largest relative
 * difference; a GPU may fuse the multiply and the add, one rounding fewer). */
async function running(): Promise<{ error: number; kernels: string[] }> {
  const [old, batch] = [bnData(SHAPE, 7, 2).slice(0, 64), bnData(SHAPE, 8, 1).slice(0, 64)];
  const [keep, take] = [0.9, 0.1 * (64 / 63)];
  const f = Math.fround;
  const want = old.map((o, i) => f(f(o * f(keep)) + f(batch[i] * f(take))));
  const [ot, bt] = [tf.tensor1d(old), tf.tensor1d(batch)];
  let got: Float32Array = new Float32Array();
  const profile = await tf.profile(async () => {
    const r = runningStat(ot, bt, keep, take);
    got = (await r.data()) as Float32Array;
    r.dispose();
  });
  tf.dispose([ot, bt]);
  return { error: Math.max(...want.map((w, i) => Math.abs(got[i] - w) / Math.abs(w))), kernels: profile.kernelNames };
}

async function labKernelCheck(): Promise<LabKernelCheck> {
  await onWebgpu();
  const before = tf.memory().numTensors;
  const near = await batchNorm(3);
  const far = await batchNorm(1000);
  const r = await relu();
  const stat = await running();
  return {
    backend: tf.getBackend(),
    kernels: [...new Set([...near.kernels, ...far.kernels, ...r.kernels, ...stat.kernels])],
    errors: { ...near.errors, ...far.errors, running: stat.error },
    reluSame: r.same,
    reluGradSame: r.gradSame,
    leaked: tf.memory().numTensors - before,
  };
}

Object.assign(window, { __labKernelCheck: labKernelCheck });
