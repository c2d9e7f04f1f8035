// The page's side column: presets, the run configuration, weights, exports and the run history.
// On phones and tablets (one column) it folds behind one button, so the slider and the charts
// share the first screen; on wider screens the button is hidden and everything shows.
import { useState } from 'react';
import { DATASET_OPTIONS } from '../../shared/datasets';
import { MODEL_OPTIONS } from '../../shared/models';
import type { UrlState } from '../../shared/urlState';
import type { DatasetLoadState, RunSource } from '../common/runView';
import type { LabRun } from '../prune/useLabRun';
import type { RunHistory } from './useRunHistory';
import type { useWeights } from './useWeights';
import { Controls } from '../prune/Controls';
import { ExportPanel } from '../prune/ExportPanel';
import { HistoryPanel } from './HistoryPanel';
import { Presets } from '../prune/Presets';
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

/** "MLP · MNIST · 3 methods · 20 rounds": what the folded settings hold. */
function settingsLine(state: UrlState): string {
  const model = MODEL_OPTIONS.find((o) => o.id === state.model)?.label ?? state.model;
  const data = DATASET_OPTIONS.find((o) => o.id === state.dataset)?.label ?? state.dataset;
  return `${model} · ${data} · ${state.methods.length} method${state.methods.length === 1 ? '' : 's'} · ${state.rounds} rounds`;
}

export function LabSidebar({ state, set, run, cifar, cifarReady, onCifarFiles, source, weights, shareUrl, runHistory }: LabSidebarProps) {
  const [open, setOpen] = useState(false);
  return (
    <aside className={`side${open ? ' open' : ''}`}>
      <button type="button" className="side-toggle" aria-expanded={open} aria-controls="side-content" onClick={() => setOpen((o) => !o)}>
        <span className="side-toggle-title">{open ? 'Hide settings' : 'Settings'}</span>{' '}
        <span className="side-toggle-line">{settingsLine(state)}</span>
      </button>
      <div className="side-content" id="side-content">
        <Presets state={state} set={set} cifarLoaded={cifarReady} view={run.view} />
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
      </div>
    </aside>
  );
}
