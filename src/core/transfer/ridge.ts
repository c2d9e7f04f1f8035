// The official RidgeClassificationHead (px-ntk-pruning lib/models/heads.py), in float64:
//   balanced class weights w_j = n / (C·n_j) (a class with no sample gets 1, as nan_to_num),
//   X̃ = [X, 1] (bias column), W_aug = (X̃ᵀ W X̃ + αI + 1e-6·I)⁻¹ X̃ᵀ W Y, Y one-hot, α = 1;
//   the head's weight is W_aug[:-1]ᵀ ([classes, d], nn.Linear layout) and its bias W_aug[-1].
// Departures: the official code runs in float32 on the device and applies torch.linalg.inv then a
// product; the lab accumulates X̃ᵀWX̃ in float64 and solves the system by LU (ml-matrix), which is
// the same solution without forming the inverse.
import { Matrix, solve } from 'ml-matrix';

export const RIDGE_ALPHA = 1;
export const RIDGE_EPS = 1e-6;

export interface RidgeHead {
  /** [classes, d] row-major (PyTorch nn.Linear weight layout). */
  weight: Float64Array;
  /** [classes]. */
  bias: Float64Array;
  classes: number;
  features: number;
}

/** sklearn-style balanced weights n / (C·n_j); classes with no sample get 1 (torch.nan_to_num of inf). */
export function balancedClassWeights(y: ArrayLike<number>, classes: number): Float64Array {
  const counts = new Float64Array(classes);
  for (let i = 0; i < y.length; i++) {
    const c = y[i];
    if (!(Number.isInteger(c) && c >= 0 && c < classes)) throw new Error(`ridge head: label ${c} outside 0..${classes - 1}`);
    counts[c]++;
  }
  return counts.map((n) => (n > 0 ? y.length / (classes * n) : 1));
}

/** What a head is fitted on: features x ([n, d] row-major) and labels y (0..classes−1). */
export interface RidgeSamples {
  x: ArrayLike<number>;
  n: number;
  d: number;
  y: ArrayLike<number>;
  classes: number;
}

/** The normal equations' two sides: A = X̃ᵀWX̃ + (α+ε)I ([d+1]²) and B = X̃ᵀWY ([d+1, classes]). */
export function ridgeSystem({ x, n, d, y, classes }: RidgeSamples, alpha = RIDGE_ALPHA): { a: Matrix; b: Matrix } {
  if (x.length !== n * d) throw new Error(`ridge head: ${x.length} feature values for ${n}×${d}`);
  if (y.length !== n) throw new Error(`ridge head: ${n} samples but ${y.length} labels`);
  if (n < 1) throw new Error('ridge head: no samples to fit on');
  const w = balancedClassWeights(y, classes);
  const m = d + 1;
  const a = new Float64Array(m * m);
  const b = new Float64Array(m * classes);
  const row = new Float64Array(m);
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < d; i++) row[i] = x[s * d + i];
    row[d] = 1;
    const ws = w[y[s]];
    for (let i = 0; i < m; i++) {
      const wi = ws * row[i];
      if (!Number.isFinite(wi)) throw new Error(`ridge head: feature ${i} of sample ${s} is ${row[i]}`);
      for (let j = i; j < m; j++) a[i * m + j] += wi * row[j];
      b[i * classes + y[s]] += wi;
    }
  }
  const A = new Matrix(m, m);
  const B = new Matrix(m, classes);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      A.set(i, j, a[i * m + j]);
      A.set(j, i, a[i * m + j]);
    }
    A.set(i, i, A.get(i, i) + alpha + RIDGE_EPS);
    for (let c = 0; c < classes; c++) B.set(i, c, b[i * classes + c]);
  }
  return { a: A, b: B };
}

/** Fit the head on the samples' features and labels. */
export function fitRidgeHead(samples: RidgeSamples, alpha = RIDGE_ALPHA): RidgeHead {
  const { d, classes } = samples;
  const { a, b } = ridgeSystem(samples, alpha);
  const sol = solve(a, b);
  const weight = new Float64Array(classes * d);
  const bias = new Float64Array(classes);
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < d; i++) weight[c * d + i] = sol.get(i, c);
    bias[c] = sol.get(d, c);
  }
  for (const v of weight) if (!Number.isFinite(v)) throw new Error('ridge head: the solve gave a non-finite weight');
  return { weight, bias, classes, features: d };
}
