// The density scan: NTK trace ratio, condition, effective density and collapsed layers against
// sparsity for every method, read off the pruning paths (no training), over 1–5 seeds (mean line,
// range band). A table gives the same numbers at the page's density, where the summary table
// has its row.
import { MAX_SCAN_SEEDS, SCAN_METRICS, type MetricPoint } from '../../shared/densityScan';
import type { MethodId } from '../../shared/methods';
import { METHOD_INFO } from '../../shared/methods';
import type { UrlState } from '../../shared/urlState';
import { compact, duration, pct, sparsityPct } from '../common/format';
import { scanAt } from './metricsView';
import type { ChartTheme } from '../common/theme';
import type { AnalysisState } from './useAnalysis';
import { ChartCard, type ChartState } from '../common/ChartCard';
import { methodLegend } from '../prune/charts';
import { METRIC_AXES, ScanMetricChart } from './metricCharts';
import type { Aggregate } from '../../shared/densityScan';

interface Props {
  state: UrlState;
  set: (patch: Partial<UrlState>) => void;
  scan: AnalysisState<MetricPoint> & { methods: MethodId[] };
  waiting: string | null;
  theme: ChartTheme;
  fileStem: string;
}

/** The mean, and over several seeds their range on a second line. */
function cell(a: Aggregate | undefined, format: (v: number) => string) {
  if (!a) return '–';
  if (a.n === 0) return a.missing ? '∞' : '–';
  return a.n > 1 ? (
    <>
      {format(a.mean)}
      <span className="sub range">
        {format(a.min)}–{format(a.max)}
      </span>
    </>
  ) : (
    format(a.mean)
  );
}

function AtDensityTable({ points, density }: { points: MetricPoint[]; density: number }) {
  const rows = scanAt(points, density);
  return (
    <div className="table-wrap">
      <table className="summary metric-at" aria-label={`Density scan at ${sparsityPct(density)} sparsity`}>
        <thead>
          <tr>
            <th scope="col">Method</th>
            <th scope="col">Effective</th>
            <th scope="col">NTK trace / dense</th>
            <th scope="col">Cond.</th>
            <th scope="col">Collapsed</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.method} data-method={r.method} data-source={r.source}>
              <th scope="row">
                <span className="swatch" style={{ background: METHOD_INFO[r.method].color }} aria-hidden="true" />
                {METHOD_INFO[r.method].label}
                {r.source === 'path' ? (
                  <span
                    className="tag"
                    title="Read off the pruning path: iterative methods' exact schedule to this density differs slightly (the summary table shows the exact run)"
                  >
                    path
                  </span>
                ) : null}
              </th>
              <td data-col="effective">{cell(r.metrics.effectiveDensity, (v) => pct(v))}</td>
              <td data-col="ntk">{cell(r.metrics.ntkTraceRatio, compact)}</td>
              <td data-col="condition">{cell(r.metrics.condition, compact)}</td>
              <td data-col="collapsed">{cell(r.metrics.collapsedLayers, (v) => (Number.isInteger(v) ? String(v) : v.toFixed(1)))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DensityScanView({ state, set, scan, waiting, theme, fileStem }: Props) {
  const chartState: ChartState = waiting
    ? { kind: 'loading', message: waiting }
    : scan.status === 'error'
      ? { kind: 'error', message: `The density scan failed: ${scan.error}` }
      : scan.items.length
        ? { kind: 'ready' }
        : { kind: 'loading', message: 'Recording the pruning paths and measuring each mask…' };
  // no dense line here (the trace ratio's dense value, 1, is a reference line)
  const legend = methodLegend(scan.methods.length ? scan.methods : state.methods, theme).filter((e) => !('dashed' in e));
  return (
    <div className="density-scan" data-scan-status={scan.status}>
      <div className="metrics-bar">
        <label className="field inline">
          <span>Seeds</span>
          <input
            type="number"
            aria-label="Density scan seeds"
            min={1}
            max={MAX_SCAN_SEEDS}
            value={state.scanSeeds}
            onChange={(e) => set({ scanSeeds: Math.max(1, Math.min(MAX_SCAN_SEEDS, Math.round(Number(e.target.value) || 1))) })}
            aria-describedby="metric-seeds-hint"
          />
        </label>
        <small id="metric-seeds-hint" className="hint">
          {state.scanSeeds > 1
            ? `Seeds ${state.seed}…${state.seed + state.scanSeeds - 1}: the line is the mean, the band the range.`
            : `Seed ${state.seed}; more seeds give the mean and range.`}{' '}
          Every mask is read off its method’s pruning path, without training (the paper’s figures’ shape).
        </small>
        <span className="hint" role="status" data-testid="density-scan-status">
          {scan.status === 'running'
            ? `${scan.done}/${scan.total || '?'} method paths measured…`
            : scan.status === 'done'
              ? `${scan.items.length} masks measured in ${duration(scan.ms)}`
              : ''}
        </span>
      </div>
      <div className="metric-grid">
        {SCAN_METRICS.map((m) => (
          <ChartCard
            key={m}
            id={`scan-${m}`}
            title={METRIC_AXES[m].title}
            explanation={METRIC_AXES[m].explanation}
            state={chartState}
            legend={legend}
            theme={theme}
            fileStem={fileStem}
          >
            <ScanMetricChart points={scan.items} metric={m} theme={theme} density={state.density} />
          </ChartCard>
        ))}
      </div>
      {scan.items.length ? (
        <section className="card metric-at-card" aria-labelledby="metric-at-title">
          <h2 id="metric-at-title">At {sparsityPct(state.density)} sparsity (the dotted line)</h2>
          <p className="explain">
            The scan’s numbers where the summary table has its row: one-shot methods match it exactly; iterative ones (marked path) are read
            off the path.
          </p>
          <AtDensityTable points={scan.items} density={state.density} />
        </section>
      ) : null}
    </div>
  );
}
