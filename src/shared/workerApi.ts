// The worker's API (comlink): what the page may ask of the one compute worker, and the events it
// streams back. Callbacks are passed as comlink proxies.
import type { BackendInfo, BackendName } from './backendInfo';
import type { MetricPoint, DensityScanEvent, DensityScanRequest } from './densityScan';
import type { MethodId } from './methods';
import type { MaskArray, RunEvent, RunRequest, RunSummary, TrainEvent, TrainRequest, TrainResult } from './protocol';
import type { ScoreHistogram, ScoreHistogramEvent, ScoreHistogramRequest } from './scoreHistogram';
import type { TransferEvent, TransferOutcome, TransferRequest, WeightsInfo } from './transfer';

export interface WorkerInit {
  /** Backends not to use (they failed before). */
  exclude?: BackendName[];
  /** Use this backend only (tests, benchmarks). */
  only?: BackendName;
  /** Give up on a backend whose probe takes longer than this (default 20 s). */
  probeTimeoutMs?: number;
  /** wasm threads to ask for (benchmarks of thread scaling); default one per logical core. */
  wasmThreads?: number;
  /**
   * A Web Lock the worker holds for as long as it lives: the page learns of a worker that died
   * without an error event (terminated, closed) when the lock is released.
   */
  lifeLock?: string;
  /** The absolute URL public/ is served from (the page's folder): data and pretrained weights are fetched from there. */
  publicUrl?: string;
}

/** Something that ends the worker's usefulness on its backend (the client restarts it). */
export interface WorkerFault {
  /** backend-error: a run failed inside the backend (a shader that does not compile, GPU out of memory). */
  /** silent: the worker died without an error event, or stopped answering (heartbeat watchdog). */
  kind: 'device-lost' | 'crash' | 'backend-error' | 'silent';
  backend: BackendName;
  message: string;
}

export interface WorkerStats {
  backend: BackendName | null;
  /** tf.memory().numTensors. */
  tensors: number;
  bytes: number;
  pathEntries: number;
  resultEntries: number;
  cacheBytes: number;
}

/** Faults the tests can simulate. */
export type FaultKind = 'device-lost' | 'crash' | 'exit' | 'hang';

/**
 * How a request's events cross to the page: in batches, the events emitted in one burst (one
 * turn of the worker's microtasks) in one message, so the page folds and draws them together.
 */
export type EventBatches<E> = (events: E[]) => void;

export interface LabWorkerApi {
  /** Pick and self-check a backend. `onFault` is called if the device is lost later. */
  init(opts: WorkerInit, onFault: (f: WorkerFault) => void, onHeartbeat?: () => void): Promise<BackendInfo>;
  /**
   * Run a request, streaming its events. Starting a run cancels every older one (the page only shows
   * the newest). Resolves with the summary, or null when cancelled; an error is an `error` event
   * and a null result (every request ends with one `end` event).
   */
  run(request: RunRequest, onEvents: EventBatches<RunEvent>): Promise<RunSummary | null>;
  /** Cancel a request (no-op when it already ended). */
  cancel(requestId: number): void;
  /** Final masks of one method of a finished request (the last one only), or null. */
  masks(requestId: number, method: MethodId): Promise<MaskArray[] | null>;
  stats(): Promise<WorkerStats>;
  clearCache(): void;
  /**
   * Read CIFAR-10 from files the user dropped; resolves with its label. Atomic: the files are
   * validated in full (both splits present) before they replace the set held; a newer load
   * supersedes an older one still reading (which then rejects with an AbortError).
   */
  loadCifar10(files: File[], onProgress: (fraction: number) => void): Promise<string>;
  /** The label of the CIFAR-10 set the worker holds, or null. */
  cifarHeld(): string | null;
  /** Tests only (absent from production builds): crash, lose the device, exit or hang silently. */
  simulateFault?(kind: FaultKind): void;
  /**
   * Train the request's lines, streaming events; supersedes the previous training or sweep.
   * Resolves with the results, or null when cancelled or failed (an `end` event with outcome `error`).
   */
  train(request: TrainRequest, onEvents: EventBatches<TrainEvent>): Promise<TrainResult[] | null>;
  /** Cancel a training or sweep request. */
  cancelTrain(requestId: number): void;
  /**
   * Start every run of `model` from these weights ("init", "pretrained:<id>", "file" with `bytes`,
   * or a link's "file:<sha256>:<name>", which the bytes must match). Validated in full first; on a
   * problem it rejects with one clear line and the weights held before stay in use.
   */
  setWeights(model: string, choice: string, bytes?: Uint8Array, name?: string): Promise<WeightsInfo | null>;
  /** Run the Transfer protocol (supersedes the previous transfer); null when cancelled or failed. */
  transfer(request: TransferRequest, onEvents: EventBatches<TransferEvent>): Promise<TransferOutcome | null>;
  cancelTransfer(requestId: number): void;
  /** Density scan over the configuration's pruning paths (src/shared/densityScan.ts); supersedes the previous one. */
  densityScan(request: DensityScanRequest, onEvents: EventBatches<DensityScanEvent>): Promise<MetricPoint[] | null>;
  cancelDensityScan(requestId: number): void;
  /** Score histograms at the configuration's density (src/shared/scoreHistogram.ts); supersedes the previous one. */
  scoreHistograms(request: ScoreHistogramRequest, onEvents: EventBatches<ScoreHistogramEvent>): Promise<ScoreHistogram[] | null>;
  cancelScoreHistograms(requestId: number): void;
}
