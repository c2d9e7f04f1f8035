// The lab's wasm BatchNorm kernels (statistics, forward, backward) against the same quantities in
// float64 in plain JS (test/batchNormReference.ts), on data whose mean is far from zero (where
// float32 sums lose digits), and the first-order batchNormTrain built on them against the portable
// one on the cpu backend: values, gradients for x, γ and β, and the statistics handed to the
// running-statistics hook.
import { describe, expect, it } from 'vitest';
import { useBackend } from '../src/core/backend';
import { restoreBackendAfter } from './backendScope';
import { batchNormTrain } from '../src/core/batchnorm';
import { tf, type Tensor, type Tensor4D } from '../src/core/tf';
import { labBatchNormBackward, labBatchNormForward } from '../src/core/labKernels';
import { wasmBatchMoments } from '../src/core/wasm-kernels';
import { bnData, bnReference, type Nhwc } from './batchNormReference';
import { relL2 } from './fixtures';

const SHAPE: Nhwc = [3, 5, 4, 8];
const C = SHAPE[3];
const EPS = 1e-5;

const data = (seed: number, offset: number) => bnData(SHAPE, seed, offset);
const reference = (x: Float32Array, dy: Float32Array, gamma: Float32Array, beta: Float32Array) =>
  bnReference(SHAPE, x, dy, gamma, beta, EPS);

describe('wasm BatchNorm kernels', () => {
  restoreBackendAfter('wasm');

  const x = data(1, 1000);
  const dy = data(2, 0.5);
  const gamma = data(3, 1).slice(0, C);
  const beta = data(4, 0).slice(0, C);
  const want = reference(x, dy, gamma, beta);

  it('statistics, forward and backward equal float64 to float32 precision', () => {
    const before = tf.memory().numTensors;
    const t = [tf.tensor4d(x, SHAPE), tf.tensor4d(dy, SHAPE), tf.tensor1d(gamma), tf.tensor1d(beta)] as const;
    const m = wasmBatchMoments(t[0], EPS)!;
    const y = labBatchNormForward(t[0], t[2], t[3], m.mean, m.invStd);
    const [dx, dgamma, dbeta] = labBatchNormBackward(t[1], t[0], t[2], m.mean, m.invStd);
    // the mean is ~1000 and the spread ~1: x − mean has lost 10 of float32's 24 bits before any
    // arithmetic of ours, so the centred quantities are compared at that precision
    expect(relL2(m.mean.dataSync(), want.mean)).toBeLessThan(1e-7);
    expect(relL2(m.variance.dataSync(), want.variance)).toBeLessThan(1e-6);
    expect(relL2(m.invStd.dataSync(), want.invStd)).toBeLessThan(1e-6);
    expect(relL2(y.dataSync(), want.y)).toBeLessThan(1e-4);
    expect(relL2(dbeta.dataSync(), want.dbeta)).toBeLessThan(1e-6);
    expect(relL2(dgamma.dataSync(), want.dgamma)).toBeLessThan(1e-4);
    expect(relL2(dx.dataSync(), want.dx)).toBeLessThan(1e-4);
    tf.dispose([...t, m.mean, m.variance, m.invStd, y, dx, dgamma, dbeta]);
    expect(tf.memory().numTensors).toBe(before);
  });

  /** value, gradients (x, γ, β) and the hook's statistics of first-order batchNormTrain. */
  function run(xs: Float32Array) {
    const xt = tf.tensor4d(xs, SHAPE);
    const dyt = tf.tensor4d(dy, SHAPE);
    const stats: Float32Array[] = [];
    const f = (a: Tensor, g: Tensor, b: Tensor) =>
      tf.sum(
        tf.mul(
          batchNormTrain(a as Tensor4D, g, b, EPS, true, (mean, variance) =>
            stats.push(mean.dataSync() as Float32Array, variance.dataSync() as Float32Array),
          ),
          dyt,
        ),
      );
    const { value, grads } = tf.valueAndGrads(f)([xt, tf.tensor1d(gamma), tf.tensor1d(beta)]);
    const out = { value: value.dataSync()[0], grads: grads.map((g) => g.dataSync()), stats };
    tf.dispose([xt, dyt, value, ...grads]);
    return out;
  }

  it('first-order batchNormTrain on wasm equals the portable one on cpu', async () => {
    // a moderate offset: the portable path's float32 sums are what is compared against here
    const xs = data(5, 3);
    const got = run(xs);
    await useBackend('cpu');
    const ref = run(xs);
    await useBackend('wasm');
    expect(Math.abs(got.value - ref.value)).toBeLessThan(1e-4 * Math.abs(ref.value) + 1e-4);
    got.grads.forEach((g, i) => expect(relL2(g, ref.grads[i])).toBeLessThan(1e-5));
    expect(got.stats.length).toBe(2);
    got.stats.forEach((s, i) => expect(relL2(s, ref.stats[i])).toBeLessThan(1e-6));
  });
});
