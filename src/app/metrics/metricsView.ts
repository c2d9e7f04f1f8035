// What the Metrics section draws, as pure functions of the worker's answers (tested without a
// DOM): chart rows of a density scan (mean line and seed range per method), the scan at the
// page's density, and the side-by-side comparison of two runs with their differences.
import { type RunConfig } from '../../shared/config';
import { METHOD_NAMES, type MethodId } from '../../shared/methods';
import { aggregate, type Aggregate, type MetricPoint, type ScanMetric } from '../../shared/densityScan';
import type { MethodSummary } from '../../shared/protocol';

/** One x position of a scan chart: `<method>` is the mean, `<method>:range` the [min, max] across seeds. */
export type ScanRow = { density: number } & Record<string, number | [number, number] | undefined>;

/**
 * Chart rows for one metric, densities largest first. Values ≤ 0 are left out where the axis is
 * logarithmic (they have no place on it).
 */
export function scanChartRows(points: readonly MetricPoint[], metric: ScanMetric, log: boolean): { rows: ScanRow[]; methods: MethodId[] } {
  const agg = aggregate(points, metric);
  const byDensity = new Map<number, ScanRow>();
  for (const a of agg) {
    let row = byDensity.get(a.density);
    if (!row) byDensity.set(a.density, (row = { density: a.density }));
    if (a.n === 0 || (log && a.min <= 0)) continue;
    row[a.method] = a.mean;
    if (a.n > 1) row[`${a.method}:range`] = [a.min, a.max];
  }
  const methods = METHOD_NAMES.filter((m) => agg.some((a) => a.method === m));
  return { rows: [...byDensity.values()].sort((a, b) => b.density - a.density), methods };
}

/** Per method, every metric's aggregate at one density (the row of the scan the summary table also shows). */
export function scanAt(
  points: readonly MetricPoint[],
  density: number,
): Array<{ method: MethodId; source: 'exact' | 'path'; metrics: Record<ScanMetric, Aggregate | undefined> }> {
  const here = points.filter((p) => p.density === density);
  const methods = METHOD_NAMES.filter((m) => here.some((p) => p.method === m));
  const of = (metric: ScanMetric) => new Map(aggregate(here, metric).map((a) => [a.method, a]));
  const maps = {
    ntkTraceRatio: of('ntkTraceRatio'),
    condition: of('condition'),
    effectiveDensity: of('effectiveDensity'),
    collapsedLayers: of('collapsedLayers'),
  };
  return methods.map((method) => ({
    method,
    source: here.some((p) => p.method === method && p.source === 'path') ? 'path' : 'exact',
    metrics: {
      ntkTraceRatio: maps.ntkTraceRatio.get(method),
      condition: maps.condition.get(method),
      effectiveDensity: maps.effectiveDensity.get(method),
      collapsedLayers: maps.collapsedLayers.get(method),
    },
  }));
}

/** The numbers the comparison sets side by side. */
export const COMPARED = ['keptFraction', 'effectiveDensity', 'ntkTraceRatio', 'condition', 'collapsedLayers'] as const;
export type Compared = (typeof COMPARED)[number];

export interface CompareRow {
  method: MethodId;
  a?: MethodSummary;
  b?: MethodSummary;
  /** b − a per number (undefined when either side lacks it). */
  diff: Partial<Record<Compared, number>>;
}

/** One row per method of either run (URL order), with B − A for each number both have. */
export function compareRows(a: readonly MethodSummary[], b: readonly MethodSummary[]): CompareRow[] {
  const methods = METHOD_NAMES.filter((m) => a.some((s) => s.method === m) || b.some((s) => s.method === m));
  return methods.map((method) => {
    const sa = a.find((s) => s.method === method);
    const sb = b.find((s) => s.method === method);
    const diff: Partial<Record<Compared, number>> = {};
    for (const k of COMPARED) {
      const x = sa?.[k];
      const y = sb?.[k];
      if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)) diff[k] = y - x;
    }
    return { method, ...(sa ? { a: sa } : {}), ...(sb ? { b: sb } : {}), diff };
  });
}

/** The configuration fields that differ, as "seed 0 → 1" (what makes the two runs two). */
export function configDiff(a: RunConfig, b: RunConfig): string[] {
  const out: string[] = [];
  for (const k of Object.keys(a) as Array<keyof RunConfig>) {
    const x = Array.isArray(a[k]) ? (a[k] as string[]).join(',') : String(a[k]);
    const y = Array.isArray(b[k]) ? (b[k] as string[]).join(',') : String(b[k]);
    if (x !== y) out.push(`${k} ${x} → ${y}`);
  }
  return out;
}
