// Run orchestration, free of `self` and the DOM so it runs (and is tested) in Node: a request
// becomes a stream of events; a newer request supersedes older ones; pruning paths and results
// are cached.
//
// Per request: validate, estimate memory (refuse what does not fit), open the data, `start`,
// the dense NTK once, then for every method the path-derived layer table (instant when the path
// is cached; recorded otherwise), then their NTKs and summaries, then, for iterative methods
// whose exact schedule to the density differs from the path's, the exact run, replacing the
// path-derived result. Then `done`.
//
// Cancellation: every request has an AbortController; prune() checks it before every round, the
// runner between steps. Once aborted, a request emits nothing but a final `cancelled`. A path
// being recorded is shared: a newer request that needs the same path (same model, data, seed,
// method, rounds, scope: only the slider moved) adopts it instead of starting over, so dragging
// the slider never throws away the work that makes the slider instant.
import type { LabDataset } from '../core/data/dataset';
import { buildModel, totalPrunable } from '../core/models';
import { initStateDict, type StateDict } from '../core/models/state';
import type { Model } from '../core/models/types';
import { makePruner } from '../core/pruners';
import { AbortError } from '../core/pruners/schedule';
import { tf } from '../core/tf';
import { RunConfigSchema, roundsFor, type MethodId, type RunConfig } from '../shared/config';
import {
  ONE_SHOT_PATH_FLOOR_DENSITY,
  PATH_FLOOR_DENSITY,
  type BackendName,
  type ErrorCode,
  type LayerRow,
  type MaskArray,
  type MaskSource,
  type MemoryEstimate,
  type MethodSummary,
  type NtkSpectrum,
  type RunEvent,
  type RunPhase,
  type RunRequest,
  type RunSummary,
  type WorkerStats,
} from '../shared/protocol';
import { lossBatchCount, openSyntheticOnly, requestData, type DatasetOpener, type RequestData } from './data';
import { effectiveDensityOf, keptAndWidth, layerRows, modelInfo } from './layerStats';
import { LruCache } from './lru';
import { BACKEND_BUDGET, estimateMemory } from './memory';
import { PathRecorder, type PrunePath } from './path';
import { pruneRun, type RoundView } from './pruneRun';
import type { ArrayData } from '../core/job';
import { tfToTorch } from '../core/models/state';

/** NTK and path-based layer metrics (src/core/metrics), injected so the runner works without them. */
export interface MetricsAdapter {
  /** NTK spectrum of the network (masked when `mask` is given) on the NTK inputs. */
  ntk(job: { model: Model; stateDict: StateDict; mask: Uint8Array | null; data: ArrayData; signal?: AbortSignal }): Promise<NtkSpectrum>;
  /** The rows with the path-based fields filled in, and whether the network is cut. */
  layers?(job: { model: Model; mask: Uint8Array; rows: LayerRow[] }): Promise<{ rows: LayerRow[]; disconnected: boolean }>;
}

export interface RunnerOptions {
  /** The backend in use (for events and the memory budget). */
  backend?: () => BackendName;
  /** Memory budget in bytes (default: by backend). */
  budgetBytes?: () => number;
  openDataset?: DatasetOpener;
  /** Imported or pretrained weights for a model (replacing the seeded initialisation), with a cache key. */
  weightsFor?: (model: string) => { key: string; stateDict: StateDict } | null;
  metrics?: MetricsAdapter;
  /** Bytes of pruning paths kept (default 256 MiB). */
  pathCacheBytes?: number;
  /** Finished per-method results kept (default 200). */
  resultCacheEntries?: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Cancel every older request (default true: the page shows only the newest). */
  supersede?: boolean;
}

interface Active {
  id: number;
  controller: AbortController;
  promise: Promise<RunSummary | null>;
  pathKeys: Set<string>;
}

interface PathJob {
  key: string;
  controller: AbortController;
  /** Requests that want this path; when none is left the recording stops. */
  wanted: Set<number>;
  /** When the last request that wanted it let go. */
  orphanedAt: number;
  /** Where round events go (the newest request that waits on it). */
  listener: ((e: RoundPayload) => void) | null;
  /** Rounds recorded so far (replayed to a request that adopts the recording). */
  rounds: RoundPayload[];
  /** Started after a finished request, for the slider; stopped by a request that does not want it. */
  background?: boolean;
  promise: Promise<PrunePath>;
}

/** A round event without its request (kept to replay for a later request). */
type RoundPayload = Omit<Extract<RunEvent, { type: 'round' }>, 'requestId'>;
/** An NTK along a run, after some round. */
type NtkPayload = Omit<Extract<RunEvent, { type: 'ntk' }>, 'requestId'>;
/** What a result drew over rounds: replayed when it comes from a cache, so it draws the same. */
type Trail = Array<RoundPayload | NtkPayload>;

interface CachedResult {
  summary: MethodSummary;
  trail: Trail;
  rows: LayerRow[];
  ntk: NtkSpectrum | null;
  mask: Uint8Array;
}

type Emit = (e: RunEvent) => void;

class RunError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly estimate?: MemoryEstimate,
  ) {
    super(message);
  }
}

function isAbort(e: unknown, signal: AbortSignal): boolean {
  // not any error named AbortError: WebGPU rejects reads with a DOMException of that name when
  // its device is destroyed, which is a backend failure to restart from, not a cancellation
  return signal.aborted || e instanceof AbortError;
}

/** An error from inside a GPU backend (the page then restarts the worker on the next backend). */
export function backendFailure(e: unknown, backend: BackendName): boolean {
  if (backend !== 'webgl' && backend !== 'webgpu') return false;
  const m = e instanceof Error ? e.message : String(e);
  return /shader|webgl|webgpu|gpu|texture|context lost|device lost|destroyed|out of memory|buffer size/i.test(m) || (e instanceof Error && e.name === 'AbortError');
}

function check(signal: AbortSignal): void {
  if (signal.aborted) throw new AbortError();
}

/** Resolves with p, or rejects with an AbortError as soon as the signal aborts. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new AbortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** How long a recording nobody wants keeps going (for the next request to adopt it). */
const ORPHAN_GRACE_MS = 50;

/**
 * What decides a pruning path (everything but the density), and only what the method reads:
 * the class-balanced subset (examples per class) only for PX, the loss batch (batch size) only
 * for SNIP/GraSP/NTK-SAP, no data at all for SynFlow, magnitude and random.
 */
export function pathKey(cfg: RunConfig, method: MethodId): string {
  const reads = methodData(method);
  const data = reads === 'subset' ? [cfg.dataset, `epc${cfg.examplesPerClass}`, `b${cfg.batchSize}`] : reads === 'loss-batches' ? [cfg.dataset, `b${cfg.batchSize}`] : ['no-data'];
  return [cfg.model, cfg.seed, method, roundsFor(cfg, method), cfg.scope, ...data].join('|');
}

/** What decides a method's result: its path, the density, and the NTK's inputs (every result has an NTK). */
export function resultKey(cfg: RunConfig, method: MethodId): string {
  return `${pathKey(cfg, method)}|${cfg.density}|ntk:${cfg.dataset}:${cfg.ntkSamples}`;
}

/** Models whose NTK is cheap enough to compute along exact runs (a property of the model, never of timing). */
export const NTK_ALONG_MODELS: readonly RunConfig['model'][] = ['mlp', 'convnet'];

/**
 * Rounds after which an exact run also computes the NTK (the trace chart's points). Decided by
 * the request alone, so the same URL draws the same charts and exports the same JSON on any
 * machine and under any load.
 */
export function ntkTraceRounds(cfg: Pick<RunConfig, 'model'>, rounds: number): number[] {
  if (!NTK_ALONG_MODELS.includes(cfg.model) || rounds < 4) return [];
  return [...new Set([0.25, 0.5, 0.75].map((f) => Math.max(1, Math.round(rounds * f))))].filter((r) => r < rounds);
}

export function pathFloor(rounds: number): number {
  return rounds === 1 ? ONE_SHOT_PATH_FLOOR_DENSITY : PATH_FLOOR_DENSITY;
}

/** The path-derived mask is exactly the direct prune: one-shot paths, or the floor itself. */
export function pathIsExact(rounds: number, density: number): boolean {
  return rounds === 1 || density === 1 || Math.abs(density - pathFloor(rounds)) < 1e-12;
}

export class LabRunner {
  private readonly active = new Map<number, Active>();
  private readonly pathJobs = new Map<string, PathJob>();
  private readonly paths: LruCache<PrunePath>;
  /** The rounds each cached path was recorded in (replayed on a cache hit). */
  private readonly pathRounds = new LruCache<RoundPayload[]>(64);
  private readonly results: LruCache<CachedResult>;
  private readonly denseNtk = new LruCache<NtkSpectrum>(16);
  private readonly datasets = new LruCache<Promise<LabDataset>>(3);
  private readonly inputs = new LruCache<RequestData>(4);
  private readonly stateDicts = new LruCache<StateDict>(2);
  /** Final masks of the last finished request, per method (for downloads). */
  private lastMasks: { requestId: number; model: Model; masks: Map<MethodId, Uint8Array> } | null = null;
  private readonly opts: RunnerOptions;

  constructor(opts: RunnerOptions = {}) {
    this.opts = opts;
    this.paths = new LruCache(64, opts.pathCacheBytes ?? 256 * 1024 ** 2);
    this.results = new LruCache(opts.resultCacheEntries ?? 200);
  }

  private backend(): BackendName {
    return this.opts.backend?.() ?? (tf.getBackend() as BackendName);
  }

  private budget(): number {
    return this.opts.budgetBytes?.() ?? BACKEND_BUDGET[this.backend()] ?? BACKEND_BUDGET.cpu;
  }

  estimate(config: RunConfig): MemoryEstimate {
    const cfg = RunConfigSchema.parse(config);
    return estimateMemory(buildModel(cfg.model), cfg, this.budget());
  }

  /** Resolves when no request and no path recording is running (tests: tensors are back). */
  async idle(): Promise<void> {
    while (this.active.size || this.pathJobs.size) {
      await Promise.allSettled([...[...this.active.values()].map((a) => a.promise), ...[...this.pathJobs.values()].map((j) => j.promise)]);
    }
  }

  cancel(requestId: number): void {
    this.active.get(requestId)?.controller.abort();
  }

  /** Drop a dataset opened before (its files changed, e.g. new CIFAR-10 files). */
  forgetDataset(name: string): void {
    for (const k of this.datasets.keys()) if (k.startsWith(`${name}|`)) this.datasets.delete(k);
    this.inputs.clear();
    this.paths.clear();
    this.pathRounds.clear();
    this.results.clear();
    this.denseNtk.clear();
  }

  clearCache(): void {
    this.paths.clear();
    this.pathRounds.clear();
    this.results.clear();
    this.denseNtk.clear();
    this.inputs.clear();
  }

  stats(): WorkerStats {
    const m = tf.memory();
    return {
      backend: (tf.getBackend() as BackendName) ?? null,
      tensors: m.numTensors,
      bytes: m.numBytes,
      pathEntries: this.paths.size,
      resultEntries: this.results.size,
      cacheBytes: this.paths.bytes,
    };
  }

  /** Final masks (PyTorch layout) of a method of the last finished request. */
  masks(requestId: number, method: MethodId): MaskArray[] | null {
    const last = this.lastMasks;
    if (!last || last.requestId !== requestId) return null;
    const flat = last.masks.get(method);
    if (!flat) return null;
    let off = 0;
    return last.model.prunable.map((l) => {
      const tfData = Float32Array.from(flat.subarray(off, off + l.numel));
      off += l.numel;
      return { name: `${l.module}.weight_mask`, shape: l.torchShape, data: tfToTorch(l, tfData) };
    });
  }

  /** Run a request; resolves with its summary, or null when cancelled or failed (see the events). */
  run(req: RunRequest, emitRaw: Emit, opts: RunOptions = {}): Promise<RunSummary | null> {
    const controller = new AbortController();
    const signal = controller.signal;
    if (opts.signal) {
      if (opts.signal.aborted) controller.abort();
      else opts.signal.addEventListener('abort', () => controller.abort(), { once: true });
    }
    // once aborted, nothing reaches the page but the final `cancelled`
    const emit: Emit = (e) => {
      if (!signal.aborted) emitRaw(e);
    };
    const parsed = RunConfigSchema.safeParse(req.config);
    // Register interest in paths being recorded before superseding: the old request's abort
    // must not stop a recording this one will adopt.
    const pathKeys = new Set(parsed.success ? parsed.data.methods.map((m) => pathKey(parsed.data, m)) : []);
    for (const k of pathKeys) {
      const job = this.pathJobs.get(k);
      if (job && !job.controller.signal.aborted) job.wanted.add(req.id);
    }
    const previous = opts.supersede === false ? [] : [...this.active.values()];
    for (const p of previous) p.controller.abort();
    // a path recorded in the background (after an exact run) that this request does not want
    // stops: it would only slow the new request down
    if (opts.supersede !== false) for (const [k, job] of this.pathJobs) if (job.background && job.wanted.size === 0 && !pathKeys.has(k)) job.controller.abort();
    // A recording nobody wants any more stops at its next round boundary (not at once: the
    // page cancels the old request before it sends the new one, which may want the same path).
    const release = () => {
      for (const k of pathKeys) {
        const job = this.pathJobs.get(k);
        if (job?.wanted.delete(req.id) && job.wanted.size === 0) job.orphanedAt = performance.now();
      }
    };
    signal.addEventListener('abort', release, { once: true });

    const body = async (): Promise<RunSummary | null> => {
      try {
        if (!parsed.success) throw new RunError('invalid', `invalid run configuration: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ')}`);
        // one request computes at a time: wait for the superseded ones to stop (within a round)
        await Promise.allSettled(previous.map((p) => p.promise));
        check(signal);
        return await this.execute(req.id, parsed.data, emit, signal);
      } catch (e) {
        if (isAbort(e, signal)) {
          emitRaw({ type: 'cancelled', requestId: req.id });
          return null;
        }
        const err = e instanceof RunError ? e : new RunError(backendFailure(e, this.backend()) ? 'backend' : 'internal', e instanceof Error ? e.message : String(e));
        emit({ type: 'error', requestId: req.id, code: err.code, message: err.message, ...(err.estimate ? { estimate: err.estimate } : {}) });
        return null;
      } finally {
        signal.removeEventListener('abort', release);
        release();
        this.active.delete(req.id);
      }
    };
    // registered before the body runs (its `finally` removes it, even on a synchronous throw)
    const promise = Promise.resolve().then(body);
    this.active.set(req.id, { id: req.id, controller, promise, pathKeys });
    return promise;
  }

  // ------------------------------------------------------------------------------------------

  private async execute(requestId: number, cfg: RunConfig, emit: Emit, signal: AbortSignal): Promise<RunSummary> {
    const t0 = performance.now();
    const model = buildModel(cfg.model);
    const estimate = estimateMemory(model, cfg, this.budget());
    if (!estimate.fits) {
      const gib = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GiB`;
      throw new RunError('memory', `This run needs about ${gib(estimate.bytes)}, more than the ${gib(estimate.budgetBytes)} the ${this.backend()} backend can hold. ${estimate.suggestion ?? ''}`.trim(), estimate);
    }
    let ds: LabDataset;
    let data: RequestData;
    try {
      ds = await raceAbort(this.dataset(cfg, model), signal);
      check(signal);
      data = this.requestData(ds, cfg);
    } catch (e) {
      if (isAbort(e, signal)) throw e;
      throw new RunError('data', e instanceof Error ? e.message : String(e));
    }
    const stateDict = this.stateDict(cfg, model);
    emit({ type: 'start', requestId, model: modelInfo(cfg.model, model), dataset: ds.label, datasetName: cfg.dataset, backend: this.backend(), estimate, methods: cfg.methods, subsetIndices: data.subsetIndices, lossIndices: data.lossIndices });

    const denseNtk = await this.denseSpectrum(cfg, model, stateDict, data, signal);
    const dense = denseNtk?.ntk ?? null;
    if (denseNtk) emit({ type: 'ntk-dense', requestId, ntk: denseNtk.ntk, ...(denseNtk.replay ? { replay: true as const } : {}) });

    const ctx: MethodContext = { requestId, cfg, model, stateDict, data, dense, emit, signal };
    const final = new Map<MethodId, MethodSummary>();
    const masks = new Map<MethodId, Uint8Array>();
    const needExact: MethodId[] = [];
    /** Iterative methods run exactly first (no path yet): their paths are recorded after `done`. */
    const pathLater: MethodId[] = [];
    // a path already being recorded first (adopted from a superseded request), then in order
    const order = [...cfg.methods].sort((a, b) => Number(this.pathJobs.has(pathKey(cfg, b))) - Number(this.pathJobs.has(pathKey(cfg, a))));
    // Pass 1: every mask read off its path (recorded if needed) goes on screen at once as a
    // layer table; pass 2 adds the NTKs and summaries (seconds on big models).
    const shown: Array<{ method: MethodId; mask: Uint8Array; layers: Shown; exact: boolean; rounds: number; trail: Trail; ms: number }> = [];
    for (const method of order) {
      check(signal);
      const rounds = roundsFor(cfg, method);
      const cached = this.results.get(resultKey(cfg, method));
      if (cached) {
        // the time shown is the original computation's, marked cached
        const summary = { ...cached.summary, cached: true };
        this.publish(ctx, method, cached.trail, cached.rows, cached.ntk, summary);
        final.set(method, summary);
        masks.set(method, cached.mask);
        continue;
      }
      // Fast exact answers: an iterative method off its path floor whose path is neither cached
      // nor being recorded runs the exact schedule at once (R rounds, not a path of R rounds and
      // then the exact R); its path, for the slider, is recorded after the request is done.
      const key = pathKey(cfg, method);
      if (rounds > 1 && !pathIsExact(rounds, cfg.density) && !this.paths.has(key) && !this.pathJobs.has(key)) {
        needExact.push(method);
        pathLater.push(method);
      } else if (cfg.density >= pathFloor(rounds) - 1e-12) {
        const tp = performance.now();
        const { path, trail } = await this.path(ctx, method, rounds);
        const mask = path.maskAt(cfg.density)!;
        const exact = pathIsExact(rounds, cfg.density);
        const layers = await this.showLayers(ctx, method, mask, exact ? 'exact' : 'path');
        shown.push({ method, mask, layers, exact, rounds, trail, ms: exact ? performance.now() - tp : 0 });
      } else needExact.push(method);
    }
    for (const s of shown) {
      check(signal);
      const summary = await this.finishResult(ctx, s.method, s.mask, s.layers, s.exact ? 'exact' : 'path', { rounds: s.rounds, ms: s.ms, exactPending: !s.exact, trail: s.trail });
      if (s.exact) {
        final.set(s.method, summary);
        masks.set(s.method, s.mask);
      } else needExact.push(s.method);
    }
    // keep the request's method order for the exact runs
    needExact.sort((a, b) => cfg.methods.indexOf(a) - cfg.methods.indexOf(b));
    for (const method of needExact) {
      check(signal);
      const res = await this.exact(ctx, method, roundsFor(cfg, method));
      final.set(method, res.summary);
      masks.set(method, res.mask);
    }
    check(signal);
    this.lastMasks = { requestId, model, masks };
    const summary: RunSummary = {
      requestId,
      config: cfg,
      backend: this.backend(),
      dataset: ds.label,
      dense,
      methods: cfg.methods.map((m) => final.get(m)!),
      ms: performance.now() - t0,
    };
    emit({ type: 'done', requestId, summary });
    for (const method of pathLater) this.recordInBackground(ctx, method, roundsFor(cfg, method));
    return summary;
  }

  /** The dense network's NTK (cached per model, data, seed and inputs), or null without metrics. */
  private async denseSpectrum(cfg: RunConfig, model: Model, stateDict: StateDict, data: RequestData, signal: AbortSignal): Promise<{ ntk: NtkSpectrum; replay: boolean } | null> {
    if (!this.opts.metrics) return null;
    const key = `${cfg.model}|${cfg.dataset}|${cfg.seed}|${cfg.ntkSamples}`;
    const cached = this.denseNtk.get(key);
    if (cached) return { ntk: cached, replay: true };
    const ntk = await this.opts.metrics.ntk({ model, stateDict, mask: null, data: data.ntkData, signal });
    this.denseNtk.set(key, ntk);
    check(signal);
    return { ntk, replay: false };
  }

  /**
   * What a sweep over a configuration's paths needs (src/worker/metricSweep.ts,
   * scoreHistogram.ts): the model, weights, data and dense NTK, from the runs' caches.
   */
  async sweepContext(cfg: RunConfig, signal: AbortSignal): Promise<SweepContext> {
    const model = buildModel(cfg.model);
    const estimate = estimateMemory(model, cfg, this.budget());
    if (!estimate.fits) throw new Error(`this configuration needs more memory than the ${this.backend()} backend can hold`);
    const ds = await raceAbort(this.dataset(cfg, model), signal);
    const data = this.requestData(ds, cfg);
    const stateDict = this.stateDict(cfg, model);
    const dense = (await this.denseSpectrum(cfg, model, stateDict, data, signal))?.ntk ?? null;
    return { cfg, model, stateDict, data, dense, signal };
  }

  /** A method's pruning path for a sweep (cached, adopted from a run's recording, or recorded); `owner` < 0. */
  async sweepPath(sc: SweepContext, method: MethodId, owner: number): Promise<PrunePath> {
    const ctx: MethodContext = { ...sc, requestId: owner, emit: () => undefined };
    try {
      return (await this.path(ctx, method, roundsFor(sc.cfg, method))).path;
    } finally {
      const job = this.pathJobs.get(pathKey(sc.cfg, method));
      if (job?.wanted.delete(owner) && job.wanted.size === 0) job.orphanedAt = performance.now();
    }
  }

  /** The layer table of a mask, emitted at once. */
  private async showLayers(ctx: MethodContext, method: MethodId, mask: Uint8Array, source: MaskSource): Promise<Shown> {
    const { model, cfg, signal } = ctx;
    let shown: Shown = { rows: layerRows(model, mask) };
    if (this.opts.metrics?.layers) shown = await this.opts.metrics.layers({ model, mask, rows: shown.rows });
    check(signal);
    ctx.emit({ type: 'layers', requestId: ctx.requestId, method, source, density: cfg.density, rows: shown.rows });
    return shown;
  }

  /** NTK and summary of a mask whose layers are shown; emitted, and cached when exact. */
  private async finishResult(
    ctx: MethodContext,
    method: MethodId,
    mask: Uint8Array,
    shown: Shown,
    source: MaskSource,
    extra: { rounds: number; ms: number; exactPending: boolean; trail: Trail },
  ): Promise<MethodSummary> {
    const { model, stateDict, cfg, signal, emit, requestId } = ctx;
    const { rows } = shown;
    const ntk = this.opts.metrics ? await this.opts.metrics.ntk({ model, stateDict, mask, data: ctx.data.ntkData, signal }) : null;
    check(signal);
    const kept = rows.reduce((a, r) => a + r.kept, 0);
    const total = totalPrunable(model);
    const eff = effectiveDensityOf(rows);
    const flops = rows.reduce((a, r) => a + (r.flops ?? 0), 0);
    const denseFlops = rows.reduce((a, r) => a + (r.denseFlops ?? 0), 0);
    const summary: MethodSummary = {
      method,
      source,
      exactPending: extra.exactPending,
      cached: false,
      density: cfg.density,
      rounds: extra.rounds,
      kept,
      total,
      keptFraction: kept / total,
      ...(eff !== undefined ? { effectiveDensity: eff } : {}),
      ...(ntk && ctx.dense && ctx.dense.trace > 0 ? { ntkTraceRatio: ntk.trace / ctx.dense.trace } : {}),
      ...(ntk ? { condition: ntk.condition } : {}),
      flops,
      denseFlops,
      collapsedLayers: rows.filter((r) => r.collapsed).length,
      ...(shown.disconnected !== undefined ? { disconnected: shown.disconnected } : {}),
      ms: extra.ms,
    };
    if (ntk) emit({ type: 'ntk', requestId, method, source, round: null, density: cfg.density, ntk });
    emit({ type: 'result', requestId, summary });
    if (source === 'exact') this.results.set(resultKey(cfg, method), { summary, trail: extra.trail, rows, ntk, mask });
    return summary;
  }

  /** A cached result, drawn as when it was computed: its rounds (and NTKs along them) first. */
  private publish(ctx: MethodContext, method: MethodId, trail: Trail, rows: LayerRow[], ntk: NtkSpectrum | null, summary: MethodSummary): void {
    const { emit, requestId, cfg } = ctx;
    const source: MaskSource = 'exact';
    const first = trail.find((e): e is RoundPayload => e.type === 'round');
    if (first) emit({ type: 'method-start', requestId, method, phase: first.phase, rounds: first.rounds, density: cfg.density });
    for (const e of trail) emit({ ...e, requestId, replay: true } as RunEvent);
    emit({ type: 'layers', requestId, method, source, density: cfg.density, rows });
    if (ntk) emit({ type: 'ntk', requestId, method, source, round: null, density: cfg.density, ntk });
    emit({ type: 'result', requestId, summary });
  }

  /**
   * The method's pruning path and its rounds: cached (rounds replayed), adopted from a recording
   * in flight (rounds so far replayed, then live), or recorded now. Every request sees every
   * round, whoever recorded it, so the same URL draws the same rounds.
   */
  private async path(ctx: MethodContext, method: MethodId, rounds: number): Promise<{ path: PrunePath; trail: Trail }> {
    const key = pathKey(ctx.cfg, method);
    const floor = pathFloor(rounds);
    const emitRound = (e: RoundPayload, replay = false) => {
      if (!ctx.signal.aborted) ctx.emit({ ...e, requestId: ctx.requestId, ...(replay ? { replay: true as const } : {}) });
    };
    for (;;) {
      const cached = this.paths.get(key);
      const cachedRounds = this.pathRounds.get(key);
      if (cached && cachedRounds) {
        ctx.emit({ type: 'method-start', requestId: ctx.requestId, method, phase: 'path', rounds, density: floor });
        for (const e of cachedRounds) emitRound(e, true);
        return { path: cached, trail: cachedRounds };
      }
      let job = this.pathJobs.get(key);
      if (!job || job.controller.signal.aborted) job = this.startPathJob(ctx, key, method, rounds, floor);
      job.wanted.add(ctx.requestId);
      ctx.emit({ type: 'method-start', requestId: ctx.requestId, method, phase: 'path', rounds, density: floor });
      for (const e of job.rounds) emitRound(e, true);
      const listener = (e: RoundPayload) => emitRound(e);
      job.listener = listener;
      try {
        const path = await raceAbort(job.promise, ctx.signal);
        return { path, trail: [...job.rounds] };
      } catch (e) {
        // a recording stopped under a live request (orphaned just before it was adopted): redo it
        if (ctx.signal.aborted || !job.controller.signal.aborted) throw e;
      } finally {
        if (job.listener === listener) job.listener = null;
      }
    }
  }

  /** Record a method's path with nobody waiting (after an exact run), so the slider can read it. */
  private recordInBackground(ctx: MethodContext, method: MethodId, rounds: number): void {
    const key = pathKey(ctx.cfg, method);
    if (this.paths.has(key) || this.pathJobs.has(key)) return;
    const job = this.startPathJob(ctx, key, method, rounds, pathFloor(rounds));
    job.wanted.clear();
    job.background = true;
  }

  private startPathJob(ctx: MethodContext, key: string, method: MethodId, rounds: number, floor: number): PathJob {
    const { model, stateDict, data, cfg } = ctx;
    const controller = new AbortController();
    const recorder = new PathRecorder(totalPrunable(model));
    const job: PathJob = { key, controller, wanted: new Set([ctx.requestId]), orphanedAt: Infinity, listener: null, rounds: [], promise: null as unknown as Promise<PrunePath> };
    job.promise = (async () => {
      try {
        await pruneRun({
          model,
          stateDict,
          method,
          density: floor,
          rounds,
          scope: cfg.scope,
          seed: cfg.seed,
          lossData: data.lossData,
          subsetData: data.subsetData,
          batchSize: cfg.batchSize,
          signal: controller.signal,
          onRound: async (view) => {
            // orphaned (every request that wanted it was cancelled and none adopted it for a
            // moment): stop here
            if (job.wanted.size === 0 && performance.now() - job.orphanedAt >= ORPHAN_GRACE_MS) controller.abort();
            const mask = await view.mask();
            recorder.record(view.info.round, mask, await view.scores());
            const payload = roundPayload(model, method, 'path', rounds, view, mask);
            job.rounds.push(payload);
            job.listener?.(payload);
          },
        });
        const path = recorder.finish({ layerSizes: model.prunable.map((l) => l.numel), scope: cfg.scope, floor, rounds });
        this.paths.set(key, path, path.bytes);
        this.pathRounds.set(key, job.rounds);
        return path;
      } finally {
        if (this.pathJobs.get(key) === job) this.pathJobs.delete(key);
      }
    })();
    // nobody may be waiting when it is aborted
    job.promise.catch(() => undefined);
    this.pathJobs.set(key, job);
    return job;
  }


  /** The exact schedule to the requested density, streamed; replaces the path-derived result. */
  private async exact(ctx: MethodContext, method: MethodId, rounds: number): Promise<{ summary: MethodSummary; mask: Uint8Array }> {
    const { model, stateDict, data, cfg, signal, emit, requestId } = ctx;
    emit({ type: 'method-start', requestId, method, phase: 'exact', rounds, density: cfg.density });
    const t0 = performance.now();
    const ntkRounds = new Set(this.opts.metrics ? ntkTraceRounds(cfg, rounds) : []);
    const trail: Trail = [];
    const res = await pruneRun({
      model,
      stateDict,
      method,
      density: cfg.density,
      rounds,
      scope: cfg.scope,
      seed: cfg.seed,
      lossData: data.lossData,
      subsetData: data.subsetData,
      batchSize: cfg.batchSize,
      signal,
      onRound: async (view) => {
        if (signal.aborted) return;
        const flat = await view.mask();
        const payload = roundPayload(model, method, 'exact', rounds, view, flat);
        trail.push(payload);
        emit({ ...payload, requestId });
        const r = view.info.round + 1;
        if (ntkRounds.has(r) && r < rounds && !signal.aborted) {
          const m = Uint8Array.from(flat, (v) => (v !== 0 ? 1 : 0));
          const ntk = await this.opts.metrics!.ntk({ model, stateDict, mask: m, data: data.ntkData, signal });
          const along: NtkPayload = { type: 'ntk', method, source: 'exact', round: r, density: view.info.sparse, ntk };
          trail.push(along);
          emit({ ...along, requestId });
        }
      },
    });
    check(signal);
    const layers = await this.showLayers(ctx, method, res.mask, 'exact');
    const summary = await this.finishResult(ctx, method, res.mask, layers, 'exact', { rounds, ms: performance.now() - t0, exactPending: false, trail });
    return { summary, mask: res.mask };
  }

  private dataset(cfg: RunConfig, model: Model): Promise<LabDataset> {
    const key = `${cfg.dataset}|${model.input.join('x')}|${model.classes}|${cfg.dataset === 'synthetic' ? cfg.seed : ''}`;
    let p = this.datasets.get(key);
    if (!p) {
      p = (this.opts.openDataset ?? openSyntheticOnly)(cfg.dataset, model, cfg.seed);
      this.datasets.set(key, p);
      // a failed open is not remembered
      p.catch(() => this.datasets.delete(key));
    }
    return p;
  }

  private requestData(ds: LabDataset, cfg: RunConfig): RequestData {
    const key = [ds.label, cfg.seed, cfg.batchSize, lossBatchCount(cfg), cfg.examplesPerClass, cfg.ntkSamples].join('|');
    let d = this.inputs.get(key);
    if (!d) {
      d = requestData(ds, cfg);
      this.inputs.set(key, d);
    }
    return d;
  }

  private stateDict(cfg: RunConfig, model: Model): StateDict {
    const held = this.opts.weightsFor?.(cfg.model);
    if (held) return held.stateDict;
    const key = `${cfg.model}|${cfg.seed}`;
    let sd = this.stateDicts.get(key);
    if (!sd) {
      sd = initStateDict(model, cfg.seed);
      this.stateDicts.set(key, sd);
    }
    return sd;
  }
}

/** A mask's layer table as shown, and whether the network is cut. */
interface Shown {
  rows: LayerRow[];
  disconnected?: boolean;
}

/** A configuration's model, weights, data and dense NTK, for sweeps over its paths. */
export interface SweepContext {
  cfg: RunConfig;
  model: Model;
  stateDict: StateDict;
  data: RequestData;
  dense: NtkSpectrum | null;
  signal: AbortSignal;
}

interface MethodContext {
  requestId: number;
  cfg: RunConfig;
  model: Model;
  stateDict: StateDict;
  data: RequestData;
  dense: NtkSpectrum | null;
  emit: Emit;
  signal: AbortSignal;
}

/** Which data a method reads (for tests, estimates and cache keys). */
export function methodData(method: MethodId): string {
  return makePruner(method).data;
}

/** The page's view of one round (per-layer kept and width), without the request id. */
function roundPayload(model: Model, method: MethodId, phase: RunPhase, rounds: number, view: RoundView, mask: Float32Array): RoundPayload {
  const { info } = view;
  const done = info.round + 1;
  return {
    type: 'round',
    method,
    phase,
    round: done,
    rounds,
    density: info.sparse,
    kept: info.kept,
    total: info.total,
    keptPerLayer: info.keptPerLayer,
    widthPerLayer: keptAndWidth(model, mask).width,
    elapsedMs: info.elapsedMs,
    etaMs: (info.elapsedMs / done) * (rounds - done),
  };
}
