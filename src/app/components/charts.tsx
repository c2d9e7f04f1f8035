// The three recharts charts: NTK eigenspectrum, per-layer density/width, progress over rounds.
import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MethodId } from '../../shared/config';
import { METHOD_INFO } from '../../shared/methods';
import { compact, pct, shortLayer } from '../format';
import type { MethodView, RunView } from '../runView';
import type { ChartTheme } from '../theme';

const AXIS_FONT = 11;

function tooltipStyle(theme: ChartTheme) {
  return {
    contentStyle: { background: theme.tooltipBg, border: `1px solid ${theme.grid}`, borderRadius: 6, fontSize: 12, color: theme.text },
    labelStyle: { color: theme.text, fontWeight: 600 },
    itemStyle: { padding: 0 },
  };
}

function legendProps(theme: ChartTheme) {
  return { wrapperStyle: { fontSize: 12, color: theme.text, paddingTop: 2 }, iconSize: 10, verticalAlign: 'top' as const, height: 22 };
}

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

function decadeTicks([a, b]: [number, number]): number[] {
  const out: number[] = [];
  const step = Math.max(1, Math.ceil((Math.log10(b) - Math.log10(a)) / 6));
  for (let e = Math.round(Math.log10(a)); e <= Math.round(Math.log10(b)); e += step) out.push(10 ** e);
  return out;
}

const logTick = (v: number) => {
  const e = Math.round(Math.log10(v));
  return Math.abs(e) <= 2 ? compact(v) : `1e${e}`;
};

// ---------------------------------------------------------------------------------------------

/** Relative floor under which an eigenvalue counts as zero on the log chart. */
export const EIGEN_FLOOR = 1e-9;

export function EigenChart({ view, theme }: { view: RunView; theme: ChartTheme }) {
  const { rows, domain, methods } = useMemo(() => {
    const dense = view.denseNtk?.eigenvalues ?? [];
    const ms = view.methods.filter((m) => m.ntk);
    const n = Math.max(dense.length, ...ms.map((m) => m.ntk!.eigenvalues.length));
    // eigenvalues below 1e-9 of the largest are numerically zero: not drawn (log scale)
    let top = 0;
    for (const v of [...dense, ...ms.flatMap((m) => m.ntk!.eigenvalues)]) if (Number.isFinite(v) && v > top) top = v;
    const floor = top * EIGEN_FLOOR;
    const keep = (v: number | undefined) => (v !== undefined && v > floor ? logSafe(v) : undefined);
    const rows: Array<Record<string, number | undefined>> = [];
    for (let i = 0; i < n; i++) {
      const r: Record<string, number | undefined> = { i: i + 1, dense: keep(dense[i]) };
      for (const m of ms) r[m.method] = keep(m.ntk!.eigenvalues[i]);
      rows.push(r);
    }
    const domain = logDomain(rows.flatMap((r) => Object.entries(r).filter(([k]) => k !== 'i').map(([, v]) => v)));
    return { rows, domain, methods: ms };
  }, [view.denseNtk, view.methods]);
  const tt = tooltipStyle(theme);
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={rows} margin={{ top: 4, right: 12, bottom: 16, left: 8 }}>
        <CartesianGrid stroke={theme.grid} strokeDasharray="3 3" />
        <XAxis dataKey="i" type="number" domain={[1, 'dataMax']} allowDecimals={false} tick={{ fill: theme.muted, fontSize: AXIS_FONT }} stroke={theme.axis} label={{ value: 'eigenvalue index (largest first)', position: 'insideBottom', offset: -8, fill: theme.muted, fontSize: AXIS_FONT }} />
        <YAxis
          scale="log"
          type="number"
          domain={domain ?? [1e-3, 1]}
          allowDataOverflow
          ticks={domain ? decadeTicks(domain) : undefined}
          tickFormatter={logTick}
          width={52}
          tick={{ fill: theme.muted, fontSize: AXIS_FONT }}
          stroke={theme.axis}
          label={{ value: 'eigenvalue (log)', angle: -90, position: 'insideLeft', offset: 4, dy: 50, fill: theme.muted, fontSize: AXIS_FONT }}
        />
        <Tooltip {...tt} formatter={(v) => compact(Number(v))} labelFormatter={(l) => `λ${l}`} />
        <Legend {...legendProps(theme)} />
        <Line type="monotone" dataKey="dense" name="Dense" stroke={theme.dense} strokeDasharray="6 4" strokeWidth={2} dot={false} isAnimationActive={false} connectNulls={false} />
        {methods.map((m) => (
          <Line key={m.method} type="monotone" dataKey={m.method} name={METHOD_INFO[m.method].label} stroke={METHOD_INFO[m.method].color} strokeWidth={2} dot={false} isAnimationActive={false} />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

// ---------------------------------------------------------------------------------------------

export type LayerMetric = 'density' | 'width';

interface CollapsedDotProps {
  cx?: number;
  cy?: number;
  payload?: Record<string, unknown>;
  dataKey?: unknown;
  stroke?: string;
}

function LayerDot(props: CollapsedDotProps & { halo: string; floorY?: number }) {
  const { cx, cy, payload, dataKey, stroke, halo } = props;
  if (cx === undefined || cy === undefined || !Number.isFinite(cx)) return null;
  const collapsed = payload?.[`${String(dataKey)}__collapsed`] === true;
  if (collapsed) {
    const y = Number.isFinite(cy) ? cy : (props.floorY ?? 0);
    const s = 6;
    const d = `M${cx - s},${y - s}L${cx + s},${y + s}M${cx - s},${y + s}L${cx + s},${y - s}`;
    return (
      <g data-collapsed="true">
        <path d={d} stroke={halo} strokeWidth={5} />
        <path d={d} stroke={stroke} strokeWidth={2.5} />
      </g>
    );
  }
  if (!Number.isFinite(cy)) return null;
  return <circle cx={cx} cy={cy} r={2.5} fill={stroke} stroke="none" />;
}

export function LayerChart({ view, metric, theme }: { view: RunView; metric: LayerMetric; theme: ChartTheme }) {
  const withLayers = view.methods.filter((m) => m.layers?.length);
  const { rows, floor } = useMemo(() => {
    const names = view.model?.layers.map((l) => l.name) ?? withLayers[0]?.layers?.map((l) => l.name) ?? [];
    const floor = metric === 'density' ? 1e-4 : 0;
    const rows = names.map((name) => {
      const r: Record<string, unknown> = { layer: shortLayer(name), full: name, dense: 1 };
      for (const m of withLayers) {
        const row = m.layers!.find((l) => l.name === name);
        if (!row) continue;
        const v = metric === 'density' ? row.density : row.outUnits ? row.width / row.outUnits : 0;
        r[m.method] = metric === 'density' ? Math.max(floor, v) : v;
        r[`${m.method}__collapsed`] = row.collapsed;
        r[`${m.method}__raw`] = v;
      }
      return r;
    });
    return { rows, floor };
  }, [view.model, withLayers, metric]);
  const tt = tooltipStyle(theme);
  const many = rows.length > 14;
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={rows} margin={{ top: 4, right: 12, bottom: many ? 34 : 16, left: 8 }}>
        <CartesianGrid stroke={theme.grid} strokeDasharray="3 3" />
        <XAxis
          dataKey="layer"
          interval={0}
          angle={many ? -45 : 0}
          textAnchor={many ? 'end' : 'middle'}
          height={many ? 48 : 30}
          tick={{ fill: theme.muted, fontSize: 10 }}
          stroke={theme.axis}
          label={{ value: 'layer (network order)', position: 'insideBottom', offset: many ? -30 : -8, fill: theme.muted, fontSize: AXIS_FONT }}
        />
        {metric === 'density' ? (
          <YAxis scale="log" type="number" domain={[floor, 1]} allowDataOverflow ticks={[1e-4, 1e-3, 1e-2, 1e-1, 1]} tickFormatter={(v: number) => pct(v, v >= 0.01 ? 0 : 2)} width={52} tick={{ fill: theme.muted, fontSize: AXIS_FONT }} stroke={theme.axis} label={{ value: 'weights kept (log)', angle: -90, position: 'insideLeft', offset: 4, dy: 56, fill: theme.muted, fontSize: AXIS_FONT }} />
        ) : (
          <YAxis type="number" domain={[0, 1]} tickFormatter={(v: number) => pct(v, 0)} width={52} tick={{ fill: theme.muted, fontSize: AXIS_FONT }} stroke={theme.axis} label={{ value: 'units alive', angle: -90, position: 'insideLeft', offset: 4, dy: 36, fill: theme.muted, fontSize: AXIS_FONT }} />
        )}
        <Tooltip
          {...tt}
          labelFormatter={(_l, payload) => String((payload?.[0]?.payload as Record<string, unknown> | undefined)?.full ?? _l)}
          formatter={(v, name, item) => {
            const key = String(item?.dataKey ?? '');
            const p = item?.payload as Record<string, unknown> | undefined;
            const raw = p?.[`${key}__raw`];
            const collapsed = p?.[`${key}__collapsed`] === true;
            const value = pct(typeof raw === 'number' ? raw : Number(v));
            return [collapsed ? `${value} — collapsed` : value, name];
          }}
        />
        <Legend {...legendProps(theme)} />
        {metric === 'density' ? <ReferenceLine y={view.config.density} stroke={theme.axis} strokeDasharray="2 4" label={{ value: 'target', position: 'insideTopRight', fill: theme.muted, fontSize: 10 }} /> : null}
        <Line dataKey="dense" name="Dense" stroke={theme.dense} strokeDasharray="6 4" strokeWidth={2} dot={false} isAnimationActive={false} />
        {withLayers.map((m) => (
          <Line key={m.method} dataKey={m.method} name={METHOD_INFO[m.method].label} stroke={METHOD_INFO[m.method].color} strokeWidth={2} isAnimationActive={false} dot={({ key, ...p }: CollapsedDotProps & { key?: React.Key | null }) => <LayerDot key={key ?? undefined} {...p} halo={theme.background} />} activeDot={{ r: 4 }} />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

// ---------------------------------------------------------------------------------------------

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
  const finalFromPath = m.phase === 'path' && !!s && !s.exactPending && s.rounds <= 1;
  if (!finalFromPath) for (const r of m.rounds) points.set(r.round, { kept: r.kept, trace: r.ntkTrace !== undefined && denseTrace ? r.ntkTrace / denseTrace : undefined });
  const finalMatches = s && (finalFromPath || (s.source === 'exact' && m.phase === 'exact') || s.cached);
  if (s && finalMatches) {
    const trace = s.ntkTraceRatio ?? (m.ntk && denseTrace && m.ntkSource === s.source ? m.ntk.trace / denseTrace : undefined);
    points.set(Math.max(1, s.rounds), { kept: s.keptFraction, trace });
  }
  return { points, path: m.phase === 'path' && !finalFromPath && !(s && s.cached) };
}

export function ProgressCharts({ view, theme }: { view: RunView; theme: ChartTheme }) {
  const denseTrace = view.denseNtk?.trace;
  const { kept, trace, methods, paths } = useMemo(() => {
    const methods = view.methods.filter((m) => m.rounds.length || m.summary);
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
    <XAxis dataKey="round" type="number" domain={[0, 'dataMax']} allowDecimals={false} tick={{ fill: theme.muted, fontSize: AXIS_FONT }} stroke={theme.axis} label={label ? { value: 'round (0 = dense)', position: 'insideBottom', offset: -8, fill: theme.muted, fontSize: AXIS_FONT } : undefined} />
  );
  // dots where a method has few points (one-shot methods: dense, then one round)
  const fewPoints = (m: MethodView) => kept.filter((r) => r[m.method] !== undefined).length <= 12;
  const lines = () =>
    methods.map((m) => (
      <Line key={m.method} dataKey={m.method} name={`${METHOD_INFO[m.method].label}${paths.has(m.method) ? ' (path)' : ''}`} stroke={METHOD_INFO[m.method].color} strokeWidth={2} strokeDasharray={paths.has(m.method) ? '4 3' : undefined} dot={fewPoints(m) ? { r: 3.5, fill: METHOD_INFO[m.method].color } : false} connectNulls isAnimationActive={false} />
    ));
  return (
    <div className="stack">
      <div className="stack-item">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={kept} margin={{ top: 4, right: 12, bottom: 4, left: 8 }} syncId="progress">
            <CartesianGrid stroke={theme.grid} strokeDasharray="3 3" />
            {x(false)}
            <YAxis scale="log" type="number" domain={keptDomain} allowDataOverflow ticks={decadeTicks(keptDomain)} tickFormatter={(v: number) => pct(v, v >= 0.01 ? 0 : 1)} width={52} tick={{ fill: theme.muted, fontSize: AXIS_FONT }} stroke={theme.axis} label={{ value: 'kept (log)', angle: -90, position: 'insideLeft', offset: 4, dy: 30, fill: theme.muted, fontSize: AXIS_FONT }} />
            <Tooltip {...tt} formatter={(v) => pct(Number(v))} labelFormatter={(l) => (Number(l) === 0 ? 'dense' : `round ${l}`)} />
            <Legend {...legendProps(theme)} />
            <ReferenceLine y={view.config.density} stroke={theme.axis} strokeDasharray="2 4" label={{ value: 'target', position: 'insideBottomLeft', fill: theme.muted, fontSize: 10 }} />
            {lines()}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <div className="stack-item">
        {hasTrace ? (
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={trace} margin={{ top: 8, right: 12, bottom: 16, left: 8 }} syncId="progress">
              <CartesianGrid stroke={theme.grid} strokeDasharray="3 3" />
              {x(true)}
              <YAxis scale="log" type="number" domain={traceDomain} allowDataOverflow ticks={decadeTicks(traceDomain)} tickFormatter={logTick} width={52} tick={{ fill: theme.muted, fontSize: AXIS_FONT }} stroke={theme.axis} label={{ value: 'trace / dense', angle: -90, position: 'insideLeft', offset: 4, dy: 36, fill: theme.muted, fontSize: AXIS_FONT }} />
              <Tooltip {...tt} formatter={(v) => `${compact(Number(v))} × dense`} labelFormatter={(l) => (Number(l) === 0 ? 'dense' : `round ${l}`)} />
              <ReferenceLine y={1} stroke={theme.dense} strokeDasharray="6 4" strokeWidth={2} label={{ value: 'dense', position: 'insideTopRight', fill: theme.muted, fontSize: 10 }} />
              {methods.map((m) => (
                <Line key={m.method} dataKey={m.method} name={METHOD_INFO[m.method].label} stroke={METHOD_INFO[m.method].color} strokeWidth={2} dot={{ r: 3.5, fill: METHOD_INFO[m.method].color }} connectNulls isAnimationActive={false} />
              ))}
            </LineChart>
          </ResponsiveContainer>
        ) : (
          <div className="placeholder empty small" role="status">
            <span>{view.status === 'running' ? 'The NTK trace over rounds appears as the worker computes NTKs (after each method, and along exact runs of small models).' : 'No NTK trace was computed for this run.'}</span>
          </div>
        )}
      </div>
    </div>
  );
}

export function methodLegend(methods: MethodId[], theme: ChartTheme) {
  return [{ label: 'Dense', color: theme.dense, dashed: true }, ...methods.map((m) => ({ label: METHOD_INFO[m].label, color: METHOD_INFO[m].color }))];
}
