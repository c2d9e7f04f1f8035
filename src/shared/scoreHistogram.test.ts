// Binning |scores| on a log axis against cases counted by hand.
import { describe, expect, it } from 'vitest';
import { logHistogram } from './scoreHistogram';

describe('logHistogram', () => {
  it('puts 10^(k + 0.5) in decade bin k, split by the keep flags (an analytic case)', () => {
    // 10 values per decade at the decade's centre, decades 0…4; keep the top two decades
    const values: number[] = [];
    const keep: number[] = [];
    for (let k = 0; k < 5; k++)
      for (let j = 0; j < 10; j++) {
        values.push(10 ** (k + 0.5) * (j % 2 ? -1 : 1));
        keep.push(k >= 3 ? 1 : 0);
      }
    const h = logHistogram(values, keep, 5, [0, 5]);
    expect(h.bins.map((b) => [b.lo, b.hi])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
    ]);
    expect(h.bins.map((b) => [b.kept, b.pruned])).toEqual([
      [0, 10],
      [0, 10],
      [0, 10],
      [10, 0],
      [10, 0],
    ]);
    expect(h.negative).toBe(25);
    expect(h.zeros).toEqual({ kept: 0, pruned: 0 });
  });

  it('counts zeros apart and spans the data by default (the largest value lands in the last bin)', () => {
    const h = logHistogram([0, 0, 1e-3, 1e-2, 1e-1, 1], [1, 0, 0, 0, 1, 1], 3);
    expect(h.zeros).toEqual({ kept: 1, pruned: 1 });
    expect(h.bins[0].lo).toBeCloseTo(-3, 12);
    expect(h.bins[2].hi).toBeCloseTo(0, 12);
    // edges at −3, −2, −1, 0: 1e-3 → bin 0, 1e-2 → bin 1, 1e-1 and 1 (the top edge) → bin 2
    expect(h.bins.map((b) => b.kept + b.pruned)).toEqual([1, 1, 2]);
    expect(h.bins[2].kept).toBe(2);
    const total = h.bins.reduce((a, b) => a + b.kept + b.pruned, 0) + h.zeros.kept + h.zeros.pruned;
    expect(total).toBe(6);
  });

  it('handles all-equal and all-zero scores, and refuses mismatched inputs', () => {
    expect(logHistogram([2, 2, 2], [1, 1, 0], 4).bins[0]).toMatchObject({ kept: 2, pruned: 1 });
    expect(logHistogram([0, 0], [0, 0], 4).zeros).toEqual({ kept: 0, pruned: 2 });
    expect(() => logHistogram([1, 2], [1], 4)).toThrow(/2 values but 1 keep flags/);
  });
});
