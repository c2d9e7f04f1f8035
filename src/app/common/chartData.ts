// What the charts draw, as pure functions (unit-tested without a DOM): log domains and ticks,
// the round series of a method, the per-layer points, and where a spectrum stops early.
import { METHOD_INFO } from '../../shared/methods';
import type { MethodId } from '../../shared/methods';
import type { MethodView, RunView } from './runView';

/** Positive, finite values only (log axes); everything else is a gap. */
export function logSafe(v: number | undefined | null): number | undefined {
  return v !== undefined && v !== null && Number.isFinite(v) && v > 0 ? v : undefined;
}

/** Log-axis domain over positive values, padded to whole decades; null when nothing is positive. */
export function logDomain(values: Iterable<number | undefined>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === undefined || !(v > 0) || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return null;
  const a = 10 ** Math.floor(Math.log10(lo));
  let b = 10 ** Math.ceil(Math.log10(hi));
  if (b <= a) b = a * 10;
  return [a, b];
}

/** Whole decades in a log domain, at most about seven of them. */
export function decadeTicks([a, b]: [number, number]): number[] {
  const out: number[] = [];
  const step = Math.max(1, Math.ceil((Math.log10(b) - Math.log10(a)) / 6));
  for (let e = Math.round(Math.log10(a)); e <= Math.round(Math.log10(b)); e += step) out.push(10 ** e);
  return out;
}

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** One format for every decade tick: 10⁻³, 10⁰, 10³ (never a mix of 1e3, 100, 10.00, 0.100). */
export function decadeLabel(v: number): string {
  const e = Math.round(Math.log10(v));
  return `10${String(e).replace(/./g, (c) => SUPERSCRIPT[c] ?? c)}`;
}

/** One format for every percentage tick of a log axis: 100%, 10%, 1%, 0.1%, 0.01%. */
export function percentDecadeLabel(v: number): string {
  const p = v * 100;
  return `${p >= 1 ? Math.round(p) : Number(p.toPrecision(1))}%`;
}

/** Relative floor under which an eigenvalue counts as zero on the log chart. */
export const EIGEN_FLOOR = 1e-9;

/** Per series, how many eigenvalues are drawn and how many there are (numerically zero ones are not). */
export function spectrumCuts(
  view: Pick<RunView, 'denseNtk' | 'methods'>,
): Array<{ key: 'dense' | MethodId; label: string; drawn: number; total: number }> {
  const series: Array<{ key: 'dense' | MethodId; label: string; ev: number[] }> = [];
  if (view.denseNtk) series.push({ key: 'dense', label: 'Dense', ev: view.denseNtk.eigenvalues });
  for (const m of view.methods) if (m.ntk) series.push({ key: m.method, label: METHOD_INFO[m.method].label, ev: m.ntk.eigenvalues });
  let top = 0;
  for (const s of series) for (const v of s.ev) if (Number.isFinite(v) && v > top) top = v;
  const floor = top * EIGEN_FLOOR;
  return series.map((s) => ({
    key: s.key,
    label: s.label,
    total: s.ev.length,
    drawn: s.ev.filter((v) => Number.isFinite(v) && v > floor).length,
  }));
}

/** A note for series whose spectrum stops before the last index (null when none does). */
export function spectrumNote(view: Pick<RunView, 'denseNtk' | 'methods'>): string | null {
  const short = spectrumCuts(view).filter((c) => c.drawn < c.total);
  if (!short.length) return null;
  const parts = short.map((c) => `${c.label} stops at ${c.drawn} of ${c.total}`);
  return `${parts.join('; ')}: the remaining eigenvalues are numerically zero (below 10⁻⁹ of the largest; the pruned NTK has lower rank), so a log axis cannot show them.`;
}

interface SeriesPoint {
  kept?: number;
  trace?: number;
}

/**
 * Measured points of one method over rounds: round 0 is the dense network (everything kept, the
 * dense NTK), then every streamed round (with the NTK trace where the worker computed one), then
 * the final mask. A one-shot method read off its path shows its final mask only (its path round
 * goes to the path floor, not to the chosen density).
 */
export function methodSeries(m: MethodView, denseTrace: number | undefined): { points: Map<number, SeriesPoint>; path: boolean } {
  const points = new Map<number, SeriesPoint>();
  points.set(0, { kept: 1, trace: denseTrace ? 1 : undefined });
  const s = m.summary;
  const oneShot = !!s && s.rounds <= 1;
  const finalFromPath = m.phase === 'path' && !!s && !s.exactPending && oneShot;
  if (!finalFromPath)
    for (const r of m.rounds)
      points.set(r.round, { kept: r.keptFraction, trace: r.ntkTrace !== undefined && denseTrace ? r.ntkTrace / denseTrace : undefined });
  // a final exact result always has its point (whether its rounds were streamed, replayed or not)
  const finalMatches = s && !s.exactPending && (finalFromPath || s.source === 'exact' || s.cached);
  if (s && finalMatches) {
    const trace = s.ntkTraceRatio ?? (m.ntk && denseTrace && m.ntkSource === s.source ? m.ntk.trace / denseTrace : undefined);
    points.set(Math.max(1, s.rounds), { kept: s.keptFraction, trace });
  }
  return { points, path: m.phase === 'path' && !finalFromPath && !(s && !s.exactPending) };
}

export interface LayerPoint {
  /** Layer index plus a small per-method offset, so methods at one layer sit side by side. */
  x: number;
  /** Drawn value (collapsed layers sit just above the axis floor, inside the plot). */
  y: number;
  /** The measured value (tooltips). */
  raw: number;
  layer: string;
  collapsed: boolean;
}

/** Per-layer points of each method: density (log axis, floor 1e-4) or share of units alive. */
export function layerPoints(
  view: Pick<RunView, 'methods' | 'model'>,
  metric: 'density' | 'width',
): { names: string[]; series: Array<{ method: MethodId; points: LayerPoint[] }> } {
  // every method of the run, in table order, each at its own offset (a fixed place per method,
  // whichever finished first)
  const withLayers = view.methods.filter((m) => m.layers?.length);
  const names = view.model?.layers.map((l) => l.name) ?? withLayers[0]?.layers?.map((l) => l.name) ?? [];
  const n = view.methods.length;
  const spread = n > 1 ? Math.min(0.6, 0.12 * (n - 1)) : 0;
  const series = view.methods.map((m, j) => {
    const offset = n > 1 ? -spread / 2 + (spread * j) / (n - 1) : 0;
    const points: LayerPoint[] = [];
    names.forEach((name, i) => {
      const row = m.layers?.find((l) => l.name === name);
      if (!row) return;
      const raw = metric === 'density' ? row.density : row.outUnits ? row.width / row.outUnits : 0;
      const floorY = metric === 'density' ? LAYER_DENSITY_FLOOR * 2 : 0.03;
      const y =
        row.collapsed || (metric === 'density' ? raw < LAYER_DENSITY_FLOOR : raw <= 0)
          ? Math.max(floorY, metric === 'density' ? Math.max(raw, 0) : raw)
          : raw;
      points.push({ x: i + offset, y: row.collapsed ? floorY : y, raw, layer: name, collapsed: row.collapsed });
    });
    return { method: m.method, points };
  });
  return { names, series };
}

/** Lowest density the per-layer chart shows (a log axis). */
export const LAYER_DENSITY_FLOOR = 1e-4;
