// The page's side column: presets, the run configuration, weights, exports and the run history.
import type { UrlState } from '../../shared/urlState';
import type { DatasetLoadState, RunSource } from '../runView';
import type { LabRun } from '../useLabRun';
import type { RunHistory } from '../useRunHistory';
import type { useWeights } from '../useWeights';
import { Controls } from './Controls';
import { ExportPanel } from './ExportPanel';
import { HistoryPanel } from './HistoryPanel';
import { Presets } from './Presets';
import { WeightsControl } from './WeightsControl';

export interface LabSidebarProps {
  state: UrlState;
  set: (patch: Partial<UrlState>) => void;
  run: LabRun;
  cifar: DatasetLoadState;
  cifarReady: boolean;
  onCifarFiles: ((files: File[]) => void) | null;
  source: RunSource;
  weights: ReturnType<typeof useWeights>;
  shareUrl: string;
  runHistory: RunHistory;
}

export function LabSidebar({ state, set, run, cifar, cifarReady, onCifarFiles, source, weights, shareUrl, runHistory }: LabSidebarProps) {
  return (
    <aside className="side">
      <Presets state={state} set={set} cifarLoaded={cifarReady} />
      <Controls state={state} set={set} backend={run.backend} backendError={run.backendError} cifar={cifar} onCifarFiles={onCifarFiles} />
      {source.setWeights ? (
        <section className="controls weights-panel" aria-label="Weights">
          <WeightsControl model={state.model} seed={state.seed} choice={state.weights} weights={weights} />
        </section>
      ) : null}
      <ExportPanel view={run.view} source={source} shareUrl={shareUrl} />
      <HistoryPanel
        records={runHistory.records}
        quarantined={runHistory.quarantined}
        writeError={runHistory.writeError}
        pinned={state.pin}
        available={runHistory.available}
        onPin={(id) => set({ pin: id })}
        onClear={() => runHistory.clear(() => set({ pin: 0 }))}
      />
    </aside>
  );
}
