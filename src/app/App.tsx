// The lab page: header, configuration, sparsity slider with progress, four live panels, exports.
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { configOf, parseUrlState, serializeUrlState, withModel, type UrlState } from '../shared/urlState';
import { AppHeader, AppNotices } from './shell/AppHeader';
import { LabSidebar } from './shell/LabSidebar';
import { PruneCharts } from './prune/PruneCharts';
import { SectionTabs } from './shell/SectionTabs';
import { TabPanels } from './shell/TabPanels';
import { SparsityBar } from './prune/SparsityBar';
import { fileStem } from './common/exporters';
import { pinnedView } from './shell/history';
import { shareLink } from './shell/shareLink';
import { SEE_BLOCKED } from './shell/panelState';
import type { RunSource } from './common/runView';
import { useChartTheme } from './common/theme';
import { useCifarDrop } from './shell/useCifarDrop';
import { useLabRun, type LabRun } from './prune/useLabRun';
import { useRunHistory } from './shell/useRunHistory';
import { useWeights } from './shell/useWeights';

/** The address bar always carries the (valid) state, so a reload or a bookmark reproduces it; returns the link to share. */
function useAddressBar(state: UrlState): string {
  useEffect(() => {
    const q = `?${serializeUrlState(state)}`;
    if (location.search !== q) history.replaceState(null, '', `${location.pathname}${q}${location.hash}`);
  }, [state]);
  return shareLink(serializeUrlState(state));
}

/** The page's state, read from the opening address, with the link's and the worker's notices. */
function usePageState(source: RunSource, initialSearch: string) {
  const initial = useMemo(() => parseUrlState(initialSearch), [initialSearch]);
  // a link that trains or sweeps on open opens on that tab; otherwise on the tab it names
  const [state, setState] = useState<UrlState>(() => ({
    ...initial.state,
    tab: initial.state.sweepOnOpen ? 'sweep' : initial.state.trainOnOpen ? 'train' : initial.state.tab,
  }));
  const [notices, setNotices] = useState<string[]>(initial.notices);
  const [workerNotice, setWorkerNotice] = useState<string | null>(null);
  // picking a model also moves the fields still at the old model's defaults to the new one's
  const set = useCallback(
    (patch: Partial<UrlState>) => setState((s) => ({ ...(patch.model ? withModel(s, patch.model) : s), ...patch })),
    [],
  );
  useEffect(() => source.onNotice?.((m) => setWorkerNotice(m)), [source]);
  return { state, set, notices, setNotices, workerNotice, setWorkerNotice };
}

/** The lab's run and what it depends on: the CIFAR-10 files, the weights, the history and the pinned run. */
function useLab(source: RunSource, state: UrlState, set: (patch: Partial<UrlState>) => void) {
  const rerun = useRef<() => void>(() => undefined);
  const onCifarLoaded = () => {
    if (state.dataset === 'cifar10') rerun.current();
  };
  const { cifar, onCifarFiles } = useCifarDrop(source, onCifarLoaded);
  // a failed or running load keeps the previously loaded set usable
  const cifarReady = cifar.status === 'ready' || !!cifar.label;
  // new weights: every chart and export is recomputed from them
  const onWeightsChanged = useCallback(() => rerun.current(), []);
  const weights = useWeights(source, state, set, onWeightsChanged);
  // nothing runs on other weights than the link names (a file not loaded yet)
  const blocked =
    state.dataset === 'cifar10' && !cifarReady
      ? 'Drop the CIFAR-10 binary files on the Dataset field to run on CIFAR-10 (or pick another dataset).'
      : weights.blockedReason;
  const config = useMemo(() => configOf(state), [state]);
  const run = useLabRun(source, config, !blocked);
  const view = run.view;
  rerun.current = run.rerun;
  const runHistory = useRunHistory(view, weights.applied);
  const pinned = runHistory.records.find((r) => r.id === state.pin) ?? null;
  const pinnedDraw = useMemo(() => (pinned ? pinnedView(pinned) : null), [pinned]);
  const stem = fileStem(config);
  return { cifar, onCifarFiles, cifarReady, weights, blocked, config, run, view, runHistory, pinned, pinnedDraw, stem };
}

/** The sparsity slider with the run's progress, cancel and re-run. */
function SliderRow({
  state,
  set,
  run,
  blocked,
}: {
  state: UrlState;
  set: (patch: Partial<UrlState>) => void;
  run: LabRun;
  blocked: string | null;
}) {
  return (
    <div className="slider-row">
      <SparsityBar
        density={state.density}
        snapOn={state.snap}
        onDensity={(d) => {
          if (d === state.density) return;
          run.startNextAtOnce();
          set({ density: d });
        }}
        onSnap={(on) => set({ snap: on })}
        view={run.view}
        onCancel={run.cancel}
        onRerun={run.rerun}
        blockedReason={blocked}
      />
    </div>
  );
}

export function App({ source, initialSearch }: { source: RunSource; initialSearch: string }) {
  const { state, set, notices, setNotices, workerNotice, setWorkerNotice } = usePageState(source, initialSearch);
  // the view (tab, per-layer metric) lives in the URL state: a shared link opens the same view
  const tab = state.tab;
  const theme = useChartTheme();
  const shareUrl = useAddressBar(state);

  const { cifar, onCifarFiles, cifarReady, weights, blocked, config, run, view, runHistory, pinned, pinnedDraw, stem } = useLab(
    source,
    state,
    set,
  );
  // a slider release redraws the slider and sends the request first; the charts' file names follow
  const chartStem = useDeferredValue(stem);
  const setMetric = useCallback((m: UrlState['layerMetric']) => set({ layerMetric: m }), [set]);

  return (
    <div className="app">
      <AppHeader backend={run.backend} backendError={run.backendError} shareUrl={shareUrl} />
      <AppNotices
        notices={notices}
        onDismissLink={() => setNotices([])}
        workerNotice={workerNotice}
        onDismissWorker={() => setWorkerNotice(null)}
        view={view}
      />
      {/* first after the header: the slider is the lab's main control, early in the tab order */}
      <SliderRow state={state} set={set} run={run} blocked={blocked} />
      <div className="layout">
        <LabSidebar
          state={state}
          set={set}
          run={run}
          cifar={cifar}
          cifarReady={cifarReady}
          onCifarFiles={onCifarFiles}
          source={source}
          weights={weights}
          shareUrl={shareUrl}
          runHistory={runHistory}
        />

        <main className="work">
          {view?.status === 'error' && view.error ? (
            <div className="notice error" role="alert">
              {view.error}
            </div>
          ) : null}
          <SectionTabs tab={tab} onTab={(t) => set({ tab: t })} />
          <TabPanels
            tab={tab}
            state={state}
            set={set}
            source={source}
            theme={theme}
            blocked={blocked ? SEE_BLOCKED : null}
            fileStem={stem}
            backend={run.backend}
            weightsInUse={weights.inUse}
            config={config}
            view={view}
            records={runHistory.records}
          />
          <PruneCharts
            view={view}
            blocked={blocked}
            hidden={tab !== 'prune'}
            methods={state.methods}
            metric={state.layerMetric}
            setMetric={setMetric}
            pinned={!!pinned}
            pinnedDraw={pinnedDraw}
            source={source}
            theme={theme}
            fileStem={chartStem}
          />
        </main>
      </div>
    </div>
  );
}
