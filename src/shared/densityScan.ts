// Density scans: NTK trace ratio, condition number, effective density and collapsed
// layers against sparsity for every method, read off each method's pruning path (no training),
// repeated over seeds. The types the worker sends, the densities a scan visits and the pure
// aggregation (mean and spread across seeds) the page draws. No tfjs here.
import { DENSITY_GRID, type RunConfig } from './config';
import { roundsFor, type MethodId } from './methods';
import type { RequestEnd } from './requestEnd';

/** The numbers of one mask on a method's path. */
export interface MetricPoint {
  method: MethodId;
  seed: number;
  /** Target density the mask was read at. */
  density: number;
  /** Kept / prunable (differs from `density` only by ties and rounding). */
  keptFraction: number;
  /** 'exact': the path's mask is the direct prune to this density (one-shot methods, the floor). */
  source: 'exact' | 'path';
  /** Pruned NTK trace over the dense one's (same seed). */
  ntkTraceRatio?: number;
  /** λmax / λmin of the pruned NTK (Infinity when λmin ≤ 0). */
  condition?: number;
  effectiveDensity?: number;
  collapsedLayers: number;
}

/** A density scan: the page's configuration, repeated over `seeds` seeds (config.seed, +1, …). */
export interface DensityScanRequest {
  id: number;
  config: RunConfig;
  seeds: number;
}

export type DensityScanEvent =
  | { type: 'scan-start'; requestId: number; densities: number[]; seeds: number[]; methods: MethodId[]; total: number }
  /** One method of one seed read at every density of the scan. */
  | { type: 'scan-points'; requestId: number; points: MetricPoint[]; done: number; total: number }
  | RequestEnd<{ points: MetricPoint[]; ms: number }>;

/** Seeds a density scan may repeat over (each new seed records every method's path again). */
export const MAX_SCAN_SEEDS = 5;

/** The metrics a scan plots, in the page's order. */
export const SCAN_METRICS = ['ntkTraceRatio', 'condition', 'effectiveDensity', 'collapsedLayers'] as const;
export type ScanMetric = (typeof SCAN_METRICS)[number];

/** The seeds of a scan: the configuration's, then the next ones. */
export function scanSeeds(config: Pick<RunConfig, 'seed'>, seeds: number): number[] {
  const n = Math.max(1, Math.min(MAX_SCAN_SEEDS, Math.round(seeds)));
  return Array.from({ length: n }, (_, i) => config.seed + i);
}

/**
 * Densities a method's scan reads, largest first: the literature's 0.8^k grid and the page's
 * density (so the curves pass through the table's row), all on the path (at or above its floor).
 */
export function scanDensities(
  config: Pick<RunConfig, 'density' | 'rounds' | 'oneShotRounds'>,
  method: MethodId,
  floor: (rounds: number) => number,
): number[] {
  const f = floor(roundsFor(config, method));
  const all = [...DENSITY_GRID, config.density].filter((d) => d >= f - 1e-12 && d <= 1);
  return [...new Set(all)].sort((a, b) => b - a);
}

/** Mean and spread of one metric of one method at one density across seeds. */
export interface Aggregate {
  method: MethodId;
  density: number;
  /** Seeds with a finite value. */
  n: number;
  /** Seeds whose value was infinite or missing (an NTK with λmin ≤ 0 has no finite condition). */
  missing: number;
  mean: number;
  /** Sample standard deviation (0 for one seed). */
  std: number;
  min: number;
  max: number;
}

/**
 * Per method and density, the mean, sample standard deviation and range of `metric` across the
 * seeds' points; infinite or missing values are counted, not averaged. Rows follow the methods'
 * first appearance, densities largest first.
 */
export function aggregate(points: readonly MetricPoint[], metric: ScanMetric): Aggregate[] {
  const groups = new Map<string, { method: MethodId; density: number; values: number[]; missing: number }>();
  for (const p of points) {
    const key = `${p.method}|${p.density}`;
    let g = groups.get(key);
    if (!g) {
      g = { method: p.method, density: p.density, values: [], missing: 0 };
      groups.set(key, g);
    }
    const v = p[metric];
    if (v === undefined || !Number.isFinite(v)) g.missing++;
    else g.values.push(v);
  }
  const order = [...new Set(points.map((p) => p.method))];
  return [...groups.values()]
    .sort((a, b) => order.indexOf(a.method) - order.indexOf(b.method) || b.density - a.density)
    .map((g) => {
      const n = g.values.length;
      const mean = n ? g.values.reduce((a, v) => a + v, 0) / n : NaN;
      const variance = n > 1 ? g.values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) : 0;
      return {
        method: g.method,
        density: g.density,
        n,
        missing: g.missing,
        mean,
        std: Math.sqrt(variance),
        min: n ? Math.min(...g.values) : NaN,
        max: n ? Math.max(...g.values) : NaN,
      };
    });
}
