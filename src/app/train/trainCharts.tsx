// The training charts: train loss and test accuracy against step (one line per method, dense
// dashed), and the sweep's test accuracy against remaining weights on a log axis (mean over
// seeds with ±1 std as error bars and the seeds' min–max range as a band, dense as a dashed
// reference; the shipped archive's band for the same settings light and dashed behind), in the
// paper's style.
import { useMemo } from 'react';
import { Area, ErrorBar, Line, ReferenceArea, ReferenceLine, Tooltip } from 'recharts';
import type { MethodId } from '../../shared/methods';
import { METHOD_INFO } from '../../shared/methods';
import { compact, pct } from '../common/format';
import type { ChartTheme } from '../common/theme';
import { thin, type CellView } from './trainView';
import { sweepChartData, type DenseReference, type SweepLine, type SweepSeries } from './sweepChartData';
import type { ArchiveRow } from '../../shared/archive';
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

/** A tooltip value: an accuracy, or a band's "min–max". */
const accuracyOrRange = (v: unknown) => (Array.isArray(v) ? `${pct(Number(v[0]))}–${pct(Number(v[1]))}` : pct(Number(v)));

/** The shipped archive's bands and means in the method's colour, light and dashed (drawn first, so behind the page's own). */
function archiveLayer(lines: SweepLine[], denses: DenseReference[], theme: ChartTheme) {
  return [
    ...lines.map((l) => (
      <Area
        key={`${l.key}__band`}
        className={`sweep-archive-band sweep-archive-band-${l.method}`}
        dataKey={`${l.key}__band`}
        name={`${armLabel(l.method)}${l.suffix} seed range`}
        stroke={armColor(l.method, theme)}
        strokeOpacity={0.45}
        strokeWidth={1}
        strokeDasharray="3 3"
        fill={armColor(l.method, theme)}
        fillOpacity={0.07}
        connectNulls
        isAnimationActive={false}
      />
    )),
    ...lines.map((l) => (
      <Line
        key={l.key}
        className={`sweep-archive-mean sweep-archive-mean-${l.method}`}
        dataKey={l.key}
        name={`${armLabel(l.method)}${l.suffix}`}
        stroke={armColor(l.method, theme)}
        strokeOpacity={0.6}
        strokeWidth={1}
        strokeDasharray="5 4"
        dot={{ r: 2.5, fill: theme.background, stroke: armColor(l.method, theme), strokeOpacity: 0.7 }}
        connectNulls
        isAnimationActive={false}
      />
    )),
    ...denses.flatMap((d) => [
      ...(d.max > d.min ? [<ReferenceArea key={`${d.label}__band`} y1={d.min} y2={d.max} fill={theme.dense} fillOpacity={0.06} />] : []),
      <ReferenceLine
        key={d.label}
        y={d.mean}
        stroke={theme.dense}
        strokeOpacity={0.5}
        strokeDasharray="5 4"
        strokeWidth={1}
        label={{ value: d.label, position: 'insideBottomLeft', fill: theme.muted, fontSize: 10 }}
      />,
    ]),
  ];
}

/** Test accuracy against remaining weights (log axis, sparser to the right), mean ± spread over
 * seeds; the archive's rows for the same settings behind them. */
export function SweepChart({ series, archive, theme }: { series: SweepSeries[]; archive: readonly ArchiveRow[]; theme: ChartTheme }) {
  const { rows, lines, denses, archiveLines, archiveDenses, domain, yDomain } = useMemo(
    () => sweepChartData(series, archive),
    [series, archive],
  );
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
      {archiveLayer(archiveLines, archiveDenses, theme)}
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
