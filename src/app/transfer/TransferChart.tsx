// The Transfer chart: per method the linear probe refitted on the pruned features (solid) and
// zero-shot accuracy with the dense head (dashed) against remaining weights; dense as a reference.
// Over several seeds: the means, and the probe's min–max over seeds as a shaded band.
import { Area, Legend, Line, ReferenceLine, Tooltip } from 'recharts';
import { summariseTransfer, type TransferCell } from '../../shared/transfer';
import { pct } from '../common/format';
import type { ChartTheme } from '../common/theme';
import { ChartFrame, densityXAxis, linearYAxis } from '../common/chartFrame';
import { armColor, armLabel } from '../train/trainCharts';

/** One row per density: per method the probe and zero-shot means and, over several seeds, the probe's range. */
function transferChartRows(cells: TransferCell[]) {
  const summary = summariseTransfer(cells);
  const densities = [...new Set(summary.map((c) => c.density))].sort((a, b) => a - b);
  const rows = densities.map((d) =>
    Object.fromEntries([
      ['density', d],
      ...summary
        .filter((c) => c.density === d)
        .flatMap((c) => [
          [`${c.method}:probe`, c.probe.mean],
          [`${c.method}:zero-shot`, c.zeroShot.mean],
          ...(c.probe.n > 1 ? [[`${c.method}:probe-band`, [c.probe.min, c.probe.max]]] : []),
        ]),
    ]),
  );
  return { summary, densities, rows };
}

export function TransferChart({
  cells,
  dense,
  methods,
  theme,
}: {
  cells: TransferCell[];
  dense: number | null;
  methods: string[];
  theme: ChartTheme;
}) {
  const { summary, densities, rows } = transferChartRows(cells);
  const banded = methods.filter((m) => summary.some((c) => c.method === m && c.probe.n > 1));
  return (
    <ChartFrame theme={theme} data={rows} margin={{ top: 4, right: 16, bottom: 18, left: 8 }} composed>
      {densityXAxis(theme, {
        domain: ['dataMin', 1],
        ticks: [...densities, 1],
        tickFormatter: (v: number) => `${+(v * 100).toPrecision(3)}%`,
        label: 'remaining weights (log)',
        labelOffset: -10,
      })}
      {linearYAxis(theme, [0, 1], (v: number) => `${Math.round(v * 100)}%`, 44, { value: 'downstream accuracy', dy: 60 })}
      <Tooltip
        formatter={(v) => (Array.isArray(v) ? `${pct(Number(v[0]))}–${pct(Number(v[1]))}` : pct(Number(v)))}
        labelFormatter={(l) => `${+(Number(l) * 100).toPrecision(3)}% of weights`}
        contentStyle={{ background: theme.tooltipBg, color: theme.text, fontSize: 12 }}
      />
      <Legend wrapperStyle={{ fontSize: 12, color: theme.text }} verticalAlign="top" height={22} />
      {dense !== null ? (
        <ReferenceLine
          y={dense}
          stroke={theme.dense}
          strokeDasharray="6 4"
          label={{ value: `dense ${pct(dense)}`, fill: theme.text, fontSize: 11, position: 'insideTopRight' }}
        />
      ) : null}
      {banded.map((m) => (
        <Area
          key={`${m}:probe-band`}
          className={`transfer-band transfer-band-${m}`}
          dataKey={`${m}:probe-band`}
          name={`${armLabel(m)} probe seed range`}
          legendType="none"
          stroke="none"
          fill={armColor(m, theme)}
          fillOpacity={0.15}
          connectNulls
          isAnimationActive={false}
        />
      ))}
      {methods.map((m) => (
        <Line
          key={m}
          dataKey={`${m}:probe`}
          name={armLabel(m)}
          stroke={armColor(m, theme)}
          strokeWidth={2}
          dot={{ r: 4, fill: armColor(m, theme) }}
          connectNulls
          isAnimationActive={false}
        />
      ))}
      {methods.map((m) => (
        <Line
          key={`${m}:zero-shot`}
          dataKey={`${m}:zero-shot`}
          name={`${armLabel(m)} (zero-shot)`}
          legendType="none"
          stroke={armColor(m, theme)}
          strokeWidth={1.5}
          strokeDasharray="5 4"
          dot={{ r: 3, fill: theme.background, stroke: armColor(m, theme) }}
          connectNulls
          isAnimationActive={false}
        />
      ))}
    </ChartFrame>
  );
}

/** The numbers behind the chart (the e2e reads them from the data attributes). */
