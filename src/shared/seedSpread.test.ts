// The spread over seeds and the noise rule on analytic cases: hand-computed means and sample
// standard deviations, overlapping ranges (within noise), disjoint ones (ranked), one seed (no claim).
import { describe, expect, it } from 'vitest';
import { compareWithNoise, noiseTiers, rankingLine, spreadOf } from './seedSpread';

const s = (min: number, max: number, n = 3) => ({ n, min, max, mean: (min + max) / 2 });

describe('spreadOf', () => {
  it('mean, sample std (n − 1) and range of 0.80, 0.82, 0.84', () => {
    const r = spreadOf([0.8, 0.82, 0.84])!;
    expect(r.n).toBe(3);
    expect(r.failed).toBe(0);
    expect(r.mean).toBeCloseTo(0.82, 12);
    // deviations ±0.02 and 0: sqrt((0.0004 + 0 + 0.0004) / 2) = 0.02
    expect(r.std).toBeCloseTo(0.02, 12);
    expect([r.min, r.max]).toEqual([0.8, 0.84]);
  });
  it('one seed: std 0, min = max = mean', () => {
    expect(spreadOf([0.5])).toEqual({ n: 1, failed: 0, mean: 0.5, std: 0, min: 0.5, max: 0.5 });
  });
  it('a non-finite value is counted as failed, never averaged in', () => {
    const r = spreadOf([0.6, Number.NaN, 0.8, Number.POSITIVE_INFINITY], 1)!;
    expect(r.n).toBe(2);
    expect(r.failed).toBe(3);
    expect(r.mean).toBeCloseTo(0.7, 12);
    expect(Number.isFinite(r.std)).toBe(true);
  });
  it('no finite value: null (nothing to show)', () => {
    expect(spreadOf([])).toBeNull();
    expect(spreadOf([Number.NaN], 2)).toBeNull();
  });
});

describe('compareWithNoise', () => {
  it('overlapping ranges are within noise, either way round', () => {
    expect(compareWithNoise(s(0.8, 0.85), s(0.84, 0.9))).toEqual({ kind: 'within-noise' });
    expect(compareWithNoise(s(0.84, 0.9), s(0.8, 0.85))).toEqual({ kind: 'within-noise' });
    // one range inside the other
    expect(compareWithNoise(s(0.8, 0.9), s(0.84, 0.86))).toEqual({ kind: 'within-noise' });
    // touching ranges share a value: not ranked
    expect(compareWithNoise(s(0.8, 0.85), s(0.85, 0.9))).toEqual({ kind: 'within-noise' });
  });
  it('disjoint ranges are ranked, the higher one better', () => {
    expect(compareWithNoise(s(0.86, 0.9), s(0.8, 0.85))).toEqual({ kind: 'ranked', better: 'a' });
    expect(compareWithNoise(s(0.1, 0.2), s(0.3, 0.31))).toEqual({ kind: 'ranked', better: 'b' });
  });
  it('one seed on either side: no claim', () => {
    expect(compareWithNoise(s(0.9, 0.9, 1), s(0.1, 0.2))).toEqual({ kind: 'one-seed' });
    expect(compareWithNoise(s(0.9, 0.95), s(0.1, 0.1, 1))).toEqual({ kind: 'one-seed' });
  });
});

describe('noiseTiers and rankingLine', () => {
  const px = { label: 'PX', ...s(0.84, 0.86) };
  const snip = { label: 'SNIP', ...s(0.83, 0.845) };
  const syn = { label: 'SynFlow', ...s(0.7, 0.8) };
  const rand = { label: 'Random', ...s(0.1, 0.2) };
  it('tiers: overlapping together, disjoint apart, best first', () => {
    expect(noiseTiers([rand, snip, px, syn])!.map((t) => t.map((x) => x.label))).toEqual([['PX', 'SNIP'], ['SynFlow'], ['Random']]);
  });
  it('never ranks two whose ranges overlap, even through a third (A > B, B ≈ C, C overlaps A)', () => {
    const a = { label: 'A', n: 3, mean: 0.9, min: 0.85, max: 0.95 };
    const b = { label: 'B', n: 3, mean: 0.8, min: 0.78, max: 0.82 };
    // C's mean is lowest but its range reaches into A's
    const c = { label: 'C', n: 3, mean: 0.7, min: 0.5, max: 0.88 };
    expect(compareWithNoise(a, b).kind).toBe('ranked');
    expect(compareWithNoise(a, c).kind).toBe('within-noise');
    expect(rankingLine([a, b, c])).toBe('A, B, C: within noise');
    // a fourth, below everyone's range, is ranked below all three
    const d = { label: 'D', n: 3, mean: 0.2, min: 0.1, max: 0.3 };
    expect(rankingLine([d, a, b, c])).toBe('A ≈ B ≈ C (within noise) > D');
  });
  it('the line ranks only across tiers and says "within noise" inside one', () => {
    expect(rankingLine([rand, snip, px, syn])).toBe('PX ≈ SNIP (within noise) > SynFlow > Random');
    expect(rankingLine([px, snip])).toBe('PX, SNIP: within noise');
    expect(rankingLine([px, rand])).toBe('PX > Random');
  });
  it('one seed: no ranking, and it says so', () => {
    expect(noiseTiers([{ ...px, n: 1 }, rand])).toBeNull();
    expect(
      rankingLine([
        { ...px, n: 1 },
        { ...rand, n: 1 },
      ]),
    ).toMatch(/^1 seed: /);
  });
  it('a single method ranks nothing', () => {
    expect(rankingLine([px])).toBe('');
  });
});
