// Training-mode BatchNorm in float64 in plain JS (statistics, output and the closed-form backward)
// on NHWC data whose mean can be far from zero, where float32 sums lose digits: the reference of
// the lab's BatchNorm kernels on wasm (test/wasm-kernels.batchnorm.test.ts) and WebGPU
// (e2e/lab-kernels.webgpu.spec.ts).
import { Rng } from '../src/core/rng';

export type Nhwc = [number, number, number, number];

/** Seeded normal data, channel c scaled by 1 + c, plus `offset`. */
export function bnData(shape: Nhwc, seed: number, offset: number): Float32Array {
  const c = shape[3];
  const v = new Rng(seed).fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1)));
  return v.map((a, i) => a * (1 + (i % c)) + offset);
}

export function bnReference(shape: Nhwc, x: Float32Array, dy: Float32Array, gamma: Float32Array, beta: Float32Array, eps: number) {
  const C = shape[3];
  const M = x.length / C;
  const mean = new Float64Array(C);
  const variance = new Float64Array(C);
  for (let i = 0; i < M * C; i++) mean[i % C] += x[i] / M;
  for (let i = 0; i < M * C; i++) variance[i % C] += (x[i] - mean[i % C]) ** 2 / M;
  const invStd = variance.map((v) => 1 / Math.sqrt(v + eps));
  const xhat = Float64Array.from(x, (v, i) => (v - mean[i % C]) * invStd[i % C]);
  const y = xhat.map((v, i) => v * gamma[i % C] + beta[i % C]);
  const dbeta = new Float64Array(C);
  const dgamma = new Float64Array(C);
  for (let i = 0; i < M * C; i++) {
    dbeta[i % C] += dy[i];
    dgamma[i % C] += dy[i] * xhat[i];
  }
  const dx = Float64Array.from(dy, (g, i) => {
    const c = i % C;
    return gamma[c] * invStd[c] * (g - dbeta[c] / M - xhat[i] * (dgamma[c] / M));
  });
  return { mean, variance, invStd, y, dx, dgamma, dbeta };
}
