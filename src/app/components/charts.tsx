// The three recharts charts: NTK eigenspectrum, per-layer density/width (points per layer, not
// lines: layers are categories), progress over rounds. Legends are drawn by ChartCard above the
// plot (in table order, never over it); the SVGs are not in the tab order (accessibilityLayer
// off: the summary table holds the same numbers for keyboard and screen-reader users).
import { useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { MethodId } from '../../shared/config';
import { METHOD_INFO } from '../../shared/methods';
import { compact, pct, shortLayer } from '../format';
import type { MethodView, RunView } from '../runView';
import type { ChartTheme } from '../theme';
import { EIGEN_FLOOR, LAYER_DENSITY_FLOOR, decadeLabel, decadeTicks, layerPoints, logDomain, logSafe, methodSeries, percentDecadeLabel, type LayerPoint } from './chartData';

export { EIGEN_FLOOR, logDomain, logSafe, methodSeries } from './chartData';

const AXIS_FONT = 11;
/** Y axis width: room for the rotated label left of tick labels like "0.01%" or "10⁻³". */
const Y_WIDTH = 64;

function tooltipStyle(theme: ChartTheme) {
  return {
    contentStyle: { background: theme.tooltipBg, border: `1px solid ${theme.grid}`, borderRadius: 6, fontSize: 12, color: theme.text },
    labelStyle: { color: theme.text, fontWeight: 600 },
    itemStyle: { padding: 0 },
  };
}

function yLabel(value: string, theme: ChartTheme) {
  // at the far left of the axis area; tick labels are right-aligned against the axis line
  return { value, angle: -90, position: 'insideLeft' as const, offset: 0, style: { textAnchor: 'middle' as const }, fill: theme.muted, fontSize: AXIS_FONT };
}

/**
 * Series drawn later sit on top: later methods get thinner strokes, so a line exactly under
 * another still shows as a border around it (SNIP under dense, PX under PX-official).
 */
export function strokeWidthAt(index: number): number {
  return Math.max(1.5, 3.5 - 0.5 * index);
}

// ---------------------------------------------------------------------------------------------

export function EigenChart({ view, theme, pinned }: { view: RunView; theme: ChartTheme; pinned?: Pick<RunView, 'denseNtk' | 'methods'> | null }) {
  const { rows, domain, methods, pinMethods } = useMemo(() => {
    const dense = view.denseNtk?.eigenvalues ?? [];
    // a pinned reference run: its spectra as extra series (`pin:<method>`, `pin:dense`)
    const pinSeries = pinned
      ? [...(pinned.denseNtk ? [['pin:dense', pinned.denseNtk.eigenvalues] as const] : []), ...pinned.methods.filter((m) => m.ntk).map((m) => [`pin:${m.method}`, m.ntk!.eigenvalues] as const)]
      : [];
    // every method of the run gets its line from the first draw (empty until its NTK comes):
    // recharts stacks lines in the order they first appear, so the stacking never depends on
    // which method finished first
    const ms = view.methods.filter((m) => m.ntk);
    const n = Math.max(dense.length, ...ms.map((m) => m.ntk!.eigenvalues.length), ...pinSeries.map(([, ev]) => ev.length));
    // eigenvalues below 1e-9 of the largest are numerically zero: not drawn (log scale)
    let top = 0;
    for (const v of [...dense, ...ms.flatMap((m) => m.ntk!.eigenvalues), ...pinSeries.flatMap(([, ev]) => ev)]) if (Number.isFinite(v) && v > top) top = v;
    const floor = top * EIGEN_FLOOR;
    const keep = (v: number | undefined) => (v !== undefined && v > floor ? logSafe(v) : undefined);
    const rows: Array<Record<string, number | undefined>> = [];
    for (let i = 0; i < n; i++) {
      const r: Record<string, number | undefined> = { i: i + 1, dense: keep(dense[i]) };
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
    return { rows, domain, methods: view.methods, pinMethods: pinned?.methods.filter((m) => m.ntk).map((m) => m.method) ?? [] };
  }, [view.denseNtk, view.methods, pinned]);
  const tt = tooltipStyle(theme);
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={rows} margin={{ top: 8, right: 14, bottom: 16, left: 4 }} accessibilityLayer={false}>
        <CartesianGrid stroke={theme.grid} strokeDasharray="3 3" />
        <XAxis
          dataKey="i"
          type="number"
          domain={[1, 'dataMax']}
          allowDecimals={false}
          tick={{ fill: theme.muted, fontSize: AXIS_FONT }}
          stroke={theme.axis}
          label={{ value: 'eigenvalue index (largest first)', position: 'insideBottom', offset: -8, fill: theme.muted, fontSize: AXIS_FONT }}
        />
        <YAxis
          scale="log"
          type="number"
          domain={domain ?? [1e-3, 1]}
          allowDataOverflow
          ticks={domain ? decadeTicks(domain) : undefined}
          tickFormatter={decadeLabel}
          width={Y_WIDTH}
          tick={{ fill: theme.muted, fontSize: AXIS_FONT }}
          stroke={theme.axis}
          label={yLabel('eigenvalue (log)', theme)}
        />
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
        {pinned ? (
          <>
            <Line dataKey="pin:dense" name="Dense (pinned)" stroke={theme.dense} strokeDasharray="1 3" strokeWidth={1.5} strokeOpacity={0.7} dot={false} isAnimationActive={false} data-pinned="true" />
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
        ) : null}
        {/* dense last, thin and dashed: the methods under it show through */}
        <Line type="monotone" dataKey="dense" name="Dense" stroke={theme.dense} strokeDasharray="6 4" strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} />
      </LineChart>
    </ResponsiveContainer>
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
          label={{ value: 'layer (network order)', position: 'insideBottom', offset: many ? -30 : -8, fill: theme.muted, fontSize: AXIS_FONT }}
        />
        {metric === 'density' ? (
          <YAxis
            dataKey="y"
            scale="log"
            type="number"
            domain={[LAYER_DENSITY_FLOOR, 1]}
            allowDataOverflow
            ticks={[1e-4, 1e-3, 1e-2, 1e-1, 1]}
            tickFormatter={percentDecadeLabel}
            width={Y_WIDTH}
            tick={{ fill: theme.muted, fontSize: AXIS_FONT }}
            stroke={theme.axis}
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
            tick={{ fill: theme.muted, fontSize: AXIS_FONT }}
            stroke={theme.axis}
            label={yLabel('units alive', theme)}
          />
        )}
        <Tooltip
          {...tt}
          cursor={{ strokeDasharray: '3 3' }}
          content={({ active, payload }) => {
            const p = active ? (payload?.[0]?.payload as MethodPoint | undefined) : undefined;
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
          }}
        />
        <ReferenceLine y={1} stroke={theme.dense} strokeDasharray="6 4" strokeWidth={1.5} ifOverflow="extendDomain" />
        {metric === 'density' ? (
          <ReferenceLine y={view.config.density} stroke={theme.axis} strokeDasharray="2 4" label={{ value: 'target', position: 'insideTopRight', fill: theme.muted, fontSize: 10 }} />
        ) : null}
        {/* one series holding every method's points in table order: the drawing order is fixed
            (recharts stacks separate series in the order their data arrived) */}
        <Scatter
          name="layers"
          data={points}
          isAnimationActive={false}
          shape={(p: { cx?: number; cy?: number; payload?: unknown }) => <LayerMark cx={p.cx} cy={p.cy} payload={p.payload as MethodPoint} halo={theme.background} />}
        />
      </ScatterChart>
    </ResponsiveContainer>
  );
}

// ---------------------------------------------------------------------------------------------

export function ProgressCharts({ view, theme }: { view: RunView; theme: ChartTheme }) {
  const denseTrace = view.denseNtk?.trace;
  const { kept, trace, methods, paths } = useMemo(() => {
    // every method from the first draw, in table order (stacking independent of timing)
    const methods = view.methods;
    const series = methods.map((m) => methodSeries(m, denseTrace));
    const rounds = [...new Set(series.flatMap((x) => [...x.points.keys()]))].sort((a, b) => a - b);
    const kept = rounds.map((r) => Object.fromEntries([['round', r], ...methods.map((m, i) => [m.method, logSafe(series[i].points.get(r)?.kept)])]) as Record<string, number | undefined>);
    const trace = rounds.map((r) => Object.fromEntries([['round', r], ...methods.map((m, i) => [m.method, logSafe(series[i].points.get(r)?.trace)])]) as Record<string, number | undefined>);
    const paths = new Set(methods.filter((_, i) => series[i].path).map((m) => m.method));
    return { kept, trace, methods, paths };
  }, [view.methods, denseTrace]);
  const hasTrace = trace.some((r) => r.round !== 0 && methods.some((m) => r[m.method] !== undefined));
  const keptDomain = logDomain(kept.flatMap((r) => methods.map((m) => r[m.method]))) ?? [view.config.density, 1];
  const traceDomain = logDomain([...trace.flatMap((r) => methods.map((m) => r[m.method])), 1]) ?? [0.1, 1];
  const tt = tooltipStyle(theme);
  const x = (label: boolean) => (
    <XAxis
      dataKey="round"
      type="number"
      domain={[0, 'dataMax']}
      allowDecimals={false}
      tick={{ fill: theme.muted, fontSize: AXIS_FONT }}
      stroke={theme.axis}
      label={label ? { value: 'round (0 = dense)', position: 'insideBottom', offset: -8, fill: theme.muted, fontSize: AXIS_FONT } : undefined}
    />
  );
  // dots where a method has few points (one-shot methods: dense, then one round)
  const fewPoints = (m: MethodView) => kept.filter((r) => r[m.method] !== undefined).length <= 12;
  const line = (m: MethodView, i: number, dots: boolean) => (
    <Line
      key={m.method}
      dataKey={m.method}
      name={`${METHOD_INFO[m.method].label}${paths.has(m.method) ? ' (path)' : ''}`}
      stroke={METHOD_INFO[m.method].color}
      strokeWidth={strokeWidthAt(i)}
      strokeDasharray={paths.has(m.method) ? '4 3' : undefined}
      dot={dots ? { r: Math.max(2.5, 4.5 - 0.4 * i), fill: METHOD_INFO[m.method].color, stroke: theme.background } : false}
      connectNulls
      isAnimationActive={false}
    />
  );
  return (
    <div className="stack">
      <div className="stack-item">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={kept} margin={{ top: 8, right: 14, bottom: 4, left: 4 }} syncId="progress" accessibilityLayer={false}>
            <CartesianGrid stroke={theme.grid} strokeDasharray="3 3" />
            {x(false)}
            <YAxis
              scale="log"
              type="number"
              domain={keptDomain}
              allowDataOverflow
              ticks={decadeTicks(keptDomain)}
              tickFormatter={percentDecadeLabel}
              width={Y_WIDTH}
              tick={{ fill: theme.muted, fontSize: AXIS_FONT }}
              stroke={theme.axis}
              label={yLabel('kept (log)', theme)}
            />
            <Tooltip {...tt} formatter={(v) => pct(Number(v))} labelFormatter={(l) => (Number(l) === 0 ? 'dense' : `round ${l}`)} />
            <ReferenceLine y={view.config.density} stroke={theme.axis} strokeDasharray="2 4" label={{ value: 'target', position: 'insideBottomLeft', fill: theme.muted, fontSize: 10 }} />
            {methods.map((m, i) => line(m, i, fewPoints(m)))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <div className="stack-item">
        {hasTrace ? (
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={trace} margin={{ top: 8, right: 14, bottom: 16, left: 4 }} syncId="progress" accessibilityLayer={false}>
              <CartesianGrid stroke={theme.grid} strokeDasharray="3 3" />
              {x(true)}
              <YAxis
                scale="log"
                type="number"
                domain={traceDomain}
                allowDataOverflow
                ticks={decadeTicks(traceDomain)}
                tickFormatter={decadeLabel}
                width={Y_WIDTH}
                tick={{ fill: theme.muted, fontSize: AXIS_FONT }}
                stroke={theme.axis}
                label={yLabel('trace ÷ dense', theme)}
              />
              <Tooltip {...tt} formatter={(v) => `${compact(Number(v))} × dense`} labelFormatter={(l) => (Number(l) === 0 ? 'dense' : `round ${l}`)} />
              <ReferenceLine y={1} stroke={theme.dense} strokeDasharray="6 4" strokeWidth={1.5} label={{ value: 'dense', position: 'insideTopRight', fill: theme.muted, fontSize: 10 }} />
              {methods.map((m, i) => line(m, i, true))}
            </LineChart>
          </ResponsiveContainer>
        ) : (
          <div className="placeholder empty small" role="status">
            <span>
              {view.status === 'running'
                ? 'The NTK trace over rounds appears as the worker computes NTKs (after each method, and at rounds 25/50/75% of exact runs on the MLP and ConvNet).'
                : 'No NTK trace was computed for this run.'}
            </span>
          </div>
        )}
      </div>
    </div>
  );
}

/** Legend entries in table order: dense first, then the methods as the table lists them. */
export function methodLegend(methods: MethodId[], theme: ChartTheme) {
  return [{ label: 'Dense', color: theme.dense, dashed: true }, ...methods.map((m) => ({ label: METHOD_INFO[m].label, color: METHOD_INFO[m].color }))];
}
