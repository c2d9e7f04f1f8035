// The lab page: header, configuration, sparsity slider with progress, four live panels, exports.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { configOf, parseUrlState, serializeUrlState, type UrlState } from '../shared/urlState';
import { ChartCard, type ChartState } from './components/ChartCard';
import { spectrumNote } from './components/chartData';
import { Presets } from './components/Presets';
import { HistoryPanel } from './components/HistoryPanel';
import { MaskPictures } from './components/MaskPictures';
import { MetricsPanel } from './components/MetricsPanel';
import { pinnedView, recordOf, type HistoryRecord } from './history';
import { clearRuns, listRuns, saveRun } from './historyStore';
import { storageAvailable } from './sweepStore';
import { lookForLayers, lookForProgress, lookForSpectrum } from './explain';
import { EigenChart, LayerChart, ProgressCharts, methodLegend, type LayerMetric } from './components/charts';
import { Controls } from './components/Controls';
import { copyText } from './components/copy';
import { ExportPanel } from './components/ExportPanel';
import { SparsityBar } from './components/SparsityBar';
import { SummaryTable } from './components/SummaryTable';
import { SweepPanel } from './components/SweepPanel';
import { TrainPanel } from './components/TrainPanel';
import { TransferPanel } from './components/TransferPanel';
import { WeightsControl } from './components/WeightsControl';
import { useWeights } from './useWeights';
import { fileStem } from './exporters';
import { chartState, SEE_BLOCKED } from './panelState';
import type { DatasetLoadState, RunSource } from './runView';
import { useChartTheme } from './theme';
import { useLabRun } from './useLabRun';

const PAPER_URL = 'https://arxiv.org/abs/2406.01820';

type Tab = UrlState['tab'];
const TABS: Array<{ id: Tab; label: string; hint: string }> = [
  { id: 'prune', label: 'Pruning', hint: 'What pruning does to the network: NTK spectrum, layers, rounds' },
  { id: 'train', label: 'Train', hint: 'Train every method’s mask and the dense net from the same initial weights' },
  { id: 'sweep', label: 'Sweep', hint: 'Accuracy against sparsity: densities × methods × seeds' },
  { id: 'transfer', label: 'Transfer', hint: 'Prune a pretrained backbone and measure zero-shot downstream accuracy (the paper’s transfer protocol)' },
  { id: 'metrics', label: 'Metrics', hint: 'Metrics against sparsity from the pruning paths, score histograms, two runs side by side' },
];

function shareUrlOf(state: UrlState): string {
  return `${location.origin}${location.pathname}?${serializeUrlState(state)}`;
}


export function App({ source, initialSearch }: { source: RunSource; initialSearch: string }) {
  const initial = useMemo(() => parseUrlState(initialSearch), [initialSearch]);
  // a link that trains or sweeps on open opens on that tab; otherwise on the tab it names
  const [state, setState] = useState<UrlState>(() => ({ ...initial.state, tab: initial.state.sweepOnOpen ? 'sweep' : initial.state.trainOnOpen ? 'train' : initial.state.tab }));
  const [notices, setNotices] = useState<string[]>(initial.notices);
  const [copied, setCopied] = useState<'idle' | 'ok' | 'failed'>('idle');
  const [cifar, setCifar] = useState<DatasetLoadState>({ status: 'none' });
  const [workerNotice, setWorkerNotice] = useState<string | null>(null);
  // one token per drop: only the newest drop may change what the page shows
  const loadToken = useRef(0);
  // the view (tab, per-layer metric) lives in the URL state: a shared link opens the same view
  const tab = state.tab;
  const setTab = (t: Tab) => set({ tab: t });
  const metric = state.layerMetric;
  const setMetric = (m: LayerMetric) => set({ layerMetric: m });
  const theme = useChartTheme();

  useEffect(() => source.onNotice?.((m) => setWorkerNotice(m)), [source]);

  const set = useCallback((patch: Partial<UrlState>) => setState((s) => ({ ...s, ...patch })), []);
  const shareUrl = shareUrlOf(state);

  // the address bar always carries the (valid) state, so a reload or a bookmark reproduces it
  useEffect(() => {
    const q = `?${serializeUrlState(state)}`;
    if (location.search !== q) history.replaceState(null, '', `${location.pathname}${q}${location.hash}`);
    setCopied('idle');
  }, [state]);

  // a failed or running load keeps the previously loaded set usable
  const cifarReady = cifar.status === 'ready' || !!cifar.label;
  const blocked = state.dataset === 'cifar10' && !cifarReady ? 'Drop the CIFAR-10 binary files on the Dataset field to run on CIFAR-10 (or pick another dataset).' : null;
  const config = useMemo(() => configOf(state), [state]);
  const run = useLabRun(source, config, !blocked);
  const view = run.view;
  // new weights: every chart and export is recomputed from them
  const rerun = useRef(run.rerun);
  rerun.current = run.rerun;
  const onWeightsChanged = useCallback(() => rerun.current(), []);
  const weights = useWeights(source, state, set, onWeightsChanged);

  // run history: every finished run kept in IndexedDB; the pinned one overlaid on the charts
  const [runHistory, setRunHistory] = useState<{ records: HistoryRecord[]; dropped: number }>({ records: [], dropped: 0 });
  const hasStore = storageAvailable();
  const refreshHistory = useCallback(() => {
    if (hasStore) listRuns().then((h) => setRunHistory((prev) => ({ records: h.records, dropped: prev.dropped + h.dropped })), () => undefined);
  }, [hasStore]);
  useEffect(refreshHistory, [refreshHistory]);
  const savedRun = useRef(0);
  useEffect(() => {
    if (!hasStore || !view || view.status !== 'done' || savedRun.current === view.id) return;
    savedRun.current = view.id;
    const record = recordOf(view, Date.now());
    if (record) saveRun(record).then(refreshHistory, () => undefined);
  }, [view, hasStore, refreshHistory]);
  const pinned = runHistory.records.find((r) => r.id === state.pin) ?? null;
  const pinnedDraw = useMemo(() => (pinned ? pinnedView(pinned) : null), [pinned]);

  const onCifarFiles = source.loadCifar10
    ? async (files: File[]) => {
        const token = ++loadToken.current;
        // `label` is always the set the worker holds, whatever this drop does
        setCifar((c) => ({ status: 'loading', progress: 0, label: c.label }));
        try {
          // progress travels on its own port and may arrive after the result: it never reopens a finished load
          let settled = false;
          const label = await source.loadCifar10!(files, (p) => {
            if (token === loadToken.current && !settled) setCifar((c) => (c.status === 'loading' ? { ...c, progress: p } : c));
          }).finally(() => (settled = true));
          if (token !== loadToken.current) return;
          setCifar({ status: 'ready', label });
          if (state.dataset === 'cifar10') run.rerun();
        } catch (e) {
          if (token !== loadToken.current) return;
          const held = source.cifarHeld ? await source.cifarHeld().catch(() => null) : null;
          if (token !== loadToken.current) return;
          setCifar((c) => ({ status: 'error', error: e instanceof Error ? e.message : String(e), label: source.cifarHeld ? (held ?? undefined) : c.label }));
        }
      }
    : null;

  const onCopy = async () => {
    setCopied((await copyText(shareUrl)) ? 'ok' : 'failed');
  };

  const methodsWithNtk = view?.methods.filter((m) => m.ntk).map((m) => m.method) ?? [];
  const eigenState = chartState(view, blocked, !!view && (!!view.denseNtk || methodsWithNtk.length > 0), 'Computing the dense NTK spectrum…');
  const layerState = chartState(view, blocked, !!view && view.methods.some((m) => m.layers?.length), 'Per-layer numbers appear as each method finishes…');
  const progressState = chartState(view, blocked, !!view && view.methods.some((m) => m.rounds.length || m.summary), 'Waiting for the first round…');
  const tableState: ChartState = blocked ? { kind: 'empty', message: SEE_BLOCKED } : view ? { kind: 'ready' } : { kind: 'loading', message: 'Starting the compute worker…' };
  // legends list methods in the summary table's order
  const tableOrder = view?.methods.map((m) => m.method) ?? state.methods;
  const legend = methodLegend(tableOrder, theme);
  const stem = fileStem(config);
  const provisional = view?.methods.some((m) => m.summary?.exactPending || m.layersSource === 'path');

  return (
    <div className="app">
      <header className="top">
        <div className="brand">
          <h1>PX Lab</h1>
          <p className="tagline">
            Pruning at initialisation, live: PX (Path eXclusion) against SNIP, GraSP, SynFlow and more —{' '}
            <a href={PAPER_URL} target="_blank" rel="noreferrer noopener">
              Iurada, Ciccone, Tommasi, CVPR 2024 (arXiv 2406.01820)
            </a>
          </p>
        </div>
        <div className="top-actions">
          <span className="backend-badge" title={run.backend?.reason}>
            {run.backend ? run.backend.label : run.backendError ? 'backend failed' : 'backend…'}
          </span>
          <button type="button" className="primary" onClick={onCopy} data-share-url={shareUrl} aria-describedby="copy-status">
            Copy link
          </button>
          <span id="copy-status" className="copy-status" role="status">
            {copied === 'ok' ? 'Link copied' : copied === 'failed' ? 'Copy failed — use the address bar' : ''}
          </span>
        </div>
      </header>

      {notices.length ? (
        <div className="notice" role="alert" data-testid="url-notice">
          <div>
            <strong>Some of this link could not be used</strong>; the rest of it is applied, and defaults fill in the gaps.
            <ul>
              {notices.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </div>
          <button type="button" className="small" onClick={() => setNotices([])} aria-label="Dismiss the notice about the link">
            Dismiss
          </button>
        </div>
      ) : null}
      {workerNotice ? (
        <div className="notice" role="alert" data-testid="worker-notice">
          <div>{workerNotice}</div>
          <button type="button" className="small" onClick={() => setWorkerNotice(null)} aria-label="Dismiss the notice about the compute worker">
            Dismiss
          </button>
        </div>
      ) : null}
      {view?.notices.length ? (
        <div className="notice info" role="status">
          {view.notices[view.notices.length - 1]}
        </div>
      ) : null}

      {/* first after the header: the slider is the lab's main control, early in the tab order */}
      <div className="slider-row">
        <SparsityBar density={state.density} snapOn={state.snap} onDensity={(d) => set({ density: d })} onSnap={(on) => set({ snap: on })} view={view} onCancel={run.cancel} onRerun={run.rerun} blockedReason={blocked} />
      </div>
      <div className="layout">
        <aside className="side">
          <Presets state={state} set={set} cifarLoaded={cifarReady} />
          <Controls state={state} set={set} backend={run.backend} backendError={run.backendError} cifar={cifar} onCifarFiles={onCifarFiles} />
          {source.setWeights ? (
            <section className="controls weights-panel" aria-label="Weights">
              <WeightsControl model={state.model} seed={state.seed} choice={state.weights} weights={weights} />
            </section>
          ) : null}
          <ExportPanel view={view} source={source} shareUrl={shareUrl} />
          <HistoryPanel
            records={runHistory.records}
            dropped={runHistory.dropped}
            pinned={state.pin}
            available={hasStore}
            onPin={(id) => set({ pin: id })}
            onClear={() => {
              clearRuns().then(() => {
                set({ pin: 0 });
                setRunHistory({ records: [], dropped: 0 });
              }, () => undefined);
            }}
          />
        </aside>

        <main className="work">
          {view?.status === 'error' && view.error ? (
            <div className="notice error" role="alert">
              {view.error}
            </div>
          ) : null}
          <div className="tabs" role="tablist" aria-label="Sections">
            {TABS.map((t) => (
              <button key={t.id} type="button" role="tab" id={`tab-${t.id}`} aria-selected={tab === t.id} aria-controls={`panel-${t.id}`} className={tab === t.id ? 'on' : undefined} onClick={() => setTab(t.id)} title={t.hint}>
                {t.label}
              </button>
            ))}
          </div>
          <div id="panel-train" role="tabpanel" aria-labelledby="tab-train" className="tab-panel" hidden={tab !== 'train'}>
            <TrainPanel state={state} set={set} source={source} theme={theme} blocked={blocked ? SEE_BLOCKED : null} fileStem={stem} />
          </div>
          <div id="panel-sweep" role="tabpanel" aria-labelledby="tab-sweep" className="tab-panel" hidden={tab !== 'sweep'}>
            <SweepPanel state={state} set={set} source={source} theme={theme} backend={run.backend} blocked={blocked ? SEE_BLOCKED : null} fileStem={stem} />
          </div>
          <div id="panel-transfer" role="tabpanel" aria-labelledby="tab-transfer" className="tab-panel" hidden={tab !== 'transfer'}>
            <TransferPanel state={state} source={source} theme={theme} weightsInUse={weights.inUse} />
          </div>
          <div id="panel-metrics" role="tabpanel" aria-labelledby="tab-metrics" className="tab-panel" hidden={tab !== 'metrics'}>
            <MetricsPanel state={state} set={set} config={config} source={source} view={view} open={tab === 'metrics'} blocked={blocked ? SEE_BLOCKED : null} records={runHistory.records} theme={theme} fileStem={stem} />
          </div>
          <div className="grid" id="panel-prune" role="tabpanel" aria-labelledby="tab-prune" hidden={tab !== 'prune'} data-run-id={view?.id ?? 0} data-run-status={blocked ? 'blocked' : (view?.status ?? 'starting')}>
            <ChartCard id="spectrum" title="NTK eigenspectrum" explanation="Eigenvalues of the empirical NTK, largest first, on a log scale: a pruned curve close to the dashed dense one keeps the dense training dynamics (numerically zero eigenvalues are not drawn)." state={eigenState} legend={[...methodLegend(methodsWithNtk, theme), ...(pinned ? [{ label: 'Pinned run (dotted)', color: theme.muted, dashed: true }] : [])]} theme={theme} fileStem={stem} badge={provisional ? 'path' : undefined} note={view ? spectrumNote(view) : null} lookFor={view ? lookForSpectrum(view) : undefined}>
              {view ? <EigenChart view={view} theme={theme} pinned={pinnedDraw} /> : null}
            </ChartCard>
            <ChartCard
              id="layers"
              title={metric === 'density' ? 'Per-layer density' : 'Per-layer width'}
              explanation={metric === 'density' ? 'Share of each layer’s weights kept, layers in network order (log scale); ✕ marks a collapsed layer, which cuts every path.' : 'Share of each layer’s output units (neurons, channels) with a kept incoming weight; ✕ marks a collapsed layer.'}
              state={layerState}
              lookFor={view ? lookForLayers(view) : undefined}
              legend={legend}
              theme={theme}
              fileStem={stem}
              actions={
                <div className="segmented" role="radiogroup" aria-label="Per-layer metric">
                  {(['density', 'width'] as const).map((m) => (
                    <label key={m} className={metric === m ? 'on' : undefined}>
                      <input type="radio" name="layer-metric" value={m} checked={metric === m} onChange={() => setMetric(m)} />
                      {m === 'density' ? 'Density' : 'Width'}
                    </label>
                  ))}
                </div>
              }
            >
              {view ? <LayerChart view={view} metric={metric} theme={theme} /> : null}
            </ChartCard>
            <ChartCard id="progress" title="Progress over rounds" explanation="Top: fraction of weights kept after each round (the schedule). Bottom: NTK trace relative to dense where it was computed; 1 is the dense network." state={progressState} legend={legend} theme={theme} fileStem={stem} lookFor={view ? lookForProgress(view) : undefined}>
              {view ? <ProgressCharts view={view} theme={theme} /> : null}
            </ChartCard>
            <ChartCard id="summary" title="Summary per method" explanation="One row per method at the chosen sparsity; hover a header for its definition. NTK trace ratio near 1 and few collapsed layers are good signs." state={tableState} legend={[]} theme={theme} fileStem={stem} png={false}>
              {view ? <SummaryTable view={view} /> : null}
            </ChartCard>
          </div>
          <div className="mask-row-card" hidden={tab !== 'prune'}>
            <ChartCard id="masks" title="Mask pictures" explanation="What each method kept, as pictures: the MLP's first-layer units as 28×28 images, and every layer as a heat map." lookFor="Look for: whole dark rows (units cut off) and, on the MLP, which pixels survive (the digit area in the middle, or the border)." state={view?.status === 'done' ? { kind: 'ready' } : chartState(view, blocked, false, 'Mask pictures appear when the run is done.')} legend={[]} theme={theme} fileStem={stem} png={false}>
              {view ? <MaskPictures view={view} source={source} /> : null}
            </ChartCard>
          </div>
        </main>
      </div>
    </div>
  );
}
