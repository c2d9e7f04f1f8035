// The training charts: train loss and test accuracy against step (one line per method, dense
// dashed), and the sweep's test accuracy against remaining weights on a log axis (mean over
// seeds with ±1 std as error bars and the seeds' min–max range as a band, dense as a dashed
// reference), in the paper's style.
import { useMemo } from 'react';
import { Area, ErrorBar, Line, ReferenceLine, Tooltip } from 'recharts';
import type { MethodId } from '../../shared/methods';
import { METHOD_INFO } from '../../shared/methods';
import type { TrainResult } from '../../shared/protocol';
import { compact, pct } from '../common/format';
import type { ChartTheme } from '../common/theme';
import { sweepPoints, thin, type CellView } from './trainView';
import { ChartFrame, densityXAxis, linearYAxis, tooltipStyle, wholeXAxis } from '../common/chartFrame';

/** Points drawn per loss line (a long run is thinned evenly; the last step is always drawn). */
const MAX_POINTS = 400;

export function armLabel(method: string): string {
  return method === 'dense' ? 'Dense' : (METHOD_INFO[method as MethodId]?.label ?? method);
}

export function armColor(method: string, theme: ChartTheme): string {
  return method === 'dense' ? theme.dense : (METHOD_INFO[method as MethodId]?.color ?? theme.text);
}

// no recharts <Legend>: the chart's card draws the legend once, above the plot and into the PNG
/** The optimiser step axis, from 0 to the budget. */
const stepAxis = (theme: ChartTheme, max: number) => wholeXAxis(theme, 'step', [0, Math.max(1, max)], 'optimiser step');

function armLine(c: CellView, key: string, theme: ChartTheme, dots: boolean) {
  const dense = c.cell.method === 'dense';
  const color = armColor(c.cell.method, theme);
  return (
    <Line
      key={c.cell.method}
      dataKey={key}
      name={armLabel(c.cell.method)}
      stroke={color}
      strokeWidth={2}
      strokeDasharray={dense ? '6 4' : undefined}
      dot={dots ? { r: 3.5, fill: color, stroke: color } : false}
      connectNulls
      isAnimationActive={false}
    />
  );
}

/** Train loss of every step (before its update), one line per line of the Train section. */
export function LossChart({ cells, steps, theme }: { cells: CellView[]; steps: number; theme: ChartTheme }) {
  const rows = useMemo(() => {
    const byStep = new Map<number, Record<string, number>>();
    for (const c of cells)
      for (const p of thin(c.losses, MAX_POINTS))
        byStep.set(p.step, { ...(byStep.get(p.step) ?? { step: p.step }), [c.cell.method]: p.loss });
    return [...byStep.values()].sort((a, b) => a.step - b.step);
  }, [cells]);
  const shown = cells.filter((c) => c.losses.length);
  return (
    <ChartFrame theme={theme} data={rows} margin={{ top: 4, right: 12, bottom: 16, left: 8 }}>
      {stepAxis(theme, steps)}
      {linearYAxis(theme, [0, 'auto'], (v: number) => compact(v), 46, { value: 'train loss', dy: 30 })}
      <Tooltip {...tooltipStyle(theme)} formatter={(v) => Number(v).toFixed(4)} labelFormatter={(l) => `step ${l}`} />
      {shown.map((c) => armLine(c, c.cell.method, theme, false))}
    </ChartFrame>
  );
}

/** Test accuracy where it was evaluated (step 0, points along the budget, each epoch's end). */
export function AccuracyChart({ cells, steps, theme }: { cells: CellView[]; steps: number; theme: ChartTheme }) {
  const rows = useMemo(() => {
    const byStep = new Map<number, Record<string, number>>();
    for (const c of cells)
      for (const p of c.evals) byStep.set(p.step, { ...(byStep.get(p.step) ?? { step: p.step }), [c.cell.method]: p.testAccuracy });
    return [...byStep.values()].sort((a, b) => a.step - b.step);
  }, [cells]);
  const shown = cells.filter((c) => c.evals.length);
  const lo = Math.min(
    1,
    ...rows.flatMap((r) =>
      Object.entries(r)
        .filter(([k]) => k !== 'step')
        .map(([, v]) => v),
    ),
  );
  const floor = Math.max(0, Math.floor(lo * 10) / 10);
  return (
    <ChartFrame theme={theme} data={rows} margin={{ top: 4, right: 12, bottom: 16, left: 8 }}>
      {stepAxis(theme, steps)}
      {linearYAxis(theme, [floor, 1], (v: number) => pct(v, 0), 46, { value: 'test accuracy', dy: 40 })}
      <Tooltip {...tooltipStyle(theme)} formatter={(v) => pct(Number(v))} labelFormatter={(l) => `step ${l}`} />
      {shown.map((c) => armLine(c, c.cell.method, theme, true))}
    </ChartFrame>
  );
}

/** A series of the sweep chart: the page's cells or a loaded file's. */
export interface SweepSeries {
  results: TrainResult[];
  /** Appended to the legend ("" for the page's own, " (file)" for a dropped one). */
  suffix: string;
  dashed: boolean;
}

/** The sweep chart's rows (one per density), lines, dense references and axis domains. */
function sweepChartData(series: SweepSeries[]) {
  const byDensity = new Map<number, Record<string, number | [number, number]>>();
  const lines: Array<{ key: string; method: string; suffix: string; dashed: boolean; band: boolean }> = [];
  const denses: Array<{ mean: number; label: string }> = [];
  series.forEach((s, si) => {
    for (const p of sweepPoints(s.results)) {
      if (p.method === 'dense') {
        denses.push({ mean: p.mean, label: `Dense${s.suffix} ${pct(p.mean)}` });
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
  const ds = [...byDensity.keys()];
  // a decade below the sparsest point, less a margin, so no point sits on the axis' edge
  const lo = ds.length ? 10 ** Math.floor(Math.log10(Math.min(...ds)) - 0.3) : 0.001;
  const domain: [number, number] = [lo, 1];
  // the accuracy axis covers every point with its error bar and band and the dense lines, in steps of 10%
  const ys = series.flatMap((s) => sweepPoints(s.results).flatMap((p) => [p.mean - p.std, p.mean + p.std, p.min, p.max]));
  const yDomain: [number, number] = ys.length
    ? [Math.max(0, Math.floor(Math.min(...ys) * 10) / 10), Math.min(1, Math.ceil(Math.max(...ys) * 10) / 10)]
    : [0, 1];
  return { rows: [...byDensity.values()].sort((a, b) => (b.density as number) - (a.density as number)), lines, denses, domain, yDomain };
}

/** A tooltip value: an accuracy, or a band's "min–max". */
const accuracyOrRange = (v: unknown) => (Array.isArray(v) ? `${pct(Number(v[0]))}–${pct(Number(v[1]))}` : pct(Number(v)));

/** Test accuracy against remaining weights (log axis, sparser to the right), mean ± spread over seeds. */
export function SweepChart({ series, theme }: { series: SweepSeries[]; theme: ChartTheme }) {
  const { rows, lines, denses, domain, yDomain } = useMemo(() => sweepChartData(series), [series]);
  const ticks: number[] = [];
  for (let t = 1; t >= domain[0] - 1e-12; t /= 10) ticks.push(t);
  return (
    <ChartFrame theme={theme} data={rows} margin={{ top: 4, right: 16, bottom: 18, left: 8 }} composed>
      {densityXAxis(theme, {
        domain,
        ticks,
        tickFormatter: (v: number) => pct(v, v >= 0.01 ? 0 : 1),
        label: 'remaining weights (log; sparser →)',
        labelOffset: -10,
        reversed: true,
        allowDataOverflow: true,
      })}
      {linearYAxis(theme, yDomain, (v: number) => pct(v, 0), 46, { value: 'test accuracy', dy: 40 }, true)}
      <Tooltip {...tooltipStyle(theme)} formatter={accuracyOrRange} labelFormatter={(l) => `${pct(Number(l))} remaining`} />
      {lines
        .filter((l) => l.band)
        .map((l) => (
          <Area
            key={`${l.key}__band`}
            className={`sweep-band sweep-band-${l.method}`}
            dataKey={`${l.key}__band`}
            name={`${armLabel(l.method)}${l.suffix} seed range`}
            stroke="none"
            fill={armColor(l.method, theme)}
            fillOpacity={l.dashed ? 0.08 : 0.15}
            connectNulls
            isAnimationActive={false}
          />
        ))}
      {denses.map((d) => (
        <ReferenceLine
          key={d.label}
          y={d.mean}
          stroke={theme.dense}
          strokeDasharray="6 4"
          strokeWidth={2}
          label={{ value: d.label, position: 'insideTopRight', fill: theme.muted, fontSize: 10 }}
        />
      ))}
      {lines.map((l) => {
        const color = armColor(l.method, theme);
        return (
          <Line
            key={l.key}
            dataKey={l.key}
            name={`${armLabel(l.method)}${l.suffix}`}
            stroke={color}
            strokeWidth={2}
            strokeDasharray={l.dashed ? '2 3' : undefined}
            dot={{ r: 4, fill: color, stroke: color }}
            connectNulls
            isAnimationActive={false}
          >
            <ErrorBar dataKey={`${l.key}__err`} width={5} strokeWidth={1.5} stroke={color} direction="y" />
          </Line>
        );
      })}
    </ChartFrame>
  );
}
