// The Metrics section: the metric sweep against sparsity, the score histograms at the
// page's density, and two runs side by side. Which one is open, the sweep's seeds and the compared
// run are in the URL. The sweep and the histograms ask the worker only while open and once the
// run on screen is done.
import type { RunConfig } from '../../shared/config';
import { METRICS_VIEWS, type MetricsView } from '../../shared/urlState';
import type { HistoryRecord } from '../shell/history';
import type { RunView } from '../common/runView';
import { useMetricSweep, useScoreHistograms } from './useAnalysis';
import { CompareView } from './CompareView';
import { MetricSweepView } from './MetricSweepView';
import type { PanelProps } from '../common/panelProps';
import { ScoreHistogramsView } from './ScoreHistogramsView';

const VIEW_LABEL: Record<MetricsView, string> = { sweep: 'Metric sweep', scores: 'Score histograms', compare: 'Compare runs' };

interface Props extends PanelProps {
  config: RunConfig;
  view: RunView | null;
  open: boolean;
  records: HistoryRecord[];
}

export function MetricsPanel({ state, set, config, source, view, open, blocked, records, theme, fileStem }: Props) {
  const runDone = !blocked && view?.status === 'done' && view.id > 0;
  const waiting =
    blocked ??
    (view?.status === 'error' ? 'The run stopped: see the message above.' : runDone ? null : 'Waits for the run on screen to finish…');
  const sweep = useMetricSweep(source, config, state.metricSeeds, open && state.metricsView === 'sweep' && runDone);
  const hist = useScoreHistograms(source, config, open && state.metricsView === 'scores' && runDone);
  return (
    <div className="metrics-panel">
      <div className="segmented metrics-views" role="radiogroup" aria-label="Metrics view">
        {METRICS_VIEWS.map((v) => (
          <label key={v} className={state.metricsView === v ? 'on' : undefined}>
            <input type="radio" name="metrics-view" value={v} checked={state.metricsView === v} onChange={() => set({ metricsView: v })} />
            {VIEW_LABEL[v]}
          </label>
        ))}
      </div>
      {state.metricsView === 'sweep' ? (
        <MetricSweepView state={state} set={set} sweep={sweep} waiting={waiting} theme={theme} fileStem={fileStem} />
      ) : null}
      {state.metricsView === 'scores' ? (
        <ScoreHistogramsView hist={hist} waiting={waiting} density={state.density} theme={theme} fileStem={fileStem} />
      ) : null}
      {state.metricsView === 'compare' ? <CompareView state={state} set={set} view={view} records={records} /> : null}
    </div>
  );
}
