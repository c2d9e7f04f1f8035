// Every pruner against the official code's outputs (shared/fixtures/safetensors/public).
import { describe, expect, it } from 'vitest';
import { tf } from '../src/core/tf';
import { CASES, readCase, type CaseName } from './fixtures';
import { comparePruning, EXPECTED, tolerance } from './pruneFixtureCheck';

export const compareCase = (name: CaseName, file: string) => comparePruning(readCase(name), file);

const ONLY = process.env.ONLY;

describe('pruners reproduce the official code (public safetensors set)', () => {
  for (const name of CASES) {
    for (const f of EXPECTED[name].filter((f) => !ONLY || `${name} ${f}` === ONLY)) {
      const method = f.split('_')[0];
      const tol = tolerance(name, method);
      it(`${name} ${f}: scores within ${tol.scores}${tol.upToScale ? ' up to scale' : ''}, ≤${tol.mismatches} mask differences`, async () => {
        const before = tf.memory().numTensors;
        const r = await compareCase(name, `${f}_d0.1.safetensors`);
        expect(tf.memory().numTensors).toBe(before);
        expect(tol.upToScale ? r.scaled : r.raw).toBeLessThanOrEqual(tol.scores);
        expect(r.mismatches).toBeLessThanOrEqual(tol.mismatches);
        expect(r.kept).toBeLessThanOrEqual(r.wantKept);
        expect(r.kept).toBeGreaterThanOrEqual(r.wantKept - (tol.tiesAllowed ?? 0));
        if (method.startsWith('px')) {
          // PX scores are |grad|·w² ≥ 0 and finite
          for (const s of r.res.scores.values()) for (const v of s) expect(v >= 0 && Number.isFinite(v)).toBe(true);
        }
      });
    }
  }

  it('resnet20 px: the scale factor is reported and matches the float64 reference', async () => {
    const r = await compareCase('resnet20', 'px_R1_d0.1.safetensors');
    const logScale = Number(r.meta.scoreLogScale);
    // PX_FLOAT32.md: total scale exp(91.24) ≈ 4.2e39
    expect(logScale).toBeGreaterThan(85);
    const c = readCase('resnet20');
    const exp = c.expected('px_R1_d0.1.safetensors');
    const w = exp.tensors.get('fc.weight')!.data as Float64Array;
    const g = r.res.scores.get('fc.weight')!;
    let num = 0;
    let den = 0;
    for (let i = 0; i < w.length; i++) {
      num += g[i] * Math.exp(logScale) * w[i];
      den += w[i] * w[i];
    }
    expect(Math.abs(num / den - 1)).toBeLessThan(1e-4);
  });
});
