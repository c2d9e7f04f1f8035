// What the page draws: one immutable view of a run, folded from the worker's event stream
// (src/shared/protocol.ts) by reduceRun. Components only read RunView; the real worker and the
// dev mock feed the same reducer.
import type { TransferEvent, TransferOutcome, TransferRequest, WeightsInfo } from '../../shared/transfer';
import type { RunConfig } from '../../shared/config';
import type { MethodId } from '../../shared/methods';
import { onEnd } from '../../shared/requestEnd';
import { measuredRoundMs, runProgress } from './eta';
import type { MethodView, RoundView, RunView } from './runViewTypes';

export type { MethodStatus, MethodView, RoundView, RunStatus, RunView } from './runViewTypes';
import type { SweepPlan } from '../../shared/train';
import type { MetricPoint, DensityScanEvent } from '../../shared/densityScan';
import type { ScoreHistogram, ScoreHistogramEvent } from '../../shared/scoreHistogram';
import {
  type TrainEvent,
  type TrainRequest,
  type TrainResult,
  type BackendInfo,
  type MaskArray,
  type RunEvent,
} from '../../shared/protocol';

export function emptyRun(id: number, config: RunConfig, backend?: BackendInfo): RunView {
  return {
    id,
    config,
    status: 'running',
    startedAt: Date.now(),
    backend,
    methods: config.methods.map((m) => ({ method: m, status: 'queued', phase: null, roundsTotal: 0, rounds: [] })),
    progress: 0,
    notices: [],
  };
}

function updateMethod(view: RunView, method: MethodId, f: (m: MethodView) => MethodView): RunView {
  let found = false;
  const methods = view.methods.map((m) => {
    if (m.method !== method) return m;
    found = true;
    return f(m);
  });
  if (!found) methods.push(f({ method, status: 'queued', phase: null, roundsTotal: 0, rounds: [] }));
  return { ...view, methods };
}

/** A copy of the time a method has spent so far, by kind (zeros where none yet). */
const spentOf = (m: MethodView): NonNullable<MethodView['spent']> => ({ path: 0, exact: 0, ntk: 0, layers: 0, ...m.spent });

/** A method's view after one of its rounds (replayed rounds keep the time they were first measured in). */
function withRound(m: MethodView, e: Extract<RunEvent, { type: 'round' }>): MethodView {
  const r: RoundView = { round: e.round, density: e.density, keptFraction: e.total > 0 ? e.kept / e.total : 0, elapsedMs: e.elapsedMs };
  const samePhase = m.phase === e.phase;
  const rounds = samePhase ? [...m.rounds.filter((x) => x.round !== e.round), r] : [r];
  const base = samePhase ? m.replayBaseMs : undefined;
  const spent = spentOf(m);
  const pathSeen = m.pathSeen || e.phase === 'path';
  if (e.replay)
    return {
      ...m,
      status: 'running',
      phase: e.phase,
      roundsTotal: e.rounds,
      rounds,
      etaMs: e.etaMs,
      replayBaseMs: e.elapsedMs,
      spent,
      pathSeen,
    };
  spent[e.phase] = e.elapsedMs - (base ?? 0);
  return { ...m, status: 'running', phase: e.phase, roundsTotal: e.rounds, rounds, etaMs: e.etaMs, replayBaseMs: base, spent, pathSeen };
}

/** A method's view after an NTK: along the run (a round's trace) or of its final mask. */
function withNtk(m: MethodView, e: Extract<RunEvent, { type: 'ntk' }>): MethodView {
  const spent = spentOf(m);
  if (!e.replay) spent.ntk += e.ntk.ms;
  if (e.round !== null) {
    const rounds = m.rounds.map((r) => (r.round === e.round ? { ...r, ntkTrace: e.ntk.trace } : r));
    return { ...m, rounds, spent, ntkAlong: (m.ntkAlong ?? 0) + 1 };
  }
  return { ...m, ntk: e.ntk, ntkSource: e.source, spent };
}

/** Fold one worker event into the view (pure; events of another request are ignored). */
function withLayers(m: MethodView, e: Extract<RunEvent, { type: 'layers' }>): MethodView {
  const spent = spentOf(m);
  spent.layers += e.ms;
  return { ...m, layers: e.rows, layersSource: e.source, spent };
}

export function reduceRun(view: RunView, e: RunEvent): RunView {
  if (e.type === 'notice') {
    if (e.requestId !== null && e.requestId !== view.id) return view;
    return { ...view, notices: [...view.notices, e.message].slice(-5) };
  }
  if (e.requestId !== view.id) return view;
  let next: RunView;
  switch (e.type) {
    case 'backend':
      return { ...view, backend: e.info, backendWaitMs: (view.backendWaitMs ?? 0) + (e.waitedMs ?? 0) };
    case 'start':
      return {
        ...view,
        model: e.model,
        dataset: e.dataset,
        dataMs: e.dataMs,
        methods: e.methods.map(
          (m) => view.methods.find((v) => v.method === m) ?? { method: m, status: 'queued', phase: null, roundsTotal: 0, rounds: [] },
        ),
      };
    case 'ntk-dense':
      return { ...view, denseNtk: e.ntk, denseNtkLive: !e.replay };
    case 'method-start':
      next = updateMethod(view, e.method, (m) => ({
        ...m,
        status: 'running',
        phase: e.phase,
        roundsTotal: e.rounds,
        rounds: [],
        etaMs: undefined,
        roundMs: measuredRoundMs(m) ?? m.roundMs,
        replayBaseMs: undefined,
      }));
      break;
    case 'round':
      next = updateMethod(view, e.method, (m) => withRound(m, e));
      break;
    case 'ntk':
      next = updateMethod(view, e.method, (m) => withNtk(m, e));
      break;
    case 'layers':
      next = updateMethod(view, e.method, (m) => withLayers(m, e));
      break;
    case 'result':
      next = updateMethod(view, e.summary.method, (m) => ({
        ...m,
        summary: e.summary,
        status: e.summary.exactPending ? 'running' : 'done',
        etaMs: e.summary.exactPending ? m.etaMs : 0,
      }));
      break;
    case 'end':
      return onEnd<typeof e, RunView>(e, {
        done: (d) => ({
          ...view,
          status: 'done',
          endedAt: Date.now(),
          progress: 1,
          etaMs: 0,
          summary: d.summary,
          methods: view.methods.map((m) => (m.status === 'error' ? m : { ...m, status: 'done', etaMs: 0 })),
        }),
        cancelled: () => ({
          ...view,
          status: 'cancelled',
          endedAt: Date.now(),
          methods: view.methods.map((m) => (m.status === 'done' || m.status === 'error' ? m : { ...m, status: 'cancelled' })),
        }),
        error: (f) => ({ ...view, status: 'error', endedAt: Date.now(), error: f.message }),
      });
    default:
      return view;
  }
  // progress (weighted by measured cost) never runs backwards within a run; the ETA is the
  // remaining measured cost, shown only once it rests on measurements (src/app/eta.ts)
  const p = runProgress(next, Date.now() - next.startedAt);
  return { ...next, progress: Math.max(view.progress, p.fraction), etaMs: p.etaMs };
}

/** A mask as the official code names it: `${module}.weight_mask`, PyTorch layout. */
export type MaskTensor = MaskArray;

/** Loading user-supplied CIFAR-10 files. */
export interface DatasetLoadState {
  status: 'none' | 'loading' | 'ready' | 'error';
  /** 0..1 while loading. */
  progress?: number;
  /** "CIFAR-10 (50,000 train / 10,000 test)". */
  label?: string;
  error?: string;
}

/** The page's one entry point to compute (the real worker, or the dev mock). */
export interface RunSource {
  readonly name: string;
  /** Pick a backend (once). */
  init(): Promise<BackendInfo>;
  /** Run a request, streaming events; resolves when it ends. Starting a newer request supersedes older ones. */
  run(id: number, config: RunConfig, onEvent: (e: RunEvent) => void): Promise<void>;
  cancel(id: number): void;
  /** Final masks of one method of a finished request, or null when the worker cannot give them. */
  masks?(id: number, method: MethodId): Promise<MaskTensor[] | null>;
  /** Load CIFAR-10 from dropped files; resolves with the dataset's label. Absent when unsupported. */
  loadCifar10?(files: File[], onProgress: (fraction: number) => void): Promise<string>;
  /** The label of the CIFAR-10 set the compute side holds now, or null. */
  cifarHeld?(): Promise<string | null>;
  /** Notices about the compute side itself (a worker restarted), with or without a run. */
  onNotice?(cb: (message: string) => void): () => void;
  /** Train a plan's cells (Train section, Sweep panel); absent when unsupported (the mock). */
  train?(
    kind: TrainRequest['kind'],
    plan: SweepPlan,
    skip: number[],
    onEvent: (e: TrainEvent) => void,
    id?: number,
  ): Promise<TrainResult[] | null>;
  cancelTrain?(): void;
  /** Called when the weights set are no longer in use (a restarted worker could not take them); absent in the mock. */
  onWeightsLost?(cb: (message: string) => void): () => void;
  /** Start every run of `model` from these weights (see LabWorkerApi.setWeights); absent in the mock. */
  setWeights?(model: string, choice: string, bytes?: Uint8Array, name?: string): Promise<WeightsInfo | null>;
  /** Run the Transfer protocol; null when cancelled, superseded or failed (an error end event). */
  transfer?(request: Omit<TransferRequest, 'id'>, onEvent: (e: TransferEvent) => void): Promise<TransferOutcome | null>;
  cancelTransfer?(): void;
  /** Density scan over the configuration's pruning paths; null when cancelled, superseded or failed. */
  densityScan?(config: RunConfig, seeds: number, onEvent: (e: DensityScanEvent) => void): Promise<MetricPoint[] | null>;
  cancelDensityScan?(): void;
  /** Score histograms at the configuration's density; null when cancelled, superseded or failed. */
  scoreHistograms?(config: RunConfig, onEvent: (e: ScoreHistogramEvent) => void): Promise<ScoreHistogram[] | null>;
  cancelScoreHistograms?(): void;
}
