// The Metrics section's pure parts against cases worked out by hand.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config';
import type { MetricPoint } from '../../shared/densityScan';
import type { MethodSummary } from '../../shared/protocol';
import { compareRows, configDiff, scanAt, scanChartRows } from './metricsView';

function pt(
  method: MetricPoint['method'],
  seed: number,
  density: number,
  ntkTraceRatio: number,
  source: MetricPoint['source'] = 'exact',
): MetricPoint {
  return {
    method,
    seed,
    density,
    keptFraction: density,
    source,
    ntkTraceRatio,
    condition: 100 * density,
    effectiveDensity: density,
    collapsedLayers: seed,
  };
}

function summary(method: MethodSummary['method'], keptFraction: number, ntkTraceRatio?: number): MethodSummary {
  return {
    method,
    source: 'exact',
    exactPending: false,
    cached: false,
    density: 0.1,
    rounds: 1,
    kept: 10,
    total: 100,
    keptFraction,
    collapsedLayers: 0,
    ms: 1,
    ...(ntkTraceRatio !== undefined ? { ntkTraceRatio } : {}),
  };
}

describe('scanChartRows', () => {
  it('gives one row per density (largest first) with the mean and, over seeds, the range per method', () => {
    const points = [
      pt('synflow', 0, 0.1, 0.5),
      pt('synflow', 1, 0.1, 0.7),
      pt('snip', 0, 0.1, 0.2),
      pt('snip', 0, 0.5, 0.9),
      pt('snip', 1, 0.1, 0.4),
      pt('snip', 1, 0.5, 0.8),
    ];
    const { rows, methods } = scanChartRows(points, 'ntkTraceRatio', true);
    // the methods in URL order, not arrival order
    expect(methods).toEqual(['snip', 'synflow']);
    expect(rows.map((r) => r.density)).toEqual([0.5, 0.1]);
    expect(rows[1].synflow).toBeCloseTo(0.6, 12);
    expect(rows[1]['synflow:range']).toEqual([0.5, 0.7]);
    expect(rows[0].snip).toBeCloseTo(0.85, 12);
    // SynFlow has no point at 0.5: nothing drawn there
    expect(rows[0].synflow).toBeUndefined();
  });

  it('leaves values ≤ 0 off a log axis, keeps them on a linear one', () => {
    const points = [pt('mag', 0, 0.1, 0)];
    expect(scanChartRows(points, 'collapsedLayers', true).rows[0].mag).toBeUndefined();
    expect(scanChartRows(points, 'collapsedLayers', false).rows[0].mag).toBe(0);
  });
});

describe('scanAt', () => {
  it('is the scan at one density, each method marked path when any seed read it off an approximate path', () => {
    const points = [pt('px', 0, 0.1, 0.5, 'path'), pt('px', 1, 0.1, 0.7, 'path'), pt('snip', 0, 0.1, 0.3), pt('snip', 0, 0.2, 0.9)];
    const at = scanAt(points, 0.1);
    expect(at.map((r) => [r.method, r.source])).toEqual([
      ['px', 'path'],
      ['snip', 'exact'],
    ]);
    expect(at[0].metrics.collapsedLayers).toMatchObject({ n: 2, mean: 0.5, min: 0, max: 1 });
    expect(at[1].metrics.ntkTraceRatio?.mean).toBe(0.3);
  });
});

describe('compareRows and configDiff', () => {
  it('sets the two runs side by side with B − A where both have a number', () => {
    const rows = compareRows([summary('snip', 0.1, 0.5), summary('px', 0.1)], [summary('snip', 0.1, 0.75), summary('grasp', 0.1, 1)]);
    expect(rows.map((r) => r.method)).toEqual(['px', 'snip', 'grasp']);
    expect(rows[1].diff).toEqual({ keptFraction: 0, ntkTraceRatio: 0.25, collapsedLayers: 0 });
    expect(rows[0].b).toBeUndefined();
    expect(rows[2].a).toBeUndefined();
    expect(rows[2].diff).toEqual({});
  });

  it('names the configuration fields that differ', () => {
    expect(configDiff(DEFAULT_CONFIG, { ...DEFAULT_CONFIG, seed: 3, methods: ['snip'] })).toEqual([
      'methods px-2024,snip,synflow → snip',
      'seed 0 → 3',
    ]);
    expect(configDiff(DEFAULT_CONFIG, DEFAULT_CONFIG)).toEqual([]);
  });
});
