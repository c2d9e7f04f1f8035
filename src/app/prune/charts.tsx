// The prune charts: NTK eigenspectrum, per-layer density/width (points per layer, not lines:
// layers are categories); progress over rounds is in progressCharts.tsx. Legends are drawn by ChartCard above the
// plot (in table order, never over it); the SVGs are not in the tab order (accessibilityLayer
// off: the summary table holds the same numbers for keyboard and screen-reader users).
import { useMemo } from 'react';
import { CartesianGrid, Line, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { MethodId } from '../../shared/methods';
import { METHOD_INFO } from '../../shared/methods';
import { compact, pct, shortLayer } from '../common/format';
import type { RunView } from '../common/runView';
import type { ChartTheme } from '../common/theme';
import {
  EIGEN_FLOOR,
  LAYER_DENSITY_FLOOR,
  decadeLabel,
  layerPoints,
  logDomain,
  logSafe,
  percentDecadeLabel,
  type LayerPoint,
} from '../common/chartData';
import { ChartFrame, Y_WIDTH, axisStyle, logYAxis, tooltipStyle, wholeXAxis, xLabel, yLabel } from '../common/chartFrame';

export { EIGEN_FLOOR, logDomain, logSafe, methodSeries } from '../common/chartData';

/**
 * Series drawn later sit on top: later methods get thinner strokes, so a line exactly under
 * another still shows as a border around it (SNIP under dense, PX under PX-official).
 */
export function strokeWidthAt(index: number): number {
  return Math.max(1.5, 3.5 - 0.5 * index);
}

// ---------------------------------------------------------------------------------------------

type PinnedRun = Pick<RunView, 'denseNtk' | 'methods'>;
type EigenRow = Record<string, number | undefined>;

/** One row per eigenvalue index: dense, each method and each pinned series; and the log domain. */
function eigenRows({ denseNtk, methods }: PinnedRun, pinned: PinnedRun | null | undefined) {
  const dense = denseNtk?.eigenvalues ?? [];
  // a pinned reference run: its spectra as extra series (`pin:<method>`, `pin:dense`)
  const pinSeries = pinned
    ? [
        ...(pinned.denseNtk ? [['pin:dense', pinned.denseNtk.eigenvalues] as const] : []),
        ...pinned.methods.filter((m) => m.ntk).map((m) => [`pin:${m.method}`, m.ntk!.eigenvalues] as const),
      ]
    : [];
  const ms = methods.filter((m) => m.ntk);
  const n = Math.max(dense.length, ...ms.map((m) => m.ntk!.eigenvalues.length), ...pinSeries.map(([, ev]) => ev.length));
  // eigenvalues below 1e-9 of the largest are numerically zero: not drawn (log scale)
  let top = 0;
  for (const v of [...dense, ...ms.flatMap((m) => m.ntk!.eigenvalues), ...pinSeries.flatMap(([, ev]) => ev)])
    if (Number.isFinite(v) && v > top) top = v;
  const floor = top * EIGEN_FLOOR;
  const keep = (v: number | undefined) => (v !== undefined && v > floor ? logSafe(v) : undefined);
  const rows: EigenRow[] = [];
  for (let i = 0; i < n; i++) {
    const r: EigenRow = { i: i + 1, dense: keep(dense[i]) };
    for (const m of ms) r[m.method] = keep(m.ntk!.eigenvalues[i]);
    for (const [k, ev] of pinSeries) r[k] = keep(ev[i]);
    rows.push(r);
  }
  const domain = logDomain(
    rows.flatMap((r) =>
      Object.entries(r)
        .filter(([k]) => k !== 'i')
        .map(([, v]) => v),
    ),
  );
  return { rows, domain };
}

/** The pinned run's spectra: thin dotted lines under the current run's colours. */
function pinnedLines(pinMethods: MethodId[], theme: ChartTheme) {
  return (
    <>
      <Line
        dataKey="pin:dense"
        name="Dense (pinned)"
        stroke={theme.dense}
        strokeDasharray="1 3"
        strokeWidth={1.5}
        strokeOpacity={0.7}
        dot={false}
        isAnimationActive={false}
        data-pinned="true"
      />
      {pinMethods.map((m) => (
        <Line
          key={`pin:${m}`}
          dataKey={`pin:${m}`}
          name={`${METHOD_INFO[m].label} (pinned)`}
          stroke={METHOD_INFO[m].color}
          strokeDasharray="1 3"
          strokeWidth={1.5}
          strokeOpacity={0.7}
          dot={false}
          isAnimationActive={false}
        />
      ))}
    </>
  );
}

export function EigenChart({ view, theme, pinned }: { view: RunView; theme: ChartTheme; pinned?: PinnedRun | null }) {
  // every method of the run gets its line from the first draw (empty until its NTK comes):
  // recharts stacks lines in the order they first appear, so the stacking never depends on
  // which method finished first
  const { denseNtk, methods } = view;
  const { rows, domain, pinMethods } = useMemo(
    () => ({ ...eigenRows({ denseNtk, methods }, pinned), pinMethods: pinned?.methods.filter((m) => m.ntk).map((m) => m.method) ?? [] }),
    [denseNtk, methods, pinned],
  );
  const tt = tooltipStyle(theme);
  return (
    <ChartFrame theme={theme} data={rows} margin={{ top: 8, right: 14, bottom: 16, left: 4 }} a11y={false}>
      {wholeXAxis(theme, 'i', [1, 'dataMax'], 'eigenvalue index (largest first)')}
      {logYAxis(theme, domain, decadeLabel, 'eigenvalue (log)')}
      <Tooltip {...tt} formatter={(v) => compact(Number(v))} labelFormatter={(l) => `λ${l}`} />
      {methods.map((m, i) => (
        <Line
          key={m.method}
          type="monotone"
          dataKey={m.method}
          name={METHOD_INFO[m.method].label}
          stroke={METHOD_INFO[m.method].color}
          strokeWidth={strokeWidthAt(i)}
          dot={false}
          isAnimationActive={false}
        />
      ))}
      {pinned ? pinnedLines(pinMethods, theme) : null}
      {/* dense last, thin and dashed: the methods under it show through */}
      <Line
        type="monotone"
        dataKey="dense"
        name="Dense"
        stroke={theme.dense}
        strokeDasharray="6 4"
        strokeWidth={1.5}
        dot={false}
        isAnimationActive={false}
        connectNulls={false}
      />
    </ChartFrame>
  );
}

// ---------------------------------------------------------------------------------------------

export type LayerMetric = 'density' | 'width';

type MethodPoint = LayerPoint & { method: MethodId };

interface ShapeProps {
  cx?: number;
  cy?: number;
  payload?: MethodPoint;
}

/** A point per layer; a collapsed layer is a ✕ drawn inside the plot (never clipped at the floor). */
function LayerMark({ cx, cy, payload, halo }: ShapeProps & { halo: string }) {
  if (cx === undefined || cy === undefined || !Number.isFinite(cx) || !Number.isFinite(cy) || !payload) return null;
  const fill = METHOD_INFO[payload.method].color;
  if (payload?.collapsed) {
    const s = 5;
    const d = `M${cx - s},${cy - s}L${cx + s},${cy + s}M${cx - s},${cy + s}L${cx + s},${cy - s}`;
    return (
      <g data-collapsed="true" data-method={payload.method}>
        <path d={d} stroke={halo} strokeWidth={5} />
        <path d={d} stroke={fill} strokeWidth={2.5} />
      </g>
    );
  }
  return <circle cx={cx} cy={cy} r={3.5} fill={fill} stroke={halo} strokeWidth={1} data-layer-point="true" data-method={payload.method} />;
}

/** The value axis: kept weights on a log scale (from the floor to 1), or units alive linearly. */
function layerYAxis(metric: LayerMetric, theme: ChartTheme) {
  return metric === 'density' ? (
    <YAxis
      dataKey="y"
      scale="log"
      type="number"
      domain={[LAYER_DENSITY_FLOOR, 1]}
      allowDataOverflow
      ticks={[1e-4, 1e-3, 1e-2, 1e-1, 1]}
      tickFormatter={percentDecadeLabel}
      width={Y_WIDTH}
      {...axisStyle(theme)}
      label={yLabel('weights kept (log)', theme)}
    />
  ) : (
    <YAxis
      dataKey="y"
      type="number"
      domain={[0, 1]}
      ticks={[0, 0.25, 0.5, 0.75, 1]}
      tickFormatter={(v: number) => `${Math.round(v * 100)}%`}
      width={Y_WIDTH}
      {...axisStyle(theme)}
      label={yLabel('units alive', theme)}
    />
  );
}

/** The hovered point's layer, method and value. */
function LayerTip({ point: p, tt }: { point: MethodPoint | undefined; tt: ReturnType<typeof tooltipStyle> }) {
  if (!p) return null;
  const name = METHOD_INFO[p.method].label;
  return (
    <div style={tt.contentStyle}>
      <div style={tt.labelStyle}>{p.layer}</div>
      <div>
        {name}: {pct(p.raw)}
        {p.collapsed ? ' — collapsed' : ''}
      </div>
    </div>
  );
}

export function LayerChart({ view, metric, theme }: { view: RunView; metric: LayerMetric; theme: ChartTheme }) {
  const { names, points } = useMemo(() => {
    const { names, series } = layerPoints(view, metric);
    return { names, points: series.flatMap((s) => s.points.map((p): MethodPoint => ({ ...p, method: s.method }))) };
  }, [view, metric]);
  const tt = tooltipStyle(theme);
  const many = names.length > 14;
  return (
    <ResponsiveContainer width="100%" height="100%">
      <ScatterChart margin={{ top: 8, right: 14, bottom: many ? 34 : 16, left: 4 }} accessibilityLayer={false}>
        <CartesianGrid stroke={theme.grid} strokeDasharray="3 3" />
        <XAxis
          dataKey="x"
          type="number"
          domain={[-0.6, Math.max(0, names.length - 1) + 0.6]}
          ticks={names.map((_, i) => i)}
          interval={0}
          tickFormatter={(i: number) => shortLayer(names[Math.round(i)] ?? '')}
          angle={many ? -45 : 0}
          textAnchor={many ? 'end' : 'middle'}
          height={many ? 48 : 30}
          tick={{ fill: theme.muted, fontSize: 10 }}
          stroke={theme.axis}
          label={xLabel('layer (network order)', theme, many ? -30 : -8)}
        />
        {layerYAxis(metric, theme)}
        <Tooltip
          {...tt}
          cursor={{ strokeDasharray: '3 3' }}
          content={({ active, payload }) => (
            <LayerTip point={active ? (payload?.[0]?.payload as MethodPoint | undefined) : undefined} tt={tt} />
          )}
        />
        <ReferenceLine y={1} stroke={theme.dense} strokeDasharray="6 4" strokeWidth={1.5} ifOverflow="extendDomain" />
        {metric === 'density' ? (
          <ReferenceLine
            y={view.config.density}
            stroke={theme.axis}
            strokeDasharray="2 4"
            label={{ value: 'target', position: 'insideTopRight', fill: theme.muted, fontSize: 10 }}
          />
        ) : null}
        {/* one series holding every method's points in table order: the drawing order is fixed
            (recharts stacks separate series in the order their data arrived) */}
        <Scatter
          name="layers"
          data={points}
          isAnimationActive={false}
          shape={(p: { cx?: number; cy?: number; payload?: unknown }) => (
            <LayerMark cx={p.cx} cy={p.cy} payload={p.payload as MethodPoint} halo={theme.background} />
          )}
        />
      </ScatterChart>
    </ResponsiveContainer>
  );
}

// ---------------------------------------------------------------------------------------------

/** Legend entries in table order: dense first, then the methods as the table lists them. */
export function methodLegend(methods: MethodId[], theme: ChartTheme) {
  return [
    { label: 'Dense', color: theme.dense, dashed: true },
    ...methods.map((m) => ({ label: METHOD_INFO[m].label, color: METHOD_INFO[m].color })),
  ];
}
