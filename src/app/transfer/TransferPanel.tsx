// The Transfer mode (the paper's transfer claim, official transfer_classification.py protocol):
// the backbone in use (Weights control), a ridge head fitted on the downstream data's dense
// features, each method prunes with downstream data; per method two lines against remaining
// weights: the linear probe refitted on the pruned features (solid) and zero-shot accuracy with the
// dense head (dashed); the dense backbone is a dashed reference line. Same core as `px-lab transfer`.
import { memo, useState } from 'react';
import { DEFAULT_TRANSFER, type TransferEvent, type TransferSettings } from '../../shared/transfer';
import { pageDefaults } from '../../shared/models';
import { PRETRAINED, parseWeightsChoice, pretrainedFor } from '../../shared/pretrained';
import { onEnd } from '../../shared/requestEnd';
import { TransferOutcomeCheckSchema, checkStored } from '../../shared/storedRecords';
import type { UrlState } from '../../shared/urlState';
import type { RunSource } from '../common/runView';
import type { ChartTheme } from '../common/theme';
import { armLabel } from '../train/trainCharts';
import { TransferChart } from './TransferChart';
import { TransferHead, TransferRanking, TransferStatus, TransferTable, type View } from './TransferParts';

const METHODS = ['px-2024', 'px', 'px-official', 'snip', 'synflow', 'rand', 'grasp', 'mag'] as const;
type Pair = 'fashion-mnist' | 'mnist';
const PAIRS: Array<{ downstream: Pair; label: string }> = [
  { downstream: 'mnist', label: 'Fashion-MNIST → MNIST' },
  { downstream: 'fashion-mnist', label: 'MNIST → Fashion-MNIST' },
];

function parseDensities(s: string): number[] | null {
  const v = s
    .split(',')
    .map((x) => Number(x.trim()))
    .filter((x) => x > 0 && x <= 1);
  return v.length ? [...new Set(v)] : null;
}

/** The panel's state after one event of the transfer run. */
function reduceTransfer(v: View, e: TransferEvent): View {
  switch (e.type) {
    case 'transfer-stage':
      return { ...v, stage: e.method ? `${e.stage}: ${armLabel(e.method)} at ${e.density}` : e.stage };
    case 'transfer-dense':
      return { ...v, dense: e.zeroShotAccuracy };
    case 'transfer-cell':
      return { ...v, cells: [...v.cells, e.cell] };
    case 'end':
      // done and cancelled: the panel reads the request's result (its promise) instead
      return onEnd<typeof e, View>(e, { done: () => v, cancelled: () => v, error: (f) => ({ ...v, status: 'error', error: f.message }) });
  }
}

/** The backbones a transfer may start from: the model's shipped checkpoints, then the weights in use (""). */
function backboneOptions(model: string, weightsInUse: string): Array<{ value: string; label: string }> {
  return [
    ...pretrainedFor(model).map((p) => ({ value: `pretrained:${p.id}`, label: `shipped checkpoint: ${p.label}` })),
    { value: '', label: `weights in use (${weightsInUse})` },
  ];
}

/**
 * Transfer is about a trained network: it starts from the model's shipped checkpoint unless the
 * page already uses other weights (a checkpoint or a file), then from those.
 */
export function defaultBackbone(model: string, pageWeights: string): string {
  const shipped = pretrainedFor(model)[0];
  return pageWeights === 'init' && shipped ? `pretrained:${shipped.id}` : '';
}

function TransferMethods({ methods, setMethods }: { methods: string[]; setMethods: (f: (ms: string[]) => string[]) => void }) {
  return (
    <fieldset className="inline">
      <legend>Methods</legend>
      {METHODS.map((m) => (
        <label key={m}>
          <input
            type="checkbox"
            checked={methods.includes(m)}
            onChange={(e) =>
              setMethods((ms) => (e.target.checked ? METHODS.filter((x) => ms.includes(x) || x === m) : ms.filter((x) => x !== m)))
            }
          />{' '}
          {armLabel(m)}
        </label>
      ))}
    </fieldset>
  );
}

interface ClampedNumberProps {
  value: number;
  min: number;
  max?: number;
  onChange: (v: number) => void;
  label: string;
  width: string;
}

/** A whole-number input that keeps its value in [min, max] as typed (an unreadable entry reads as min). */
function ClampedNumber({ value, min, max, onChange, label, width }: ClampedNumberProps) {
  return (
    <input
      type="number"
      min={min}
      max={max}
      value={value}
      onChange={(e) => onChange(Math.max(min, Math.min(max ?? Infinity, Math.round(Number(e.target.value)) || min)))}
      aria-label={label}
      style={{ width }}
    />
  );
}

/** The transfer form's values, seeded from the defaults and the weights in use (the upstream dataset). */
function useTransferForm(state: UrlState) {
  const [backbone, setBackbone] = useState(() => defaultBackbone(state.model, state.weights));
  const w = parseWeightsChoice(backbone || state.weights);
  const upstream = w.kind === 'pretrained' ? PRETRAINED.find((p) => p.id === w.id)?.dataset : undefined;
  const [downstream, setDownstream] = useState<Pair>(upstream === 'mnist' ? 'fashion-mnist' : 'mnist');
  const [methods, setMethods] = useState<string[]>(DEFAULT_TRANSFER.methods);
  const [densText, setDensText] = useState(DEFAULT_TRANSFER.densities.join(', '));
  // the side panel's rounds until the field here is edited
  const [ownRounds, setRounds] = useState<number | null>(null);
  const rounds = ownRounds ?? state.rounds;
  const [headSplit, setHeadSplit] = useState<'train' | 'test'>(DEFAULT_TRANSFER.headSplit);
  const [recalibrateBn, setRecalibrateBn] = useState(DEFAULT_TRANSFER.recalibrateBn);
  const [fineTune, setFineTune] = useState(0);
  const [trainExamples, setTrainExamples] = useState(0);
  const [testExamples, setTestExamples] = useState(0);
  // each model's default: 3 seeds where a transfer run is quick (the MLP), else 1 (models.ts)
  const [seedCount, setSeedCount] = useState(() => pageDefaults(state.model).transferSeeds);
  return {
    seedCount,
    setSeedCount,
    backbone,
    setBackbone,
    downstream,
    setDownstream,
    methods,
    setMethods,
    densText,
    setDensText,
    rounds,
    setRounds,
    headSplit,
    setHeadSplit,
    recalibrateBn,
    setRecalibrateBn,
    fineTune,
    setFineTune,
    trainExamples,
    setTrainExamples,
    testExamples,
    setTestExamples,
  };
}

type TransferForm = ReturnType<typeof useTransferForm>;

interface TransferSettingsProps {
  form: TransferForm;
  canRun: boolean;
  running: boolean;
  onRun: () => void;
  onCancel: () => void;
  backbones: Array<{ value: string; label: string }>;
}

/** Pair, methods, densities, rounds, head split, fine-tuning, subset sizes; run and cancel. */
function TransferSettings({ form: f, canRun, running, onRun, onCancel, backbones }: TransferSettingsProps) {
  return (
    <div className="transfer-settings">
      <label>
        Backbone{' '}
        <select value={f.backbone} onChange={(e) => f.setBackbone(e.target.value)} aria-label="Transfer backbone">
          {backbones.map((b) => (
            <option key={b.value} value={b.value}>
              {b.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Pair{' '}
        <select value={f.downstream} onChange={(e) => f.setDownstream(e.target.value as Pair)} aria-label="Transfer pair">
          {PAIRS.map((p) => (
            <option key={p.downstream} value={p.downstream}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <TransferMethods methods={f.methods} setMethods={f.setMethods} />
      <label>
        Densities <input value={f.densText} onChange={(e) => f.setDensText(e.target.value)} aria-label="Transfer densities" size={14} />
      </label>
      <label>
        Rounds <ClampedNumber value={f.rounds} min={1} max={1000} onChange={f.setRounds} label="Transfer rounds" width="5em" />
      </label>
      <label title="Each method × density is pruned once per seed (the side panel's seed and the next ones); the table and chart show mean ± std and the range">
        Seeds <ClampedNumber value={f.seedCount} min={1} max={10} onChange={f.setSeedCount} label="Transfer seeds" width="4em" />
      </label>
      <label>
        Head fitted on{' '}
        <select value={f.headSplit} onChange={(e) => f.setHeadSplit(e.target.value as 'train' | 'test')} aria-label="Head split">
          <option value="train">downstream training split</option>
          <option value="test">downstream test split (official)</option>
        </select>
      </label>
      <label title="Recompute each pruned backbone's BatchNorm statistics on the downstream training split before refitting the probe (zero-shot keeps the dense statistics)">
        <input
          type="checkbox"
          checked={f.recalibrateBn}
          onChange={(e) => f.setRecalibrateBn(e.target.checked)}
          aria-label="Recalibrate BN for the probe"
        />{' '}
        Recalibrate BN for the probe
      </label>
      <label>
        Fine-tune epochs <ClampedNumber value={f.fineTune} min={0} max={20} onChange={f.setFineTune} label="Fine-tune epochs" width="4em" />
      </label>
      <label title="Only the first N downstream training images (head, pruning, fine-tuning); 0 = all">
        Train images{' '}
        <ClampedNumber
          value={f.trainExamples}
          min={0}
          onChange={f.setTrainExamples}
          label="Downstream training images (0 = all)"
          width="6em"
        />
      </label>
      <label title="Evaluate on the first N downstream test images; 0 = all">
        Test images{' '}
        <ClampedNumber value={f.testExamples} min={0} onChange={f.setTestExamples} label="Downstream test images (0 = all)" width="6em" />
      </label>
      <button type="button" className="primary" disabled={!canRun} onClick={onRun}>
        Run transfer
      </button>
      {running ? (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      ) : null}
    </div>
  );
}

/** The settings of a run: the form's, the side panel's seed (and the next ones), examples per class and batch. */
function transferSettingsOf(f: TransferForm, state: UrlState, densities: number[]): TransferSettings {
  return {
    ...DEFAULT_TRANSFER,
    methods: f.methods,
    densities,
    rounds: f.rounds,
    seed: state.seed,
    seeds: Array.from({ length: f.seedCount }, (_, i) => state.seed + i),
    headSplit: f.headSplit,
    recalibrateBn: f.recalibrateBn,
    fineTuneEpochs: f.fineTune,
    trainExamples: f.trainExamples,
    testExamples: f.testExamples,
    examplesPerClass: state.examplesPerClass,
    pruneBatchSize: state.batchSize,
  };
}

export const TransferPanel = memo(function TransferPanel({
  state,
  source,
  theme,
  weightsInUse,
}: {
  state: UrlState;
  source: RunSource;
  theme: ChartTheme;
  weightsInUse: string;
}) {
  const form = useTransferForm(state);
  const backbones = backboneOptions(state.model, weightsInUse);
  const backbone = backbones.find((b) => b.value === form.backbone) ?? backbones[backbones.length - 1];
  const { downstream, methods, densText, fineTune, seedCount } = form;
  const [view, setView] = useState<View | null>(null);
  const densities = parseDensities(densText);
  const canRun = !!source.transfer && !!densities && methods.length > 0 && view?.status !== 'running';

  const run = async () => {
    if (!source.transfer || !densities) return;
    setView({ status: 'running', stage: 'starting', dense: null, cells: [], error: null, outcome: null });
    const settings = transferSettingsOf(form, state, densities);
    const onEvent = (e: TransferEvent) => setView((v) => (v ? reduceTransfer(v, e) : v));
    const out = await source.transfer(
      { model: state.model, downstream, settings, ...(backbone.value ? { weights: backbone.value } : {}) },
      onEvent,
    );
    // a result with an impossible number (a diverged fine-tuning, a bug) is an error, never shown as done
    const checked = out ? checkStored(TransferOutcomeCheckSchema, 'the transfer result', out) : null;
    if (checked && !checked.ok) return setView((v) => (v ? { ...v, status: 'error', error: checked.reason } : v));
    setView((v) =>
      v
        ? out
          ? { ...v, status: 'done', outcome: out, cells: out.cells, dense: out.dense.zeroShotAccuracy }
          : v.status === 'running'
            ? { ...v, status: 'cancelled' }
            : v
        : v,
    );
  };

  const shownMethods = methods.filter((m) => view?.cells.some((c) => c.method === m));
  return (
    <section className="card transfer" aria-labelledby="transfer-title" data-chart="transfer" data-state={view?.status ?? 'idle'}>
      <TransferHead
        backboneLabel={backbone.value ? backbone.label.replace(/^shipped checkpoint: /, 'pretrained: ') : weightsInUse}
        isDefault={backbone.value !== '' && backbone.value === defaultBackbone(state.model, state.weights)}
      />
      <TransferSettings
        form={form}
        canRun={canRun}
        running={view?.status === 'running'}
        onRun={() => void run()}
        onCancel={() => source.cancelTransfer?.()}
        backbones={backbones}
      />
      {!densities ? <p className="notice error">Densities: give numbers in (0, 1], separated by commas.</p> : null}
      {view ? <TransferStatus view={view} cellsTotal={methods.length * (densities?.length ?? 0) * seedCount} /> : null}
      <div className="transfer-chart">
        {view && (view.cells.length || view.dense !== null) ? (
          <TransferChart cells={view.cells} dense={view.dense} methods={shownMethods} theme={theme} />
        ) : (
          <p className="hint">Run the transfer to draw downstream accuracy against remaining weights.</p>
        )}
      </div>
      {view && (view.cells.length || view.dense !== null) ? <TransferTable view={view} fineTune={fineTune > 0} /> : null}
      {view?.cells.length ? <TransferRanking cells={view.cells} /> : null}
    </section>
  );
});
