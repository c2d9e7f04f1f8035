// The compute worker: every tfjs call of the page happens here. Exposes LabWorkerApi
// (src/shared/protocol.ts) with comlink; events stream back through a proxied callback.
import * as Comlink from 'comlink';
import { cifarDataset, parseCifarFiles, requireBothSplits, type CifarData } from '../core/data/cifar10';
import { openDataset } from '../core/data/open';
import type { BackendInfo, RunEvent, TrainEvent } from '../shared/protocol';
import type { EventBatches, FaultKind, LabWorkerApi, WorkerFault } from '../shared/workerApi';
import { selectBackend, type Selected } from './backends';
import { batchedEmit } from './eventBatches';
import { throwIfAborted } from './abort';
import { coreMetrics } from './metrics';
import { LabRunner } from './runner';
import { DensityScanner } from './densityScan';
import { ScoreHistograms } from './scoreHistogram';
import { TrainRunner } from './trainRunner';
import { TransferRunner } from './transferRunner';
import { WeightsHolder } from './weights';
import type { TransferEvent } from '../shared/transfer';
import type { DatasetName } from '../shared/datasets';
import type { Model } from '../core/models/types';

let selected: Promise<Selected> | null = null;
let faultSink: ((f: WorkerFault) => void) | null = null;
let cifar: CifarData | null = null;
let cifarLabel: string | null = null;
/** The load in progress (a newer drop aborts it). */
let cifarLoad: AbortController | null = null;
const HEARTBEAT_MS = 1000;
/**
 * Where public/ is served: the page says (init); Vite's BASE_URL is relative ("./") in a
 * build that runs under any path, and relative to this worker's own URL it would be wrong.
 */
let publicUrl: string = import.meta.env.BASE_URL;

async function fetchPretrained(id: string): Promise<Uint8Array> {
  const res = await fetch(new URL(`pretrained/${id}.safetensors`, new URL(publicUrl, self.location.href)));
  if (!res.ok) throw new Error(`pretrained/${id}.safetensors: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

const weights = new WeightsHolder(fetchPretrained);

/** A dataset served in a model's input shape; CIFAR-10 from the dropped files when there are some. */
const openForModel = (name: DatasetName, model: Model, seed: number, files: CifarData | null = cifar) =>
  openDataset(name, { shape: model.input, classes: model.classes, seed, baseUrl: publicUrl, ...(files ? { cifar: files } : {}) });

const runner = new LabRunner({
  weightsFor: (model) => weights.for(model),
  openDataset: openForModel,
  metrics: coreMetrics,
});

const sweeper = new DensityScanner(runner, coreMetrics);
const histograms = new ScoreHistograms(runner);

const trainer = new TrainRunner({
  weightsFor: (model) => weights.for(model),
  openDataset: openForModel,
});

const transferRunner = new TransferRunner({
  weights,
  checkpoints: new WeightsHolder(fetchPretrained),
  // downstream sets only (the dropped CIFAR-10 files serve pruning and training)
  openDataset: (name, model, seed) => openForModel(name, model, seed, null),
});

function ready(): Promise<Selected> {
  if (!selected) selected = selectBackend({}, (f) => faultSink?.(f));
  return selected;
}

async function backendInfo(): Promise<BackendInfo> {
  return (await ready()).info;
}

const api: LabWorkerApi = {
  async init(opts, onFault, onHeartbeat) {
    if (opts.publicUrl) publicUrl = opts.publicUrl;
    faultSink = (f) => void Promise.resolve(onFault(f)).catch(() => undefined);
    if (opts.lifeLock) await holdLifeLock(opts.lifeLock);
    // a timer beat: it stops when the worker dies or is stuck in a loop that never yields
    if (onHeartbeat) setInterval(() => void Promise.resolve(onHeartbeat()).catch(() => undefined), HEARTBEAT_MS);
    if (!selected) selected = selectBackend(opts, (f) => faultSink?.(f));
    return backendInfo();
  },

  async run(request, onEvents) {
    await ready();
    return forwarded(onEvents, (emit: (e: RunEvent) => void) => runner.run(request, emit));
  },

  cancel(requestId) {
    runner.cancel(requestId);
  },

  async train(request, onEvents) {
    await ready();
    return forwarded(onEvents, (emit: (e: TrainEvent) => void) => trainer.run(request, emit));
  },

  cancelTrain(requestId) {
    trainer.cancel(requestId);
  },

  async setWeights(model, choice, bytes, name) {
    await ready();
    const before = weights.info()?.choice ?? 'init';
    const info = await weights.set(model, choice, bytes, name);
    // every cached path, result and NTK was computed from the weights held before
    if ((info?.choice ?? 'init') !== before) runner.clearCache();
    return info;
  },

  async transfer(request, onEvents) {
    await ready();
    return forwarded(onEvents, (emit: (e: TransferEvent) => void) => transferRunner.run(request, emit));
  },

  cancelTransfer(requestId) {
    transferRunner.cancel(requestId);
  },

  async densityScan(request, onEvents) {
    await ready();
    return forwarded(onEvents, (emit) => sweeper.run(request, emit));
  },

  cancelDensityScan(requestId) {
    sweeper.cancel(requestId);
  },

  async scoreHistograms(request, onEvents) {
    await ready();
    return forwarded(onEvents, (emit) => histograms.run(request, emit));
  },

  cancelScoreHistograms(requestId) {
    histograms.cancel(requestId);
  },

  async masks(requestId, method) {
    const m = runner.masks(requestId, method);
    return m
      ? Comlink.transfer(
          m,
          m.map((t) => t.data.buffer as ArrayBuffer),
        )
      : null;
  },

  async stats() {
    return runner.stats();
  },

  clearCache() {
    runner.clearCache();
  },

  async loadCifar10(files, onProgress) {
    cifarLoad?.abort();
    const load = new AbortController();
    cifarLoad = load;
    try {
      const data = await parseCifarFiles(files, {
        signal: load.signal,
        onProgress: (p) => void Promise.resolve(onProgress(p.fraction)).catch(() => undefined),
      });
      // validated in full before it replaces anything: both splits, and served to a 3×32×32 model
      requireBothSplits(data);
      const label = cifarDataset(data, { shape: [3, 32, 32], classes: 10 }).label;
      throwIfAborted(load.signal);
      cifar = data;
      cifarLabel = label;
      runner.forgetDataset('cifar10');
      trainer.forgetDataset('cifar10');
      return label;
    } finally {
      if (cifarLoad === load) cifarLoad = null;
    }
  },

  cifarHeld() {
    return cifarLabel;
  },
};

/**
 * Runs `body` with an emitter to a proxied page callback, in batches (eventBatches.ts). Events
 * travel on the callback's own port, the result on the worker's: wait until the page has taken
 * the last batch (a port delivers in order) so the final event arrives before the result.
 */
async function forwarded<E, T>(onEvents: EventBatches<E>, body: (emit: (e: E) => void) => Promise<T>): Promise<T> {
  const out = batchedEmit(onEvents);
  try {
    return await body(out.emit);
  } finally {
    // even when the body throws, what it emitted reaches the page before the callback goes
    await out.drained();
    (onEvents as unknown as { [Comlink.releaseProxy]?: () => void })[Comlink.releaseProxy]?.();
  }
}

/** Holds a Web Lock until the worker ends (released by the browser however it ends). */
function holdLifeLock(name: string): Promise<void> {
  const locks = (self.navigator as Navigator & { locks?: LockManager }).locks;
  if (!locks) return Promise.resolve();
  return new Promise((granted) => {
    void locks.request(name, () => {
      granted();
      return new Promise<never>(() => undefined);
    });
  });
}

// Test hooks: only in builds made with `--mode e2e` (npm run e2e); production has none.
if (import.meta.env.MODE === 'e2e') api.simulateFault = simulateFault;

function simulateFault(kind: FaultKind): void {
  if (kind === 'crash') {
    // an uncaught error: the page's Worker gets an `error` event, as with a real crash
    setTimeout(() => {
      throw new Error('simulated worker crash');
    });
    return;
  }
  if (kind === 'exit') {
    // gone without an error event, as when the browser kills the worker
    setTimeout(() => self.close());
    return;
  }
  if (kind === 'hang') {
    // alive but stuck: no heartbeat, no answer
    setTimeout(() => {
      for (;;);
    });
    return;
  }
  void ready().then((s) => {
    if (!s.loseDevice()) faultSink?.({ kind: 'device-lost', backend: s.info.name, message: 'simulated device loss' });
  });
}

Comlink.expose(api);
