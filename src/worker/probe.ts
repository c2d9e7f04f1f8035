// The backend self-check: a tiny conv net (two 3×3 convolutions, one strided, ReLU, mean pool,
// linear, cross-entropy) forward and backward through the lab's own conv gradient, compared with
// values computed once on the cpu backend, and timed. A backend that initialises but computes
// wrong numbers (driver bugs, missing kernels, precision loss) is not trusted.
import { conv2d } from '../core/conv';
import { tf, type Tensor, type Tensor2D, type Tensor4D } from '../core/tf';

/** What the probe compares: the loss, then per weight the gradient's sum, sum of squares and first entries. */
export type ProbeValues = number[];

/** Computed on the cpu backend (Node, tfjs 4.22); `npx vitest run src/worker/probe.test.ts` re-checks them. */
export const PROBE_EXPECTED: ProbeValues = [
  1.09908152, -0.384285392, 0.00314184828, -0.00952508021, -0.00523951976, 0.316511022, 0.04312211, 0.0183440968, 0.0208160114,
  8.19563866e-8, 0.246834012, -0.119640402, -0.100748301,
];

function filled(shape: number[], f: (i: number) => number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, (_, i) => f(i)),
    shape,
  );
}

/** One forward/backward of the probe net; returns the checked numbers. */
export async function probeValues(): Promise<ProbeValues> {
  const x = filled([2, 8, 8, 2], (i) => Math.sin(0.37 * i + 0.1)) as Tensor4D;
  const w1 = filled([3, 3, 2, 4], (i) => 0.3 * Math.cos(0.23 * i)) as Tensor4D;
  const w2 = filled([3, 3, 4, 4], (i) => 0.2 * Math.sin(0.11 * i + 0.5)) as Tensor4D;
  const w3 = filled([4, 3], (i) => 0.5 * Math.cos(0.7 * i + 0.2)) as Tensor2D;
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3));
  try {
    const f = (a: Tensor4D, b: Tensor4D, c: Tensor2D) =>
      tf.losses.softmaxCrossEntropy(
        labels,
        tf.matMul(tf.mean(tf.relu(conv2d(tf.relu(conv2d(x, a, { stride: 1, pad: 1 })), b, { stride: 2, pad: 1 })), [1, 2]) as Tensor2D, c),
      ) as tf.Scalar;
    const { value, grads } = tf.tidy(() => {
      const g = tf.valueAndGrads((a: Tensor, b: Tensor, c: Tensor) => f(a as Tensor4D, b as Tensor4D, c as Tensor2D));
      const r = g([w1, w2, w3]);
      return { value: r.value, grads: r.grads };
    });
    const vals: number[] = [(await value.data())[0]];
    for (const g of grads) {
      const d = (await g.data()) as Float32Array;
      let s = 0;
      let q = 0;
      for (const v of d) {
        s += v;
        q += v * v;
      }
      vals.push(s, q, d[0], d[d.length - 1]);
    }
    value.dispose();
    grads.forEach((g) => g.dispose());
    return vals;
  } finally {
    for (const t of [x, w1, w2, w3, labels]) t.dispose();
  }
}

/** Largest relative error against the expected values (absolute below 1e-6 of the scale). */
export function probeError(got: ProbeValues, expected: ProbeValues = PROBE_EXPECTED): number {
  if (got.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    if (!Number.isFinite(got[i])) return Infinity;
    const scale = Math.max(Math.abs(expected[i]), 1e-3);
    worst = Math.max(worst, Math.abs(got[i] - expected[i]) / scale);
  }
  return worst;
}

/** Relative error a backend may show (float32 GPUs, different reduction orders). */
export const PROBE_TOLERANCE = 2e-3;

export interface ProbeTiming {
  values: ProbeValues;
  warmupMs: number;
  /** Median of the timed runs. */
  ms: number;
}

/** Warm-up (shader compilation), then the median of `runs` timed forward/backward passes. */
export async function timeProbe(runs = 3): Promise<ProbeTiming> {
  let t = performance.now();
  const values = await probeValues();
  const warmupMs = performance.now() - t;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    await probeValues();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { values, warmupMs, ms: times[Math.floor(times.length / 2)] };
}
