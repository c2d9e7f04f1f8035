// Progress over rounds, two charts sharing the round axis: remaining weights (log) and the NTK
// trace relative to dense (log). Every method is drawn from the first draw, in table order; a
// result read off a recorded pruning path is dashed and marked "(path)".
import { useMemo } from 'react';
import { Line, ReferenceLine, Tooltip } from 'recharts';
import { METHOD_INFO } from '../../shared/methods';
import { compact, pct } from '../common/format';
import type { MethodView, RunView } from '../common/runView';
import type { ChartTheme } from '../common/theme';
import { decadeLabel, logDomain, logSafe, methodSeries, percentDecadeLabel } from '../common/chartData';
import { ChartFrame, logYAxis, tooltipStyle, wholeXAxis } from '../common/chartFrame';
import { strokeWidthAt } from './charts';

type RoundRow = Record<string, number | undefined>;

/** Per round, each method's kept fraction and NTK trace ratio; the methods read off a path. */
function progressRows(methods: MethodView[], denseTrace: number | undefined) {
  const series = methods.map((m) => methodSeries(m, denseTrace));
  const rounds = [...new Set(series.flatMap((x) => [...x.points.keys()]))].sort((a, b) => a - b);
  const kept = rounds.map(
    (r) => Object.fromEntries([['round', r], ...methods.map((m, i) => [m.method, logSafe(series[i].points.get(r)?.kept)])]) as RoundRow,
  );
  const trace = rounds.map(
    (r) => Object.fromEntries([['round', r], ...methods.map((m, i) => [m.method, logSafe(series[i].points.get(r)?.trace)])]) as RoundRow,
  );
  const paths = new Set(methods.filter((_, i) => series[i].path).map((m) => m.method));
  return { kept, trace, paths };
}

/** One method's line; dashed and marked when read off a pruning path. */
function progressLine(m: MethodView, i: number, dots: boolean, paths: Set<string>, theme: ChartTheme) {
  return (
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
}

/** The shared round axis (titled on the lower chart only). */
const roundAxis = (theme: ChartTheme, titled: boolean) =>
  wholeXAxis(theme, 'round', [0, 'dataMax'], titled ? 'round (0 = dense)' : undefined);

const roundLabel = (l: unknown) => (Number(l) === 0 ? 'dense' : `round ${l}`);

/** Where the trace chart stands before it has a point past round 0. */
function TracePlaceholder({ running }: { running: boolean }) {
  return (
    <div className="placeholder empty small" role="status">
      <span>
        {running
          ? 'The NTK trace over rounds appears as the worker computes NTKs (after each method, and at rounds 25/50/75% of exact runs on the MLP and ConvNet).'
          : 'No NTK trace was computed for this run.'}
      </span>
    </div>
  );
}

export function ProgressCharts({ view, theme }: { view: RunView; theme: ChartTheme }) {
  const denseTrace = view.denseNtk?.trace;
  // every method from the first draw, in table order (stacking independent of timing)
  const methods = view.methods;
  const { kept, trace, paths } = useMemo(() => progressRows(methods, denseTrace), [methods, denseTrace]);
  const hasTrace = trace.some((r) => r.round !== 0 && methods.some((m) => r[m.method] !== undefined));
  const keptDomain = logDomain(kept.flatMap((r) => methods.map((m) => r[m.method]))) ?? [view.config.density, 1];
  const traceDomain = logDomain([...trace.flatMap((r) => methods.map((m) => r[m.method])), 1]) ?? [0.1, 1];
  const tt = tooltipStyle(theme);
  // dots where a method has few points (one-shot methods: dense, then one round)
  const fewPoints = (m: MethodView) => kept.filter((r) => r[m.method] !== undefined).length <= 12;
  return (
    <div className="stack">
      <div className="stack-item">
        <ChartFrame theme={theme} data={kept} margin={{ top: 8, right: 14, bottom: 4, left: 4 }} syncId="progress" a11y={false}>
          {roundAxis(theme, false)}
          {logYAxis(theme, keptDomain, percentDecadeLabel, 'kept (log)')}
          <Tooltip {...tt} formatter={(v) => pct(Number(v))} labelFormatter={roundLabel} />
          <ReferenceLine
            y={view.config.density}
            stroke={theme.axis}
            strokeDasharray="2 4"
            label={{ value: 'target', position: 'insideBottomLeft', fill: theme.muted, fontSize: 10 }}
          />
          {methods.map((m, i) => progressLine(m, i, fewPoints(m), paths, theme))}
        </ChartFrame>
      </div>
      <div className="stack-item">
        {hasTrace ? (
          <ChartFrame theme={theme} data={trace} margin={{ top: 8, right: 14, bottom: 16, left: 4 }} syncId="progress" a11y={false}>
            {roundAxis(theme, true)}
            {logYAxis(theme, traceDomain, decadeLabel, 'trace ÷ dense')}
            <Tooltip {...tt} formatter={(v) => `${compact(Number(v))} × dense`} labelFormatter={roundLabel} />
            <ReferenceLine
              y={1}
              stroke={theme.dense}
              strokeDasharray="6 4"
              strokeWidth={1.5}
              label={{ value: 'dense', position: 'insideTopRight', fill: theme.muted, fontSize: 10 }}
            />
            {methods.map((m, i) => progressLine(m, i, true, paths, theme))}
          </ChartFrame>
        ) : (
          <TracePlaceholder running={view.status === 'running'} />
        )}
      </div>
    </div>
  );
}
