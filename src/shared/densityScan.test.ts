// The density scan's pure parts: which seeds and densities it visits, and the mean and spread
// across seeds, against values worked out by hand.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, DENSITY_GRID, MIN_DENSITY } from './config';
import { aggregate, scanDensities, scanSeeds, type MetricPoint } from './densityScan';

const floor = (rounds: number) => (rounds === 1 ? MIN_DENSITY : Math.min(...DENSITY_GRID));

function pt(method: MetricPoint['method'], seed: number, density: number, ntkTraceRatio: number | undefined, condition = 10): MetricPoint {
  return { method, seed, density, keptFraction: density, source: 'path', ntkTraceRatio, condition, collapsedLayers: 0 };
}

describe('density scan seeds and densities', () => {
  it('repeats over the configuration seed and the next ones, clamped to 1…5', () => {
    expect(scanSeeds({ seed: 7 }, 3)).toEqual([7, 8, 9]);
    expect(scanSeeds({ seed: 0 }, 0)).toEqual([0]);
    expect(scanSeeds({ seed: 0 }, 99)).toHaveLength(5);
  });

  it('visits the 0.8^k grid and the page density, largest first, never below the path floor', () => {
    const cfg = { ...DEFAULT_CONFIG, density: 0.1, rounds: 20 };
    const iter = scanDensities(cfg, 'synflow', floor);
    expect(iter).toEqual([...DENSITY_GRID, 0.1].sort((a, b) => b - a));
    // an iterative method's path stops at the grid's last density: 0.001 is not on it
    expect(scanDensities({ ...cfg, density: 0.001 }, 'synflow', floor)).toEqual(DENSITY_GRID);
    // a one-shot path goes down to MIN_DENSITY
    expect(scanDensities({ ...cfg, density: 0.001 }, 'snip', floor)).toEqual([...DENSITY_GRID, 0.001]);
    // the page's density already on the grid is not visited twice
    expect(scanDensities({ ...cfg, density: DENSITY_GRID[3] }, 'snip', floor)).toEqual(DENSITY_GRID);
  });
});

describe('aggregate', () => {
  it('gives the mean, sample standard deviation and range per method and density', () => {
    const points = [pt('snip', 0, 0.5, 1), pt('snip', 1, 0.5, 2), pt('snip', 2, 0.5, 6), pt('snip', 0, 0.1, 0.25), pt('px', 0, 0.5, 0.9)];
    const a = aggregate(points, 'ntkTraceRatio');
    expect(a.map((r) => [r.method, r.density])).toEqual([
      ['snip', 0.5],
      ['snip', 0.1],
      ['px', 0.5],
    ]);
    // 1, 2, 6: mean 3, deviations −2, −1, 3 → sum of squares 14, over n − 1 = 2 → variance 7
    expect(a[0]).toMatchObject({ n: 3, missing: 0, mean: 3, min: 1, max: 6 });
    expect(a[0].std).toBeCloseTo(Math.sqrt(7), 12);
    // one seed: no spread
    expect(a[1]).toMatchObject({ n: 1, mean: 0.25, std: 0, min: 0.25, max: 0.25 });
  });

  it('counts infinite and missing values instead of averaging them', () => {
    const points = [pt('grasp', 0, 0.2, undefined, Infinity), pt('grasp', 1, 0.2, 0.5, 40), pt('grasp', 2, 0.2, 0.7, 20)];
    const cond = aggregate(points, 'condition')[0];
    expect(cond).toMatchObject({ n: 2, missing: 1, mean: 30, min: 20, max: 40 });
    const trace = aggregate(points, 'ntkTraceRatio')[0];
    expect(trace.n).toBe(2);
    expect(trace.missing).toBe(1);
    expect(trace.mean).toBeCloseTo(0.6, 12);
    const none = aggregate([pt('mag', 0, 0.2, undefined)], 'ntkTraceRatio')[0];
    expect(none.n).toBe(0);
    expect(Number.isNaN(none.mean)).toBe(true);
  });
});
