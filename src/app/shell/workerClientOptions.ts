// What the page gives the worker client (src/app/workerClient.ts): per-run handlers and options.
import type { RunEvent } from '../../shared/protocol';
import type { WorkerInit } from '../../shared/workerApi';

export interface RunHandlers {
  /** The request's id (src/app/shell/requestIds.ts; a new one when not given). */
  id?: number;
  /** Every event of this request while it is the current one, in order. */
  onEvent?: (e: RunEvent) => void;
  /** Aborting cancels the request (like superseding it). */
  signal?: AbortSignal;
}

export interface Notice {
  level: 'info' | 'warning';
  message: string;
}

export interface LabClientOptions {
  /** How to make the worker (tests inject their own). */
  createWorker?: () => Worker;
  init?: WorkerInit;
  /** Restarts allowed before giving up (one per backend). */
  maxRestarts?: number;
  /**
   * A busy worker silent (no heartbeat, no event) this long is restarted (default 120 s: a
   * single synchronous wasm op of a large model can block the worker's timer for tens of
   * seconds). A worker that dies is noticed at once through its Web Lock.
   */
  watchdogMs?: number;
}
