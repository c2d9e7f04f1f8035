// The ridge head against independent truth: the official formula on a hand-computed 3-sample
// case, and a direct float64 solve (Gaussian elimination written here, on the official
// sqrt-weighted matrices) of the same normal equations on a random case.
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { balancedClassWeights, fitRidgeHead, RIDGE_EPS } from './ridge';

describe('RidgeClassificationHead (official heads.py)', () => {
  it('balanced class weights n/(C·n_j); an empty class gets 1 (nan_to_num of inf)', () => {
    expect(Array.from(balancedClassWeights([0, 0, 1], 2))).toEqual([0.75, 1.5]);
    expect(Array.from(balancedClassWeights([0, 0, 2, 2], 3))).toEqual([4 / 6, 1, 4 / 6]);
    expect(() => balancedClassWeights([0, 3], 3)).toThrow(/label 3 outside 0..2/);
  });

  it('hand-computed 3-sample case: x = 0, 1, 2 with labels 0, 0, 1', () => {
    // weights w = 3/(2·2) = 0.75 (class 0), 3/(2·1) = 1.5 (class 1); X̃ rows [x, 1]
    // X̃ᵀWX̃ = [[Σw x², Σw x], [Σw x, Σw]] = [[6.75, 3.75], [3.75, 3]]; + (α + ε)I with α = 1
    // X̃ᵀWY = [[0.75, 3], [1.5, 1.5]]   (column c: Σ_{y=c} w·[x, 1])
    const a = 7.75 + RIDGE_EPS,
      b = 3.75,
      d = 4 + RIDGE_EPS;
    const det = a * d - b * b;
    const inv = [
      [d / det, -b / det],
      [-b / det, a / det],
    ];
    const rhs = [
      [0.75, 3],
      [1.5, 1.5],
    ];
    const sol = [0, 1].map((r) => [0, 1].map((c) => inv[r][0] * rhs[0][c] + inv[r][1] * rhs[1][c]));
    const head = fitRidgeHead({ x: [0, 1, 2], n: 3, d: 1, y: [0, 0, 1], classes: 2 });
    // weight [classes, d] = W_aug[:-1]ᵀ, bias = W_aug[-1]; both float64 of the same 2×2 solve: 1e-12
    expect(head.weight[0]).toBeCloseTo(sol[0][0], 12);
    expect(head.weight[1]).toBeCloseTo(sol[0][1], 12);
    expect(head.bias[0]).toBeCloseTo(sol[1][0], 12);
    expect(head.bias[1]).toBeCloseTo(sol[1][1], 12);
    // and the exact fractions without ε (det 16.9375): ε moves them by ~1e-7
    expect(head.weight[0]).toBeCloseTo(-2.625 / 16.9375, 6);
    expect(head.bias[0]).toBeCloseTo(8.8125 / 16.9375, 6);
    expect(head.weight[1]).toBeCloseTo(6.375 / 16.9375, 6);
    expect(head.bias[1]).toBeCloseTo(0.375 / 16.9375, 6);
  });

  it('equals a direct float64 solve of the same normal equations (random 60×7, 4 classes, one class empty)', () => {
    const rng = new Rng(7);
    const n = 60,
      d = 7,
      classes = 4;
    const x = rng.fillNormal(new Float32Array(n * d));
    const y = Int32Array.from({ length: n }, () => rng.int(3)); // class 3 never appears
    // official: weighted_X = X̃·√w, weighted_Y = Y·√w, A = wXᵀwX + αI + εI, B = wXᵀwY
    const counts = [0, 0, 0, 0];
    y.forEach((c) => counts[c]++);
    const cw = counts.map((k) => (k ? n / (classes * k) : 1));
    const m = d + 1;
    const wx = Array.from({ length: n }, (_, s) => [...Array.from(x.subarray(s * d, s * d + d)), 1].map((v) => v * Math.sqrt(cw[y[s]])));
    const wy = Array.from({ length: n }, (_, s) => Array.from({ length: classes }, (_, c) => (c === y[s] ? Math.sqrt(cw[y[s]]) : 0)));
    const A = Array.from({ length: m }, (_, i) =>
      Array.from({ length: m }, (_, j) => wx.reduce((acc, r) => acc + r[i] * r[j], 0) + (i === j ? 1 + RIDGE_EPS : 0)),
    );
    const B = Array.from({ length: m }, (_, i) =>
      Array.from({ length: classes }, (_, c) => wx.reduce((acc, r, s) => acc + r[i] * wy[s][c], 0)),
    );
    // Gauss-Jordan with partial pivoting on [A | B]
    const M = A.map((r, i) => [...r, ...B[i]]);
    for (let col = 0; col < m; col++) {
      let p = col;
      for (let r = col + 1; r < m; r++) if (Math.abs(M[r][col]) > Math.abs(M[p][col])) p = r;
      [M[col], M[p]] = [M[p], M[col]];
      const piv = M[col][col];
      for (let k = 0; k < m + classes; k++) M[col][k] /= piv;
      for (let r = 0; r < m; r++) {
        if (r === col) continue;
        const f = M[r][col];
        for (let k = 0; k < m + classes; k++) M[r][k] -= f * M[col][k];
      }
    }
    const W = M.map((r) => r.slice(m));
    const head = fitRidgeHead({ x, n, d, y, classes });
    let worst = 0;
    for (let c = 0; c < classes; c++) {
      for (let i = 0; i < d; i++) worst = Math.max(worst, Math.abs(head.weight[c * d + i] - W[i][c]));
      worst = Math.max(worst, Math.abs(head.bias[c] - W[d][c]));
    }
    // two float64 solves of a well-conditioned 8×8 system (entries O(1..60)): measured 8.3e-17; bound 1e-12
    expect(worst).toBeLessThan(1e-12);
    // the empty class's column: Y column is zero, so its weights and bias are 0
    for (let i = 0; i < d; i++) expect(head.weight[3 * d + i]).toBe(0);
    expect(head.bias[3]).toBe(0);
  });

  it('refuses non-finite features and mismatched sizes', () => {
    expect(() => fitRidgeHead({ x: [0, NaN, 1], n: 3, d: 1, y: [0, 1, 0], classes: 2 })).toThrow(/feature 0 of sample 1 is NaN/);
    expect(() => fitRidgeHead({ x: [0, 1], n: 3, d: 1, y: [0, 1, 0], classes: 2 })).toThrow(/2 feature values for 3×1/);
  });
});
