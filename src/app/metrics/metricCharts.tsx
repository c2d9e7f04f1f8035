// The Metrics section's charts: a metric against sparsity (one mean line per method, the seeds'
// range as a band, log axes) and a method's |score| histogram (kept and pruned stacked, the
// keep threshold marked). Not in the tab order: the tables beside them hold the same numbers.
import { useMemo } from 'react';
import { Area, Bar, BarChart, CartesianGrid, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { DENSITY_GRID } from '../../shared/config';
import type { MetricPoint, ScanMetric } from '../../shared/densityScan';
import { METHOD_INFO } from '../../shared/methods';
import type { ScoreHistogram } from '../../shared/scoreHistogram';
import { compact, pct, sparsityPct } from '../common/format';
import { scanChartRows } from './metricsView';
import type { ChartTheme } from '../common/theme';
import { decadeLabel, decadeTicks, logDomain, percentDecadeLabel } from '../common/chartData';
import { AXIS_FONT, ChartFrame, axisStyle, densityXAxis, logYAxis, xLabel } from '../common/chartFrame';
import { strokeWidthAt } from '../prune/charts';

/** How each metric is drawn. */
export const METRIC_AXES: Record<ScanMetric, { title: string; y: string; log: boolean; percent?: boolean; explanation: string }> = {
  ntkTraceRatio: {
    title: 'NTK trace / dense',
    y: 'trace ratio (log)',
    log: true,
    explanation: 'NTK trace of the pruned net over the dense one: 1 keeps the dense training speed; PX aims to keep it high.',
  },
  condition: {
    title: 'NTK condition number',
    y: 'λmax / λmin (log)',
    log: true,
    explanation: 'Spread of the NTK spectrum: lower trains more evenly — but a collapsed net can look well conditioned.',
  },
  effectiveDensity: {
    title: 'Effective density',
    y: 'weights on a path (log)',
    log: true,
    percent: true,
    explanation: 'Share of weights on an input→output path: below the kept share, weights are wasted.',
  },
  collapsedLayers: {
    title: 'Collapsed layers',
    y: 'layers cut',
    log: false,
    explanation: 'Layers with no weight or no unit left: any at all cuts every path (accuracy at chance).',
  },
};

/** Sparsity of a remaining-weights tick. */
const sparsityTick = (d: number) => `${(100 * (1 - d)).toFixed(1)}%`;

/** Sparsity ticks: every other density of the 0.8^k grid (36% … 98.2%). */
const X_TICKS = DENSITY_GRID.filter((_, i) => i % 2 === 0);

export function ScanMetricChart({
  points,
  metric,
  theme,
  density,
}: {
  points: MetricPoint[];
  metric: ScanMetric;
  theme: ChartTheme;
  density: number;
}) {
  const axis = METRIC_AXES[metric];
  const { rows, methods, domain } = useMemo(() => {
    const r = scanChartRows(points, metric, axis.log);
    const values = r.rows
      .flatMap((row) => r.methods.flatMap((m) => [row[m], ...((row[`${m}:range`] as number[] | undefined) ?? [])]))
      .filter((v): v is number => typeof v === 'number');
    return { ...r, domain: axis.log ? logDomain(values) : null };
  }, [points, metric, axis.log]);
  const xs = rows.map((r) => r.density);
  const xDomain: [number, number] = [Math.min(...xs, ...X_TICKS), 1];
  return (
    <ChartFrame theme={theme} data={rows} margin={{ top: 6, right: 12, bottom: 16, left: 4 }} composed a11y={false}>
      {densityXAxis(theme, {
        domain: xDomain,
        ticks: X_TICKS,
        tickFormatter: sparsityTick,
        label: 'sparsity (log of remaining weights)',
        reversed: true,
      })}
      {axis.log ? (
        logYAxis(theme, domain, axis.percent ? percentDecadeLabel : decadeLabel, undefined, 56)
      ) : (
        <YAxis type="number" allowDecimals={false} domain={[0, (max: number) => Math.max(1, max)]} width={56} {...axisStyle(theme)} />
      )}
      <Tooltip
        contentStyle={{ background: theme.tooltipBg, border: `1px solid ${theme.grid}`, fontSize: 12, color: theme.text }}
        labelFormatter={(d) => `${sparsityPct(Number(d))} sparsity`}
        formatter={(v) => (Array.isArray(v) ? `${compact(v[0])}–${compact(v[1])}` : axis.percent ? pct(Number(v)) : compact(Number(v)))}
      />
      <ReferenceLine x={density} stroke={theme.muted} strokeDasharray="2 3" />
      {metric === 'ntkTraceRatio' ? (
        <ReferenceLine
          y={1}
          stroke={theme.dense}
          strokeDasharray="6 4"
          label={{ value: 'dense', position: 'insideTopLeft', fill: theme.muted, fontSize: AXIS_FONT }}
        />
      ) : null}
      {methods.map((m) => (
        <Area
          key={`${m}:range`}
          dataKey={`${m}:range`}
          name={`${METHOD_INFO[m].label} (seed range)`}
          stroke="none"
          fill={METHOD_INFO[m].color}
          fillOpacity={0.15}
          isAnimationActive={false}
          connectNulls
          legendType="none"
        />
      ))}
      {methods.map((m, i) => (
        <Line
          key={m}
          dataKey={m}
          name={METHOD_INFO[m].label}
          stroke={METHOD_INFO[m].color}
          strokeWidth={strokeWidthAt(i)}
          dot={{ r: 2.5, fill: METHOD_INFO[m].color, strokeWidth: 0 }}
          isAnimationActive={false}
          connectNulls
        />
      ))}
    </ChartFrame>
  );
}

/** One format for count ticks: 0, 500, 8.5k, 34k (never a mix of 8500 and 34.0k). */
export function countLabel(v: number): string {
  return v >= 1000 ? `${Number((v / 1000).toPrecision(3))}k` : String(v);
}

export function ScoreHistogramChart({ h, theme }: { h: ScoreHistogram; theme: ChartTheme }) {
  const rows = useMemo(() => h.bins.map((b) => ({ x: (b.lo + b.hi) / 2, kept: b.kept, pruned: b.pruned })), [h]);
  const lo = h.bins[0]?.lo ?? 0;
  const hi = h.bins[h.bins.length - 1]?.hi ?? 1;
  const ticks = decadeTicks([10 ** Math.floor(lo), 10 ** Math.ceil(hi)])
    .map((v) => Math.log10(v))
    .filter((t) => t >= lo && t <= hi);
  const t = h.threshold !== null && h.threshold > 0 ? Math.log10(h.threshold) : null;
  const color = METHOD_INFO[h.method].color;
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={rows} margin={{ top: 6, right: 10, bottom: 16, left: 0 }} barCategoryGap={0} accessibilityLayer={false}>
        <CartesianGrid stroke={theme.grid} strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey="x"
          type="number"
          domain={[lo, hi]}
          ticks={ticks}
          tickFormatter={(v: number) => decadeLabel(10 ** v)}
          {...axisStyle(theme)}
          label={xLabel('|score| (log)', theme)}
        />
        <YAxis width={44} allowDecimals={false} tickFormatter={countLabel} {...axisStyle(theme)} />
        <Tooltip
          contentStyle={{ background: theme.tooltipBg, border: `1px solid ${theme.grid}`, fontSize: 12, color: theme.text }}
          labelFormatter={(x) => `|score| ≈ ${compact(10 ** Number(x))}`}
        />
        <Bar dataKey="pruned" name="pruned" stackId="s" fill={theme.axis} isAnimationActive={false} />
        <Bar dataKey="kept" name="kept" stackId="s" fill={color} isAnimationActive={false} />
        {t !== null ? (
          <ReferenceLine
            x={t}
            stroke={theme.danger}
            strokeWidth={2}
            strokeDasharray="4 3"
            label={{ value: 'threshold', position: 'insideTopRight', fill: theme.danger, fontSize: AXIS_FONT }}
          />
        ) : null}
      </BarChart>
    </ResponsiveContainer>
  );
}
