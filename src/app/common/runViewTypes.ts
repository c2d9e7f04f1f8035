// The view of a pruning run the page draws (folded by runView.ts reduceRun, estimated by eta.ts):
// types only, so that the reducer and the estimate both read them without importing each other.
import type { RunConfig } from '../../shared/config';
import type { MethodId } from '../../shared/methods';
import type { BackendInfo, LayerRow, MaskOrigin, MethodSummary, ModelInfo, NtkSpectrum, RunPhase, RunSummary } from '../../shared/protocol';

export interface RoundView {
  /** 1-based round. */
  round: number;
  /** The density this round prunes to (the round event's `density`). */
  density: number;
  /** Fraction of prunable weights kept after the round (events carry the count, `kept`). */
  keptFraction: number;
  /** NTK trace after the round, when the worker computed it along the way. */
  ntkTrace?: number;
  elapsedMs: number;
}

export type MethodStatus = 'queued' | 'running' | 'done' | 'error' | 'cancelled';

export interface MethodView {
  method: MethodId;
  status: MethodStatus;
  /** Phase the rounds below belong to ('path' records down to the path floor; 'exact' runs to the density). */
  phase: RunPhase | null;
  roundsTotal: number;
  rounds: RoundView[];
  layers?: LayerRow[];
  layersSource?: MaskOrigin;
  ntk?: NtkSpectrum;
  ntkSource?: MaskOrigin;
  summary?: MethodSummary;
  error?: string;
  etaMs?: number;
  /** Milliseconds per round measured in an earlier phase (the exact run's cost before its first round). */
  roundMs?: number;
  /** The method went through a path phase in this request (recorded, adopted or replayed). */
  pathSeen?: boolean;
  /** NTKs computed along the exact run so far. */
  ntkAlong?: number;
  /** Time this request spent on the method now (replays from caches count nothing). */
  spent?: { path: number; exact: number; ntk: number; layers: number };
  /** Elapsed time of the last replayed round of the current phase (live rounds count from there). */
  replayBaseMs?: number;
}

export type RunStatus = 'idle' | 'running' | 'done' | 'error' | 'cancelled';

export interface RunView {
  /** Request id; a view of an older request is never shown. */
  id: number;
  config: RunConfig;
  status: RunStatus;
  startedAt: number;
  backend?: BackendInfo;
  model?: ModelInfo;
  dataset?: string;
  /** Time the request waited for the worker and its backend to start (the page's first run). */
  backendWaitMs?: number;
  /** Time the worker spent opening the data, inputs and weights (near 0 when cached). */
  dataMs?: number;
  denseNtk?: NtkSpectrum;
  /** The dense NTK was computed by this request (not taken from a cache). */
  denseNtkLive?: boolean;
  /** When the run finished, was cancelled or failed (Date.now()). */
  endedAt?: number;
  /**
   * The page's first run: when the page was opened (navigation start, Date.now() scale). Opening a
   * link is its request, so "done in" counts from there; the page's own start is a part of the time.
   */
  openedAt?: number;
  methods: MethodView[];
  error?: string;
  /** Overall progress in [0, 1]. */
  progress: number;
  etaMs?: number;
  /** Messages from the worker (fallback to another backend, restarted worker, …). */
  notices: string[];
  summary?: RunSummary;
}
