// What the sweep chart draws, as a pure function (unit-tested without a DOM): one row per density
// with every series' mean, ±1 std and seed range, the shipped archive's band and mean behind them,
// the dense references, and the axes' domains.
import type { ArchiveRow } from '../../shared/archive';
import type { TrainResult } from '../../shared/protocol';
import { pct } from '../common/format';
import { sweepPoints } from './trainView';

/** A series of the sweep chart: the page's cells or a loaded file's. */
export interface SweepSeries {
  results: TrainResult[];
  /** Appended to the legend ("" for the page's own, " (file)" for a dropped one). */
  suffix: string;
  dashed: boolean;
}

/** One drawn line: its data key in the rows, its method, how it is drawn. */
export interface SweepLine {
  key: string;
  method: string;
  suffix: string;
  dashed: boolean;
  /** Some density has a min–max band (more than one seed). */
  band: boolean;
}

/** A horizontal reference (dense): its mean, its seeds' range, its label. */
export interface DenseReference {
  mean: number;
  min: number;
  max: number;
  label: string;
}

type ChartRow = Record<string, number | [number, number]>;

/** The data key of a method's archive mean (its band: `${key}__band`). */
export const archiveKey = (method: string) => `archive_${method}`;

/** The archive's rows as chart lines: per method a band (min–max over the archived seeds, drawn even
 * with one seed, where it is a line) and a mean, merged into `byDensity`; dense as a reference. */
function addArchive(rows: readonly ArchiveRow[], byDensity: Map<number, ChartRow>) {
  const lines: SweepLine[] = [];
  const denses: DenseReference[] = [];
  for (const p of rows) {
    if (p.method === 'dense') {
      denses.push({ mean: p.mean, min: p.min, max: p.max, label: `Dense (archive) ${pct(p.mean)}` });
      continue;
    }
    const key = archiveKey(p.method);
    if (!lines.some((l) => l.key === key)) lines.push({ key, method: p.method, suffix: ' (archive)', dashed: true, band: true });
    const row = byDensity.get(p.density) ?? { density: p.density };
    row[key] = p.mean;
    row[`${key}__band`] = [p.min, p.max];
    byDensity.set(p.density, row);
  }
  return { lines, denses };
}

/** The sweep chart's rows (one per density, densest first), lines, dense references and axis domains. */
export function sweepChartData(series: readonly SweepSeries[], archive: readonly ArchiveRow[] = []) {
  const byDensity = new Map<number, ChartRow>();
  const lines: SweepLine[] = [];
  const denses: DenseReference[] = [];
  series.forEach((s, si) => {
    for (const p of sweepPoints(s.results)) {
      if (p.method === 'dense') {
        denses.push({ mean: p.mean, min: p.min, max: p.max, label: `Dense${s.suffix} ${pct(p.mean)}` });
        continue;
      }
      const key = `s${si}_${p.method}`;
      let line = lines.find((l) => l.key === key);
      if (!line) lines.push((line = { key, method: p.method, suffix: s.suffix, dashed: s.dashed, band: false }));
      const row = byDensity.get(p.density) ?? { density: p.density };
      row[key] = p.mean;
      // error bar: the sample standard deviation over seeds; band: their min–max (neither with one seed)
      row[`${key}__err`] = p.n > 1 ? p.std : 0;
      if (p.n > 1) {
        row[`${key}__band`] = [p.min, p.max];
        line.band = true;
      }
      byDensity.set(p.density, row);
    }
  });
  const archived = addArchive(archive, byDensity);
  const ds = [...byDensity.keys()];
  // a decade below the sparsest point, less a margin, so no point sits on the axis' edge
  const lo = ds.length ? 10 ** Math.floor(Math.log10(Math.min(...ds)) - 0.3) : 0.001;
  const domain: [number, number] = [lo, 1];
  // the accuracy axis covers every point with its error bar and band, the archive's bands and the dense lines, in steps of 10%
  const ys = [
    ...series.flatMap((s) => sweepPoints(s.results).flatMap((p) => [p.mean - p.std, p.mean + p.std, p.min, p.max])),
    ...archive.flatMap((p) => [p.min, p.max]),
  ];
  const yDomain: [number, number] = ys.length
    ? [Math.max(0, Math.floor(Math.min(...ys) * 10) / 10), Math.min(1, Math.ceil(Math.max(...ys) * 10) / 10)]
    : [0, 1];
  return {
    rows: [...byDensity.values()].sort((a, b) => (b.density as number) - (a.density as number)),
    lines,
    denses,
    archiveLines: archived.lines,
    archiveDenses: archived.denses,
    domain,
    yDomain,
  };
}
