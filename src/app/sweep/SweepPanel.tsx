// The Sweep panel: densities × methods (× seeds) trained with one recipe → test accuracy against
// remaining weights on a log axis, mean and spread over seeds. Progress with ETA and cancel;
// finished cells are stored in IndexedDB as they come, so a cancelled or reloaded sweep keeps
// them (and runs only the rest). A merged `px-lab sweep --merge` file dropped here joins the chart.
import { memo, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { METHOD_NAMES, type MethodId } from '../../shared/methods';
import { METHOD_INFO } from '../../shared/methods';
import type { BackendInfo, TrainResult } from '../../shared/protocol';
import { planCells, type SweepPlan } from '../../shared/train';
import { cellId, sweepKey, sweepPlanOf } from '../../shared/trainSettings';
import { configOf, trainSettingsOf, type UrlState } from '../../shared/urlState';
import { failedCells, finishedResults, type TrainView } from '../train/trainView';
import { useStoredCells, useSweepFile } from './useSweepCells';
import { useTraining } from '../train/useTraining';
import type { PanelProps } from '../common/panelProps';
import type { ChartState } from '../common/ChartCard';
import { armColor, armLabel } from '../train/trainCharts';
import type { SweepSeries } from '../train/sweepChartData';
import { NumInput, TrainSettingsBar } from '../train/TrainSettingsBar';
import { FIELD_FACTS } from '../../shared/fields';
import { TrainProgress } from '../train/TrainPanel';
import { SweepArchiveNote, SweepCharts, SweepDownloads, SweepFileNote } from './SweepParts';
import { useArchive, type ArchiveView } from './useArchive';
import type { ChartTheme } from '../common/theme';
import type { LegendEntry } from '../common/exporters';
import { sweepTimeLine } from './sweepTime';

interface Props extends PanelProps {
  backend: BackendInfo | null;
  /** The Sweep tab is shown (the archive is fetched the first time). */
  open: boolean;
}

/** "10, 3.16, 1" (percent) → [0.1, 0.0316, 0.01]; null when a value is not a percentage in range. */
export function parseDensityPercents(text: string): number[] | null {
  const parts = text.split(/[,\s]+/).filter((p) => p.length > 0);
  if (!parts.length || parts.length > 12) return null;
  const out: number[] = [];
  for (const p of parts) {
    const v = Number(p.replace(/%$/, ''));
    if (!Number.isFinite(v) || v < 0.1 || v > 100) return null;
    const d = Number((v / 100).toPrecision(4));
    if (!out.includes(d)) out.push(d);
  }
  return out.sort((a, b) => b - a);
}

const percents = (ds: number[]) => ds.map((d) => Number((d * 100).toPrecision(4))).join(', ');

/** Densities (as percentages), methods and seeds of the sweep's grid. */
function SweepGridFields({ state, set, disabled }: { state: UrlState; set: (patch: Partial<UrlState>) => void; disabled: boolean }) {
  const [densText, setDensText] = useState(percents(state.sweepDensities));
  useEffect(() => setDensText(percents(state.sweepDensities)), [state.sweepDensities]);
  const commitDensities = () => {
    const d = parseDensityPercents(densText);
    if (d) set({ sweepDensities: d });
    else setDensText(percents(state.sweepDensities));
  };
  const toggle = (m: MethodId, on: boolean) => {
    const next = METHOD_NAMES.filter((x) => (x === m ? on : state.sweepMethods.includes(x)));
    if (next.length) set({ sweepMethods: next });
  };
  return (
    <fieldset className="train-settings" disabled={disabled} aria-label="Sweep grid">
      <span className="inline-field">
        <label htmlFor="sweep-densities">Remaining weights (%)</label>
        <input
          id="sweep-densities"
          name="sweep-densities"
          value={densText}
          style={{ width: 150 }}
          onChange={(e) => setDensText(e.target.value)}
          onBlur={commitDensities}
          onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
        />
      </span>
      <span className="inline-field" role="group" aria-label="Sweep methods">
        <span className="label">Methods</span>
        {METHOD_NAMES.filter((m) => m !== 'px-official').map((m) => (
          <label key={m} className="check">
            <input
              type="checkbox"
              name={`sweep-${m}`}
              checked={state.sweepMethods.includes(m)}
              onChange={(e) => toggle(m, e.target.checked)}
            />
            <span style={{ color: METHOD_INFO[m].color }}>{METHOD_INFO[m].label}</span>
          </label>
        ))}
      </span>
      <NumInput
        field={FIELD_FACTS.sweepSeeds}
        name="sweep-seeds"
        value={state.sweepSeeds}
        onCommit={(v) => set({ sweepSeeds: v })}
        width={48}
      />
    </fieldset>
  );
}

function chartStateOf(blocked: string | null, available: boolean, has: boolean, view: TrainView | null, total: number): ChartState {
  if (blocked) return { kind: 'empty', message: blocked };
  if (!available) return { kind: 'empty', message: 'Sweeps need the compute worker (not the #mock page).' };
  if (has) return { kind: 'ready' };
  if (view?.status === 'error') return { kind: 'error', message: view.error ?? 'The sweep failed.' };
  if (view?.status === 'running') return { kind: 'loading', message: 'The first cell appears when it has trained…' };
  return { kind: 'empty', message: `Press “Run sweep” to train ${total} cells, or drop a merged px-lab sweep JSON here.` };
}

/** The sweep's plan, its stored cells and a loaded file, and the run, cancel and clear actions. */
function useSweep({ state, set, source, backend, blocked }: Pick<Props, 'state' | 'set' | 'source' | 'backend' | 'blocked'>) {
  const training = useTraining(source, 'sweep');
  const config = configOf(state);
  const settings = trainSettingsOf(state);
  // the plan names the weights its cells start from (part of its id, so of every cell and download)
  const weights = state.weights;
  const planText = JSON.stringify({ ...sweepPlanOf(config, settings), ...(weights !== 'init' ? { weights } : {}) });
  const plan = useMemo(() => JSON.parse(planText) as SweepPlan, [planText]);
  const key = backend ? sweepKey(plan, backend.name, state.weights) : null;
  const stored = useStoredCells(key, plan);
  const sweepFile = useSweepFile();
  const started = useRef(false);
  const running = training.view?.status === 'running';
  const current = stored.current;

  // a sweep runs on one set of weights: new weights (or any setting of the key) stop it, never mix
  const runningKey = useRef<string | null>(null);
  const [stopped, setStopped] = useState<string | null>(null);
  // set when a key change stopped the sweep: the new key's cells replace the stopped sweep's view
  // as soon as they are read, without waiting for the cancel to land (never another key's cells)
  const stoppedByKey = useRef(false);
  useEffect(() => {
    if (running && runningKey.current !== null && key !== runningKey.current) {
      stoppedByKey.current = true;
      training.cancel();
      set({ sweepOnOpen: false });
      setStopped(
        'The weights or settings changed during the sweep, so it stopped: the cells done are stored under the weights they used. “Resume sweep” runs the rest on the new ones.',
      );
    }
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (!current) return;
    if (stoppedByKey.current) training.show(current, 'cancelled');
    else if (!running) training.show(current);
    stoppedByKey.current = false;
  }, [current]); // eslint-disable-line react-hooks/exhaustive-deps

  const run = () => {
    if (!key) return;
    runningKey.current = key;
    stoppedByKey.current = false;
    setStopped(null);
    const have = new Set((current ?? []).map((r) => cellId(r.cell)));
    const skip = planCells(plan)
      .filter((c) => have.has(cellId(c)))
      .map((c) => c.index);
    training.start(plan, skip, current ?? [], stored.add);
  };
  // a shared link with sweep=1 runs (or resumes) the sweep on open, once the stored cells are known
  useEffect(() => {
    if (state.sweepOnOpen && !started.current && current && !blocked && training.available) {
      started.current = true;
      run();
    }
  });

  const onRun = () => {
    started.current = true;
    set({ sweepOnOpen: true });
    run();
  };
  const onCancel = () => {
    training.cancel();
    set({ sweepOnOpen: false });
  };
  const onClear = async () => {
    await stored.clear();
    training.show([]);
  };
  const notices = [
    ...stored.notices,
    ...(stopped ? [stopped] : []),
    ...(training.view?.status === 'error' && training.view.error ? [training.view.error] : []),
  ];
  return { training, settings, plan, key, current, unsaved: stored.unsaved, sweepFile, running, notices, onRun, onCancel, onClear };
}

interface SweepActionsProps {
  plan: SweepPlan;
  current: TrainResult[] | null;
  unsaved: number;
  results: TrainResult[];
  view: TrainView | null;
  canRun: boolean;
  fileStem: string;
  onRun: () => void;
  onClear: () => void;
  onCancel: () => void;
  onFile: (f: File) => void;
}

/** The grid's size and stored cells, run/resume, clear, downloads, opening a file, progress. */
function SweepActions({ plan, current, unsaved, results, view, canRun, fileStem, onRun, onClear, onCancel, onFile }: SweepActionsProps) {
  const total = planCells(plan).length;
  const complete = results.length === total;
  const running = view?.status === 'running';
  return (
    <div className="train-actions">
      <span className="hint" data-testid="sweep-stored">
        {total} cells ({plan.methods.length} methods × {plan.densities.length} densities × {plan.seeds.length} seed
        {plan.seeds.length > 1 ? 's' : ''}
        {plan.dense ? ' + dense' : ''});{' '}
        {current ? `${current.length - unsaved} stored${unsaved ? `, ${unsaved} on this page only` : ''}` : 'reading stored cells…'}
      </span>
      <span className="hint" data-testid="sweep-time">
        {sweepTimeLine(total, results.length ? results : (current ?? []))}
      </span>
      <button type="button" className="primary" onClick={onRun} disabled={!canRun || running || complete}>
        {current && current.length && !complete ? 'Resume sweep' : 'Run sweep'}
      </button>
      <button type="button" className="small" onClick={onClear} disabled={running || !current?.length}>
        Clear stored
      </button>
      <SweepDownloads plan={plan} results={results} complete={complete} fileStem={fileStem} />
      <label className="small file-pick">
        Open sweep JSON…
        <input type="file" accept=".json,application/json" onChange={(e) => e.target.files?.[0] && onFile(e.target.files[0])} />
      </label>
      <TrainProgress
        view={view?.status === 'running' || view?.status === 'cancelled' || view?.status === 'error' ? view : null}
        noun="cell"
        onCancel={onCancel}
      />
    </div>
  );
}

/** One legend, on the card: every series' methods, a loaded file's marked "(file)" and dashed; the
 * archive's methods the page has no line of yet, and the archive's provenance. */
function sweepLegend(series: SweepSeries[], archive: ArchiveView, theme: ChartTheme): LegendEntry[] {
  const legend: LegendEntry[] = series.flatMap((x) =>
    [...new Set(x.results.map((r) => r.cell.method))].map((m) => ({
      label: `${armLabel(m)}${x.suffix}`,
      color: armColor(m, theme),
      dashed: x.dashed || m === 'dense',
    })),
  );
  if (!archive.rows.length) return legend;
  const drawn = new Set<string>(series[0]?.results.map((r) => r.cell.method));
  const methods = [...new Set(archive.rows.map((r) => r.method))].filter((m) => !drawn.has(m));
  return [
    ...legend,
    ...methods.map((m) => ({ label: `${armLabel(m)} (archive)`, color: armColor(m, theme), dashed: true })),
    { label: archive.line ?? '', color: theme.muted, dashed: true },
  ];
}

export const SweepPanel = memo(function SweepPanel({ state, set, source, theme, backend, blocked, fileStem, open }: Props) {
  const { training, settings, plan, key, current, unsaved, sweepFile, running, notices, onRun, onCancel, onClear } = useSweep({
    state,
    set,
    source,
    backend,
    blocked,
  });
  const { file, error: fileError, read: readFile } = sweepFile;
  const archive = useArchive(plan, open);
  const view = training.view;
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const f = e.dataTransfer.files[0];
    if (f) void readFile(f);
  };

  const results = finishedResults(view);
  const total = planCells(plan).length;
  const series: SweepSeries[] = [
    { results, suffix: '', dashed: false },
    ...(file ? [{ results: file.sweep.results, suffix: ' (file)', dashed: true }] : []),
  ];
  const legend = sweepLegend(series, archive, theme);

  return (
    <section
      className="train-tab"
      aria-label="Sweep"
      data-sweep-status={view?.status ?? 'idle'}
      data-sweep-cells={results.length}
      onDragOver={(e) => e.preventDefault()}
      onDrop={onDrop}
    >
      <div className="train-bar">
        <TrainSettingsBar s={settings} set={set} dataset={state.dataset} methods={state.sweepMethods} disabled={running} />
        <SweepGridFields state={state} set={set} disabled={running} />
        <SweepActions
          plan={plan}
          current={current}
          unsaved={unsaved}
          results={results}
          view={view}
          canRun={!blocked && training.available && !!key}
          fileStem={fileStem}
          onRun={onRun}
          onClear={onClear}
          onCancel={onCancel}
          onFile={(f) => void readFile(f)}
        />
        <SweepFileNote file={file} error={fileError} />
        <SweepArchiveNote archive={archive} />
        {notices.map((n) => (
          <p key={n} className="inline-error" role="alert" data-testid="sweep-notice">
            {n}
          </p>
        ))}
      </div>
      <SweepCharts
        state={chartStateOf(blocked, training.available, series.some((x) => x.results.length > 0) || archive.rows.length > 0, view, total)}
        series={series}
        archive={archive.rows}
        legend={legend}
        theme={theme}
        fileStem={fileStem}
        tableResults={[...results, ...(file && !results.length ? file.sweep.results : [])]}
        tableFailed={results.length || !file ? failedCells(view) : file.sweep.failed}
        haveTable={results.length > 0 || !!file}
      />
    </section>
  );
});
