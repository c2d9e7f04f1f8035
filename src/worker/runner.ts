// Run orchestration, free of `self` and the DOM so it runs (and is tested) in Node: a request
// becomes a stream of events; a newer request supersedes older ones; pruning paths and results
// are cached (runCache.ts) and paths being recorded are shared (pathJobs.ts).
//
// Per request: validate, estimate memory (refuse what does not fit), open the data, `start`,
// the dense NTK once, then for every method the path-derived layer table (instant when the path
// is cached; recorded otherwise), then their NTKs and summaries, then, for iterative methods
// whose exact schedule to the density differs from the path's, the exact run, replacing the
// path-derived result (its rounds kept as the path the next slider move reads). Then the `end`
// event (outcome done, cancelled or error): nothing runs after it, so the worker is free for the
// slider at once.
//
// Cancellation: requests run one at a time through LatestJob (latestJob.ts), the newest winning;
// prune() checks the signal before every round, the runner between steps. Once aborted, a
// request emits nothing but its `end` with outcome `cancelled`.
import type { LabDataset } from '../core/data/dataset';
import { buildModel } from '../core/models';
import { initStateDict, type StateDict } from '../core/models/state';
import type { Model } from '../core/models/types';
import { tf } from '../core/tf';
import { RunConfigSchema, type RunConfig } from '../shared/config';
import { roundsFor, type MethodId } from '../shared/methods';
import type { BackendName, MaskArray, MemoryEstimate, NtkSpectrum, RunRequest, RunSummary } from '../shared/protocol';
import type { WorkerStats } from '../shared/workerApi';
import { RunError } from '../shared/runError';
import { backendFailure, isAbort, raceAbort, throwIfAborted } from './abort';
import { LatestJob, untilAborted } from './latestJob';
import { lossBatchCount, openSyntheticOnly, requestData, type DatasetOpener, type RequestData } from './data';
import { modelInfo } from './layerStats';
import { BACKEND_BUDGET, estimateMemory } from './memory';
import { MethodRunner, type MetricsAdapter } from './methodRunner';
import { PathJobs, type Emit, type MethodContext } from './pathJobs';
import type { PrunePath } from './path';
import { RunCache, type RunCacheOptions } from './runCache';
import { denseNtkKey, pathKey } from './runPlan';
export { pathFloor, pathIsExact, resultKey } from './runPlan';
import { torchMasks } from './summary';

export type { MetricsAdapter } from './methodRunner';
export { backendFailure } from './abort';

export interface RunnerOptions extends RunCacheOptions {
  /** The backend in use (for events and the memory budget). */
  backend?: () => BackendName;
  /** Memory budget in bytes (default: by backend). */
  budgetBytes?: () => number;
  openDataset?: DatasetOpener;
  /** Imported or pretrained weights for a model (replacing the seeded initialisation), with a cache key. */
  weightsFor?: (model: string) => { key: string; stateDict: StateDict } | null;
  metrics?: MetricsAdapter;
}

export interface RunOptions {
  /** Also cancel the request when this signal aborts. */
  signal?: AbortSignal;
}

/** A configuration's model, weights, data and dense NTK, for sweeps over its paths. */
export type AnalysisContext = Omit<MethodContext, 'requestId' | 'emit'>;

export class LabRunner {
  /** The newest request wins: starting one cancels the one before and waits until it has stopped. */
  private readonly jobs = new LatestJob();
  private readonly cache: RunCache;
  private readonly pathJobs: PathJobs;
  private readonly methods: MethodRunner;
  /** Final masks of the last finished request, per method (for downloads). */
  private lastMasks: { requestId: number; model: Model; masks: Map<MethodId, Uint8Array> } | null = null;
  private readonly opts: RunnerOptions;

  constructor(opts: RunnerOptions = {}) {
    this.opts = opts;
    this.cache = new RunCache(opts);
    this.pathJobs = new PathJobs(this.cache);
    this.methods = new MethodRunner(this.cache, this.pathJobs, opts.metrics);
  }

  private backend(): BackendName {
    return this.opts.backend?.() ?? (tf.getBackend() as BackendName);
  }

  private budget(): number {
    return this.opts.budgetBytes?.() ?? BACKEND_BUDGET[this.backend()] ?? BACKEND_BUDGET.cpu;
  }

  /** Resolves when no request and no path recording is running (tests: tensors are back). */
  async idle(): Promise<void> {
    do await Promise.allSettled([this.jobs.idle(), this.pathJobs.settled()]);
    while (this.jobs.running || this.pathJobs.size);
  }

  cancel(requestId: number): void {
    this.jobs.cancel(requestId);
  }

  /** Drop a dataset opened before (its files changed, e.g. new CIFAR-10 files). */
  forgetDataset(name: string): void {
    this.cache.forgetDataset(name);
  }

  clearCache(): void {
    this.cache.clear();
  }

  stats(): WorkerStats {
    const m = tf.memory();
    return { backend: (tf.getBackend() as BackendName) ?? null, tensors: m.numTensors, bytes: m.numBytes, ...this.cache.stats() };
  }

  /** Final masks (PyTorch layout) of a method of the last finished request. */
  masks(requestId: number, method: MethodId): MaskArray[] | null {
    const last = this.lastMasks;
    const flat = last?.requestId === requestId ? last.masks.get(method) : undefined;
    return last && flat ? torchMasks(last.model, flat) : null;
  }

  /** Run a request (a newer one supersedes it); resolves with its summary, or null when cancelled or failed (see the end event). */
  run(req: RunRequest, emitRaw: Emit, opts: RunOptions = {}): Promise<RunSummary | null> {
    const parsed = RunConfigSchema.safeParse(req.config);
    // Register interest in paths being recorded before superseding: the old request's abort
    // must not stop a recording this one will adopt.
    const pathKeys = new Set(parsed.success ? parsed.data.methods.map((m) => pathKey(parsed.data, m)) : []);
    this.pathJobs.want(pathKeys, req.id);
    const release = () => this.pathJobs.release(pathKeys, req.id);
    const started = (signal: AbortSignal) => signal.addEventListener('abort', release, { once: true });
    const body = (signal: AbortSignal): Promise<RunSummary> => {
      if (!parsed.success)
        throw new RunError(
          'invalid',
          `invalid run configuration: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ')}`,
        );
      // once aborted, nothing reaches the page but the final `cancelled`
      return this.execute(req.id, parsed.data, untilAborted(emitRaw, signal), signal);
    };
    const ended = this.jobs.runToEnd(
      req.id,
      body,
      {
        emit: emitRaw,
        done: (summary) => ({ summary }),
        failure: (e, message) => {
          const err = e instanceof RunError ? e : new RunError(backendFailure(e, this.backend()) ? 'backend' : 'internal', message);
          return { code: err.code, message: err.message, ...(err.estimate ? { estimate: err.estimate } : {}) };
        },
      },
      { signal: opts.signal, started },
    );
    return ended.finally(release);
  }

  // ------------------------------------------------------------------------------------------

  private async execute(requestId: number, cfg: RunConfig, emit: Emit, signal: AbortSignal): Promise<RunSummary> {
    const t0 = performance.now();
    const ctx = await this.prepare(requestId, cfg, emit, signal);
    const { final, masks } = await this.methods.all(ctx);
    throwIfAborted(signal);
    this.lastMasks = { requestId, model: ctx.model, masks };
    const summary: RunSummary = {
      requestId,
      config: cfg,
      backend: this.backend(),
      dataset: ctx.datasetLabel,
      dense: ctx.dense,
      methods: cfg.methods.map((m) => final.get(m)!),
      ms: performance.now() - t0,
    };
    return summary;
  }

  /** Everything before the methods: the memory check, the data, the weights, `start`, the dense NTK and the quick rows. */
  private async prepare(
    requestId: number,
    cfg: RunConfig,
    emit: Emit,
    signal: AbortSignal,
  ): Promise<MethodContext & { datasetLabel: string }> {
    const t0 = performance.now();
    const { model, estimate, ds, data, stateDict } = await this.open(cfg, signal);
    emit({
      type: 'start',
      requestId,
      model: modelInfo(cfg.model, model),
      dataset: ds.label,
      datasetName: cfg.dataset,
      backend: this.backend(),
      estimate,
      methods: cfg.methods,
      subsetIndices: data.subsetIndices,
      lossIndices: data.lossIndices,
      dataMs: performance.now() - t0,
    });
    const base = { requestId, cfg, model, stateDict, data, emit, signal };
    // In the same burst as `start` (one batch to the page, one draw): a cached dense NTK and the
    // provisional rows an earlier exact run left a path for (the slider right after a run).
    const cached = this.cachedDenseNtk(cfg);
    if (cached) emit({ type: 'ntk-dense', requestId, ntk: cached, replay: true });
    this.methods.quickRows({ ...base, dense: cached ?? null });
    const dense = cached ?? (await this.denseNtk(base));
    return { ...base, dense, datasetLabel: ds.label };
  }

  /** The model, the memory check (refuses what does not fit), the data and the weights of a configuration. */
  private async open(
    cfg: RunConfig,
    signal: AbortSignal,
  ): Promise<{ model: Model; estimate: MemoryEstimate; ds: LabDataset; data: RequestData; stateDict: StateDict }> {
    const model = buildModel(cfg.model);
    const estimate = estimateMemory(model, cfg, this.budget());
    if (!estimate.fits) {
      const gib = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GiB`;
      throw new RunError(
        'memory',
        `This run needs about ${gib(estimate.bytes)}, more than the ${gib(estimate.budgetBytes)} the ${this.backend()} backend can hold. ${estimate.suggestion ?? ''}`.trim(),
        estimate,
      );
    }
    let ds: LabDataset;
    let data: RequestData;
    try {
      ds = await raceAbort(this.dataset(cfg, model), signal);
      throwIfAborted(signal);
      data = this.requestData(ds, cfg);
    } catch (e) {
      if (isAbort(e, signal)) throw e;
      throw new RunError('data', e instanceof Error ? e.message : String(e));
    }
    return { model, estimate, ds, data, stateDict: this.stateDict(cfg, model) };
  }

  /** The dense network's NTK (cached), emitted. */
  private async denseNtk(ctx: Omit<MethodContext, 'dense'>): Promise<NtkSpectrum | null> {
    const got = await this.denseSpectrum(ctx);
    if (got) ctx.emit({ type: 'ntk-dense', requestId: ctx.requestId, ntk: got.ntk, ...(got.replay ? { replay: true as const } : {}) });
    return got?.ntk ?? null;
  }

  /** The dense network's NTK if the cache holds it (never without metrics). */
  private cachedDenseNtk(cfg: RunConfig): NtkSpectrum | undefined {
    return this.opts.metrics ? this.cache.denseNtk(denseNtkKey(cfg)) : undefined;
  }

  /** The dense network's NTK, from the cache (replay) or computed; null without metrics. */
  private async denseSpectrum(ctx: Omit<AnalysisContext, 'dense'>): Promise<{ ntk: NtkSpectrum; replay: boolean } | null> {
    const metrics = this.opts.metrics;
    if (!metrics) return null;
    const cached = this.cachedDenseNtk(ctx.cfg);
    if (cached) return { ntk: cached, replay: true };
    const ntk = await metrics.ntk({ model: ctx.model, stateDict: ctx.stateDict, mask: null, data: ctx.data.ntkData, signal: ctx.signal });
    this.cache.setDenseNtk(denseNtkKey(ctx.cfg), ntk);
    throwIfAborted(ctx.signal);
    return { ntk, replay: false };
  }

  /**
   * What a sweep over a configuration's paths needs (densityScan.ts, scoreHistogram.ts): the
   * model, weights, data and dense NTK, from the runs' caches.
   */
  async analysisContext(cfg: RunConfig, signal: AbortSignal): Promise<AnalysisContext> {
    const { model, data, stateDict } = await this.open(cfg, signal);
    const dense = (await this.denseSpectrum({ cfg, model, stateDict, data, signal }))?.ntk ?? null;
    return { cfg, model, stateDict, data, dense, signal };
  }

  /** A method's pruning path for a sweep (cached, adopted from a run's recording, or recorded); `owner` < 0. */
  async analysisPath(sc: AnalysisContext, method: MethodId, owner: number): Promise<PrunePath> {
    const ctx: MethodContext = { ...sc, requestId: owner, emit: () => undefined };
    try {
      return (await this.pathJobs.path(ctx, method, roundsFor(sc.cfg, method))).path;
    } finally {
      this.pathJobs.release([pathKey(sc.cfg, method)], owner);
    }
  }

  private dataset(cfg: RunConfig, model: Model): Promise<LabDataset> {
    const key = `${cfg.dataset}|${model.input.join('x')}|${model.classes}|${cfg.dataset === 'synthetic' ? cfg.seed : ''}`;
    return this.cache.dataset(key, () => (this.opts.openDataset ?? openSyntheticOnly)(cfg.dataset, model, cfg.seed));
  }

  private requestData(ds: LabDataset, cfg: RunConfig): RequestData {
    const key = [ds.label, cfg.seed, cfg.batchSize, lossBatchCount(cfg), cfg.examplesPerClass, cfg.ntkSamples].join('|');
    return this.cache.inputsFor(key, () => requestData(ds, cfg));
  }

  private stateDict(cfg: RunConfig, model: Model): StateDict {
    const held = this.opts.weightsFor?.(cfg.model);
    if (held) return held.stateDict;
    return this.cache.stateDict(`${cfg.model}|${cfg.seed}`, () => initStateDict(model, cfg.seed));
  }
}
