// The float64 symmetric eigen-solver and the condition number's tolerance.
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { defaultRelTol, FLOAT32_EPS, spectrum, symmetricEigenvaluesDesc } from './spectrum';

/** Q diag(λ) Qᵀ with a random orthogonal Q (Gram–Schmidt on a Gaussian matrix). */
function withEigenvalues(lambda: number[], seed: number): Float64Array {
  const n = lambda.length;
  const raw = new Float32Array(n * n);
  Rng.derive(seed, 'spectrum-test').fillNormal(raw, 1);
  const q: number[][] = [];
  for (let i = 0; i < n; i++) {
    const v = Array.from(raw.subarray(i * n, (i + 1) * n), Number);
    for (const u of q) {
      const d = v.reduce((a, x, k) => a + x * u[k], 0);
      for (let k = 0; k < n; k++) v[k] -= d * u[k];
    }
    const norm = Math.hypot(...v);
    q.push(v.map((x) => x / norm));
  }
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] += q[k][i] * lambda[k] * q[k][j];
  return a;
}

describe('spectrum', () => {
  it('recovers known eigenvalues in descending order', () => {
    const lambda = [0.5, 7, 3, -1e-14, 1e-3, 0, 1e-12, 2];
    const a = withEigenvalues(lambda, 1);
    const got = symmetricEigenvaluesDesc(a, lambda.length);
    const want = [...lambda].sort((x, y) => y - x);
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-12 * 7);
  });

  it('condition number = λmax / smallest eigenvalue above size·ε₃₂·λmax', () => {
    const lambda = [7, 3, 2, 0.5, 1e-3, 1e-12, 0, -1e-14];
    const s = spectrum(withEigenvalues(lambda, 2), lambda.length);
    expect(s.relTol).toBe(defaultRelTol(8));
    expect(s.relTol).toBeCloseTo(8 * FLOAT32_EPS, 20);
    expect(s.rank).toBe(5);
    expect(s.minPositive).toBeCloseTo(1e-3, 12);
    expect(s.condition).toBeCloseTo(7000, 6);
    expect(s.trace).toBeCloseTo(
      lambda.reduce((x, y) => x + y, 0),
      12,
    );
    const loose = spectrum(withEigenvalues(lambda, 2), lambda.length, 0.01);
    expect(loose.rank).toBe(4);
    expect(loose.condition).toBeCloseTo(14, 8);
  });

  it('an all-zero matrix has rank 0 and an infinite condition number', () => {
    const s = spectrum(new Float64Array(16), 4);
    expect(s.rank).toBe(0);
    expect(s.condition).toBe(Infinity);
    expect(s.trace).toBe(0);
    expect([...s.eigenvaluesDesc]).toEqual([0, 0, 0, 0]);
  });
});
