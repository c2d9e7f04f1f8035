// The Train section: every chosen method's mask at the slider's density and the dense network,
// trained from the same initial weights with one recipe, streamed live: train loss and test
// accuracy against step (dense dashed), and a table of final accuracy and the gap to dense.
import { memo, useEffect, useMemo, useRef } from 'react';
import { configOf, trainSettingsOf, type UrlState } from '../../shared/urlState';
import type { SweepPlan } from '../../shared/train';
import { trainArms, trainCommand, trainPlanOf, type TrainSettings } from '../../shared/trainSettings';
import { duration, int, pct } from '../common/format';
import type { ChartTheme } from '../common/theme';
import type { CellView, TrainView } from './trainView';
import { useTraining } from './useTraining';
import { ChartCard, chartCardProps, tableCardProps, type ChartState } from '../common/ChartCard';
import { AccuracyChart, LossChart, armColor, armLabel } from './trainCharts';
import { ColumnHeads, TableFrame } from '../common/tableParts';
import type { PanelProps } from '../common/panelProps';
import { TrainSettingsBar } from './TrainSettingsBar';

type Props = PanelProps;

/** "training SNIP (2 of 5) · step 40/79 · 3.1 s per epoch · 51% · ETA 12 s". */
export function trainStatusText(view: TrainView, noun: string): string {
  if (view.status === 'done') return `done in ${duration(Date.now() - view.startedAt)}`;
  if (view.status === 'cancelled') return 'cancelled';
  if (view.status === 'error') {
    const failed = view.cells.filter((c) => c.status === 'failed').length;
    return failed ? `failed: ${failed} ${noun}${failed > 1 ? 's' : ''} diverged` : 'error';
  }
  const active = view.cells.find((c) => c.status === 'pruning' || c.status === 'training');
  const runIdx = active ? view.toRun.indexOf(active.cell.index) + 1 : 0;
  const what = !active
    ? 'starting'
    : active.status === 'pruning'
      ? `pruning ${armLabel(active.cell.method)}${noun === 'cell' ? ` ${pct(active.cell.density)}` : ''} (${runIdx} of ${view.toRun.length}) · round ${active.round}/${active.rounds}`
      : `training ${armLabel(active.cell.method)}${noun === 'cell' ? ` ${pct(active.cell.density)}` : ''} (${runIdx} of ${view.toRun.length}) · step ${active.losses.at(-1)?.step ?? 0}/${view.stepsPerCell}`;
  const eta = view.etaMs !== undefined && Number.isFinite(view.etaMs) ? ` · ETA ${duration(view.etaMs)}` : '';
  // the measured step time at the budget's epoch length: what a full epoch costs here
  const ms = view.msPerStep ?? NaN;
  const epoch =
    active?.status === 'training' && view.stepsPerEpoch > 0 && Number.isFinite(ms) && ms > 0
      ? ` · ${duration(ms * view.stepsPerEpoch)} per epoch`
      : '';
  return `${what}${epoch} · ${Math.round(view.progress * 100)}%${eta}`;
}

export function TrainProgress({ view, noun, onCancel }: { view: TrainView | null; noun: string; onCancel: () => void }) {
  if (!view) return null;
  return (
    <div className="train-status" aria-live="polite">
      <progress max={1} value={view.progress} aria-label={`${noun === 'cell' ? 'Sweep' : 'Training'} progress`} />
      <span className="status-text" data-testid={`${noun === 'cell' ? 'sweep' : 'train'}-status`} data-status={view.status}>
        {trainStatusText(view, noun)}
      </span>
      {view.status === 'running' ? (
        <button type="button" className="danger" onClick={onCancel}>
          Cancel
        </button>
      ) : null}
    </div>
  );
}

const RESULT_COLUMNS = [
  ['Kept', 'Prunable weights kept'],
  ['Test acc.', 'Top-1 accuracy on the test split after training (eval-mode BatchNorm)'],
  ['Gap to dense', "Test accuracy minus the dense network's, in percentage points"],
  ['Test loss', 'Mean cross-entropy on the test split'],
  ['Train loss', 'Mean train loss of the last epoch'],
  ['Time', 'Pruning time + training time'],
] as const;

/** One trained line's row: its final numbers once done, its state until then. */
function ResultRow({ c, dense, theme }: { c: CellView; dense: CellView['result']; theme: ChartTheme }) {
  const r = c.result;
  const gap = r && dense && c.cell.method !== 'dense' ? (r.testAccuracy - dense.testAccuracy) * 100 : null;
  // a failed line has no numbers: a dash, not the ellipsis of one still running
  const pending = c.status === 'failed' ? '—' : '…';
  return (
    <tr data-method={c.cell.method} className={c.cell.method === 'dense' ? 'dense-row' : undefined}>
      <th scope="row">
        <span className="swatch" style={{ background: armColor(c.cell.method, theme) }} aria-hidden="true" />
        {armLabel(c.cell.method)}
      </th>
      <td data-col="kept">
        {r ? `${pct(r.kept / r.total)}` : pending}
        <span className="sub">{r ? int(r.kept) : ''}</span>
      </td>
      <td data-col="accuracy" data-value={r?.testAccuracy}>
        {r ? (
          pct(r.testAccuracy)
        ) : c.status === 'failed' ? (
          <span title={c.error}>diverged</span>
        ) : c.status === 'cancelled' ? (
          'cancelled'
        ) : (
          '…'
        )}
      </td>
      <td data-col="gap" className={gap !== null && gap < -1 ? 'warn' : undefined}>
        {gap === null ? (c.cell.method === 'dense' ? '—' : pending) : `${gap >= 0 ? '+' : '−'}${Math.abs(gap).toFixed(2)} pp`}
      </td>
      <td data-col="test-loss">{r ? r.testLoss.toFixed(4) : pending}</td>
      <td data-col="train-loss">{r ? r.trainLoss.toFixed(4) : pending}</td>
      <td data-col="time">{r ? `${duration(r.pruneSeconds * 1000)} + ${duration(r.trainSeconds * 1000)}` : pending}</td>
    </tr>
  );
}

function ResultTable({ view, theme }: { view: TrainView; theme: ChartTheme }) {
  const dense = view.cells.find((c) => c.cell.method === 'dense')?.result;
  return (
    <TableFrame className="summary train-table" label="Final test accuracy per method" head={<ColumnHeads columns={RESULT_COLUMNS} />}>
      {view.cells.map((c: CellView) => (
        <ResultRow key={c.cell.index} c={c} dense={dense} theme={theme} />
      ))}
    </TableFrame>
  );
}

/** A chart's state in the Train section: blocked, unavailable, ready, or where the run stands. */
function trainChartState(blocked: string | null, available: boolean, view: TrainView | null, ok: boolean, waiting: string): ChartState {
  if (blocked) return { kind: 'empty', message: blocked };
  if (!available) return { kind: 'empty', message: 'Training needs the compute worker (not the #mock page).' };
  if (ok) return { kind: 'ready' };
  if (!view) return { kind: 'empty', message: 'Press “Train” to train every chosen method and dense from the same initial weights.' };
  if (view.status === 'error') return { kind: 'error', message: view.error ?? 'Training failed.' };
  if (view.status === 'cancelled') return { kind: 'empty', message: 'Training cancelled.' };
  return { kind: 'loading', message: waiting };
}

interface TrainChartsProps {
  view: TrainView | null;
  blocked: string | null;
  available: boolean;
  theme: ChartTheme;
  fileStem: string;
}

/** The two charts against step: what each draws, once a line has a point, and the wait before. */
const LINE_CHARTS = [
  {
    id: 'train-loss',
    title: 'Train loss',
    Chart: LossChart,
    drawn: (c: CellView) => c.losses.length > 0,
    waiting: 'Pruning, then the first steps…',
  },
  {
    id: 'train-accuracy',
    title: 'Test accuracy',
    Chart: AccuracyChart,
    drawn: (c: CellView) => c.evals.length > 0,
    waiting: 'The first evaluation comes once a line’s pruning is done…',
  },
] as const;

const EXPLANATION: Record<(typeof LINE_CHARTS)[number]['id'], string> = {
  'train-loss': "Cross-entropy of every optimiser step's batch, before its update; one line per method, dense dashed.",
  'train-accuracy':
    'Top-1 accuracy on the test split (eval mode) at step 0, at eight points over the budget and after each epoch; dense dashed.',
};

/** Train loss and test accuracy against step, and the final-accuracy table. */
function TrainCharts({ view, blocked, available, theme, fileStem }: TrainChartsProps) {
  const cells = view?.cells ?? [];
  const chart = (ok: boolean, waiting: string) => trainChartState(blocked, available, view, ok, waiting);
  const legend = cells.map((c) => ({
    label: armLabel(c.cell.method),
    color: armColor(c.cell.method, theme),
    dashed: c.cell.method === 'dense',
  }));
  return (
    <div className="train-grid">
      {LINE_CHARTS.map(({ id, title, Chart, drawn, waiting }) => (
        <ChartCard
          key={id}
          id={id}
          title={title}
          explanation={EXPLANATION[id]}
          state={chart(cells.some(drawn), waiting)}
          {...chartCardProps(legend, theme, fileStem)}
        >
          <Chart cells={cells} steps={view?.stepsPerCell ?? 1} theme={theme} />
        </ChartCard>
      ))}
      <ChartCard
        id="train-table"
        title="Final accuracy"
        explanation="Test accuracy after training and the gap to the dense network trained from the same initial weights."
        state={chart(cells.length > 0, 'Starting…')}
        {...tableCardProps(theme, fileStem)}
      >
        {view ? <ResultTable view={view} theme={theme} /> : null}
      </ChartCard>
    </div>
  );
}

interface TrainActionsProps {
  state: UrlState;
  plan: SweepPlan;
  settings: TrainSettings;
  view: TrainView | null;
  stale: boolean;
  canTrain: boolean;
  onTrain: () => void;
  onCancel: () => void;
}

/** What a press of Train runs, the button, the same run's CLI commands and the progress. */
function TrainActions({ state, plan, settings, view, stale, canTrain, onTrain, onCancel }: TrainActionsProps) {
  const methods = [...state.methods.map((m) => armLabel(m)), ...(state.dense ? ['dense'] : [])].join(', ');
  return (
    <div className="train-actions">
      <span className="hint">
        Trains {methods} at {pct(state.density)} remaining weights (the slider), seed {state.seed}.
      </span>
      <button type="button" className="primary" onClick={onTrain} disabled={!canTrain || view?.status === 'running'}>
        {view ? 'Train again' : 'Train'}
      </button>
      {stale && view?.status !== 'running' ? <span className="hint warn-text">Settings changed since this run.</span> : null}
      <details className="train-cli">
        <summary>Same run on the command line</summary>
        <pre>
          {trainArms(plan.methods, settings)
            .map((m) => trainCommand(plan, m))
            .join('\n')}
        </pre>
      </details>
      <TrainProgress view={view} noun="line" onCancel={onCancel} />
      {view?.status === 'error' && view.error ? (
        <p className="inline-error" role="alert" data-testid="train-error">
          {view.error}
        </p>
      ) : null}
    </div>
  );
}

export const TrainPanel = memo(function TrainPanel({ state, set, source, theme, blocked, fileStem }: Props) {
  const training = useTraining(source, 'train');
  const config = configOf(state);
  const settings = trainSettingsOf(state);
  const plan = useMemo(() => trainPlanOf(config, settings), [JSON.stringify(config), JSON.stringify(settings)]); // eslint-disable-line react-hooks/exhaustive-deps
  const planKey = JSON.stringify(plan);
  const ranKey = useRef<string | null>(null);
  const view = training.view;

  // a shared link with train=1 trains on open (same seed, same numbers)
  useEffect(() => {
    if (state.trainOnOpen && ranKey.current === null && !blocked && training.available) {
      ranKey.current = planKey;
      training.start(plan, []);
    }
  }, [state.trainOnOpen, blocked, training, plan, planKey]);

  const onTrain = () => {
    ranKey.current = planKey;
    set({ trainOnOpen: true });
    training.start(plan, []);
  };
  const onCancel = () => {
    training.cancel();
    set({ trainOnOpen: false });
  };

  return (
    <section className="train-tab" aria-label="Train" data-train-id={view?.id ?? 0} data-train-status={view?.status ?? 'idle'}>
      <div className="train-bar">
        <TrainSettingsBar s={settings} set={set} dataset={state.dataset} methods={state.methods} disabled={view?.status === 'running'} />
        <TrainActions
          state={state}
          plan={plan}
          settings={settings}
          view={view}
          stale={!!view && ranKey.current !== planKey}
          canTrain={!blocked && training.available}
          onTrain={onTrain}
          onCancel={onCancel}
        />
      </div>
      <TrainCharts view={view} blocked={blocked} available={training.available} theme={theme} fileStem={fileStem} />
    </section>
  );
});
