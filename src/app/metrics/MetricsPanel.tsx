// The Metrics section: the density scan against sparsity, the score histograms at the
// page's density, and two runs side by side. Which one is open, the scan's seeds and the compared
// run are in the URL. The scan and the histograms ask the worker only while open and once the
// run on screen is done.
import type { RunConfig } from '../../shared/config';
import { METRICS_VIEWS, type MetricsView } from '../../shared/urlState';
import type { HistoryRecord } from '../shell/history';
import type { RunView } from '../common/runView';
import { useDensityScan, useScoreHistograms } from './useAnalysis';
import { CompareView } from './CompareView';
import { DensityScanView } from './DensityScanView';
import type { PanelProps } from '../common/panelProps';
import { ScoreHistogramsView } from './ScoreHistogramsView';

// 'sweep' is the density scan's view id as share links spell it (mview=sweep)
const VIEW_LABEL: Record<MetricsView, string> = { sweep: 'Density scan', scores: 'Score histograms', compare: 'Compare runs' };

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
  const scan = useDensityScan(source, config, state.scanSeeds, open && state.metricsView === 'sweep' && runDone);
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
        <DensityScanView state={state} set={set} scan={scan} waiting={waiting} theme={theme} fileStem={fileStem} />
      ) : null}
      {state.metricsView === 'scores' ? (
        <ScoreHistogramsView hist={hist} waiting={waiting} density={state.density} theme={theme} fileStem={fileStem} />
      ) : null}
      {state.metricsView === 'compare' ? <CompareView state={state} set={set} view={view} records={records} /> : null}
    </div>
  );
}
