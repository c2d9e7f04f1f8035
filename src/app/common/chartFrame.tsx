// What every cartesian chart of the page shares: the frame (a container filling its card, the
// chart, a dashed grid), the axis style, titles and tooltip, and the axes that recur: whole
// numbers (eigenvalue index, round, step), remaining weights on a log scale, a log value axis
// ticked at the decades. One place, so every chart keeps the same look.
import type { ReactNode } from 'react';
import { CartesianGrid, ComposedChart, LineChart, ResponsiveContainer, XAxis, YAxis, type AxisDomain } from 'recharts';
import type { ChartTheme } from './theme';
import { decadeTicks } from './chartData';

export const AXIS_FONT = 11;
/** Y axis width: room for the rotated label left of tick labels like "0.01%" or "10⁻³". */
export const Y_WIDTH = 64;

type Margin = { top: number; right: number; bottom: number; left: number };

interface FrameProps {
  theme: ChartTheme;
  data: object[];
  margin: Margin;
  /** A composed chart (areas and lines) rather than a line chart. */
  composed?: boolean;
  /** False where a table beside the chart holds the same numbers (the SVG leaves the tab order). */
  a11y?: boolean;
  syncId?: string;
  children: ReactNode;
}

/** A line (or composed) chart filling its card, over a dashed grid. */
export function ChartFrame({ theme, data, margin, composed = false, a11y = true, syncId, children }: FrameProps) {
  const Chart = composed ? ComposedChart : LineChart;
  return (
    <ResponsiveContainer width="100%" height="100%">
      <Chart data={data} margin={margin} syncId={syncId} accessibilityLayer={a11y}>
        <CartesianGrid stroke={theme.grid} strokeDasharray="3 3" />
        {children}
      </Chart>
    </ResponsiveContainer>
  );
}

/** Tick labels and axis line of every axis. */
export function axisStyle(theme: ChartTheme) {
  return { tick: { fill: theme.muted, fontSize: AXIS_FONT }, stroke: theme.axis };
}

/** An x axis title, below the plot. */
export function xLabel(value: string, theme: ChartTheme, offset = -8) {
  return { value, position: 'insideBottom' as const, offset, fill: theme.muted, fontSize: AXIS_FONT };
}

export function yLabel(value: string, theme: ChartTheme) {
  // at the far left of the axis area; tick labels are right-aligned against the axis line
  return {
    value,
    angle: -90,
    position: 'insideLeft' as const,
    offset: 0,
    style: { textAnchor: 'middle' as const },
    fill: theme.muted,
    fontSize: AXIS_FONT,
  };
}

export function tooltipStyle(theme: ChartTheme) {
  return {
    contentStyle: { background: theme.tooltipBg, border: `1px solid ${theme.grid}`, borderRadius: 6, fontSize: 12, color: theme.text },
    labelStyle: { color: theme.text, fontWeight: 600 },
    itemStyle: { padding: 0 },
  };
}

/** An x axis of whole numbers (eigenvalue index, round, step); untitled when `label` is undefined. */
export function wholeXAxis(theme: ChartTheme, dataKey: string, domain: [number, number | 'dataMax'], label: string | undefined) {
  return (
    <XAxis
      dataKey={dataKey}
      type="number"
      domain={domain}
      allowDecimals={false}
      {...axisStyle(theme)}
      label={label === undefined ? undefined : xLabel(label, theme)}
    />
  );
}

interface DensityAxis {
  domain: [number | 'dataMin', number];
  ticks: number[];
  tickFormatter: (v: number) => string;
  label: string;
  labelOffset?: number;
  /** Sparser to the right. */
  reversed?: boolean;
  allowDataOverflow?: boolean;
}

/** Remaining weights (`density`) on a log x axis. */
export function densityXAxis(
  theme: ChartTheme,
  { domain, ticks, tickFormatter, label, labelOffset, reversed = false, allowDataOverflow = false }: DensityAxis,
) {
  return (
    <XAxis
      dataKey="density"
      type="number"
      scale="log"
      {...{ domain, ticks, tickFormatter, reversed, allowDataOverflow }}
      {...axisStyle(theme)}
      label={xLabel(label, theme, labelOffset)}
    />
  );
}

/** A log value axis over `domain` (a placeholder decade range while there is none), ticks at the decades. */
export function logYAxis(
  theme: ChartTheme,
  domain: [number, number] | null,
  tickFormatter: (v: number) => string,
  label?: string,
  width = Y_WIDTH,
) {
  const ticks = domain ? decadeTicks(domain) : undefined;
  return (
    <YAxis
      scale="log"
      type="number"
      domain={domain ?? [1e-3, 1]}
      allowDataOverflow
      {...{ ticks, tickFormatter, width }}
      {...axisStyle(theme)}
      label={label === undefined ? undefined : yLabel(label, theme)}
    />
  );
}

interface SideTitle {
  value: string;
  /** Moves the title down to centre it on the plot. */
  dy: number;
}

/** A linear value axis titled along its side. */
export function linearYAxis(
  theme: ChartTheme,
  domain: AxisDomain,
  tickFormatter: (v: number) => string,
  width: number,
  title: SideTitle,
  allowDataOverflow = false,
) {
  const label = { ...title, angle: -90, position: 'insideLeft' as const, offset: 4, fill: theme.muted, fontSize: AXIS_FONT };
  return <YAxis type="number" {...{ domain, tickFormatter, width, allowDataOverflow }} {...axisStyle(theme)} label={label} />;
}
