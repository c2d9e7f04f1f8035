// A request's methods, once its data, weights and dense NTK are ready. Pass 1: every mask read
// off a path (recorded if needed, or the path an earlier exact run left) goes on screen at once
// as a layer table and a summary without its NTK; pass 2 adds the NTKs (seconds on big models);
// pass 3 runs the exact schedules where the path's mask is not exact, replacing the
// path-derived result, and leaves its own rounds as the path the next slider move reads.
// Finished results come from the cache, replayed as they were drawn.
import type { ArrayData } from '../core/examples';
import { runPruneJob } from '../core/job';
import type { StateDict } from '../core/models/state';
import type { Model } from '../core/models/types';
import { roundsFor, type MethodId } from '../shared/methods';
import type { LayerRow, MaskOrigin, MethodSummary, NtkSpectrum, RunEvent } from '../shared/protocol';
import { throwIfAborted } from './abort';
import { layerRows } from './layerStats';
import { PathRecorder, type PrunePath } from './path';
import { contextPruneJob, type MethodContext, type PathJobs } from './pathJobs';
import type { RunCache } from './runCache';
import { totalPrunable } from '../core/models';
import { ntkTraceRounds, pathFloor, pathIsExact, pathKey, resultKey } from './runPlan';
import { nextTask } from './yield';
import { methodSummary, roundPayload, type NtkPayload, type RoundPayload, type Shown, type Trail } from './summary';

/** NTK and path-based layer metrics (src/core/metrics), injected so the runner works without them. */
export interface MetricsAdapter {
  /** NTK spectrum of the network (masked when `mask` is given) on the NTK inputs. */
  ntk(job: { model: Model; stateDict: StateDict; mask: Uint8Array | null; data: ArrayData; signal?: AbortSignal }): Promise<NtkSpectrum>;
  /** The rows with the path-based fields filled in, and whether the network is cut. */
  layers?(job: { model: Model; mask: Uint8Array; rows: LayerRow[] }): Promise<{ rows: LayerRow[]; disconnected: boolean }>;
}

/** A mask read off a path and shown, waiting for its NTK and summary. */
interface ShownMask {
  method: MethodId;
  mask: Uint8Array;
  layers: Shown;
  exact: boolean;
  rounds: number;
  trail: Trail;
  ms: number;
}

export interface MethodsDone {
  final: Map<MethodId, MethodSummary>;
  masks: Map<MethodId, Uint8Array>;
}

export class MethodRunner {
  constructor(
    private readonly cache: RunCache,
    private readonly pathJobs: PathJobs,
    private readonly metrics: MetricsAdapter | undefined,
  ) {}

  async all(ctx: MethodContext): Promise<MethodsDone> {
    const { cfg, signal } = ctx;
    const done: MethodsDone = { final: new Map(), masks: new Map() };
    const needExact: MethodId[] = [];
    const shown: ShownMask[] = [];
    // a path already being recorded first (adopted from a superseded request), then in order
    const order = [...cfg.methods].sort((a, b) => Number(this.pathJobs.has(pathKey(cfg, b))) - Number(this.pathJobs.has(pathKey(cfg, a))));
    for (const method of order) {
      throwIfAborted(signal);
      const step = await this.fromCacheOrPath(ctx, method, done);
      if (step === 'exact') needExact.push(method);
      else if (step) shown.push(step);
    }
    for (const s of shown) {
      throwIfAborted(signal);
      const summary = await this.finishResult(ctx, s.method, s.mask, s.layers, s.exact ? 'exact' : 'path', {
        rounds: s.rounds,
        ms: s.ms,
        exactPending: !s.exact,
        trail: s.trail,
      });
      if (s.exact) {
        done.final.set(s.method, summary);
        done.masks.set(s.method, s.mask);
      } else needExact.push(s.method);
    }
    // keep the request's method order for the exact runs
    needExact.sort((a, b) => cfg.methods.indexOf(a) - cfg.methods.indexOf(b));
    for (const method of needExact) {
      throwIfAborted(signal);
      const res = await this.exact(ctx, method, roundsFor(cfg, method));
      done.final.set(method, res.summary);
      done.masks.set(method, res.mask);
    }
    return done;
  }

  /**
   * With `start` (the runner's prepare, before the dense NTK), a provisional row for every method
   * an earlier exact run left a path for (the slider right after a run): the host layer table of
   * the mask read off it (kept, width, FLOPs: milliseconds), before the path analyses (a forward
   * and backward pass each: most of a second on ResNet-20) and the NTKs.
   */
  quickRows(ctx: MethodContext): void {
    const { cfg, model } = ctx;
    for (const method of cfg.methods) {
      const rounds = roundsFor(cfg, method);
      const key = pathKey(cfg, method);
      if (rounds === 1 || pathIsExact(rounds, cfg.density) || this.cache.hasPath(key) || this.cache.result(resultKey(cfg, method)))
        continue;
      const mask = this.cache.exactRunPath(key)?.maskAt(cfg.density);
      if (mask) provisionalRow(ctx, method, rounds, { rows: layerRows(model, mask) });
    }
  }

  /** Pass 1 for one method: a cached result (published, done), a mask read off its path (shown), or 'exact' (run it exactly). */
  private async fromCacheOrPath(ctx: MethodContext, method: MethodId, done: MethodsDone): Promise<ShownMask | 'exact' | null> {
    const { cfg } = ctx;
    const rounds = roundsFor(cfg, method);
    const cached = this.cache.result(resultKey(cfg, method));
    if (cached) {
      // the time shown is the original computation's, marked cached
      const summary = { ...cached.summary, cached: true };
      this.publish(ctx, method, cached.trail, cached.rows, cached.ntk, summary);
      done.final.set(method, summary);
      done.masks.set(method, cached.mask);
      return null;
    }
    // Fast exact answers: an iterative method off its path floor whose path is neither cached
    // nor being recorded runs the exact schedule at once (R rounds, not a path of R rounds and
    // then the exact R). When an earlier exact run left its rounds as a path, the mask read off
    // it is shown first (provisional), so the slider answers the moment a run has finished.
    const key = pathKey(cfg, method);
    const offPath = rounds > 1 && !pathIsExact(rounds, cfg.density) && !this.cache.hasPath(key);
    if (offPath && !this.pathJobs.recording(key)) {
      const left = this.cache.exactRunPath(key);
      return left ? this.showMask(ctx, method, left, { exact: false, rounds, trail: [], ms: 0 }) : 'exact';
    }
    if (cfg.density < pathFloor(rounds) - 1e-12) return 'exact';
    const tp = performance.now();
    const { path, trail } = await this.pathJobs.path(ctx, method, rounds);
    const exact = pathIsExact(rounds, cfg.density);
    return this.showMask(ctx, method, path, { exact, rounds, trail, ms: exact ? performance.now() - tp : 0 });
  }

  /** A path's mask at the request's density on screen at once: its layer table (and, if provisional, its row without the NTK). */
  private async showMask(
    ctx: MethodContext,
    method: MethodId,
    path: PrunePath,
    s: Pick<ShownMask, 'exact' | 'rounds' | 'trail' | 'ms'>,
  ): Promise<ShownMask> {
    const mask = path.maskAt(ctx.cfg.density)!;
    // the provisional row again with the path analysis (its NTK follows in pass 2); an exact
    // mask's row waits for its NTK, so a final result is reported once
    const layers = await this.showLayers(ctx, method, mask, s.exact ? 'exact' : 'path');
    if (!s.exact) provisionalRow(ctx, method, s.rounds, layers);
    return { method, mask, layers, ...s };
  }

  /** The layer table of a mask, emitted at once. */
  private async showLayers(ctx: MethodContext, method: MethodId, mask: Uint8Array, source: MaskOrigin): Promise<Shown> {
    const { model, cfg, signal } = ctx;
    const t0 = performance.now();
    let shown: Shown = { rows: layerRows(model, mask) };
    if (this.metrics?.layers) shown = await this.metrics.layers({ model, mask, rows: shown.rows });
    throwIfAborted(signal);
    const ms = performance.now() - t0;
    ctx.emit({ type: 'layers', requestId: ctx.requestId, method, source, density: cfg.density, rows: shown.rows, ms });
    return shown;
  }

  /** NTK and summary of a mask whose layers are shown; emitted, and cached when exact. */
  private async finishResult(
    ctx: MethodContext,
    method: MethodId,
    mask: Uint8Array,
    shown: Shown,
    source: MaskOrigin,
    extra: { rounds: number; ms: number; exactPending: boolean; trail: Trail },
  ): Promise<MethodSummary> {
    const { model, stateDict, cfg, signal, emit, requestId } = ctx;
    const ntk = this.metrics ? await this.metrics.ntk({ model, stateDict, mask, data: ctx.data.ntkData, signal }) : null;
    throwIfAborted(signal);
    const summary = methodSummary({
      model,
      method,
      source,
      density: cfg.density,
      rounds: extra.rounds,
      ms: extra.ms,
      exactPending: extra.exactPending,
      shown,
      ntk,
      dense: ctx.dense,
    });
    if (ntk) emit({ type: 'ntk', requestId, method, source, round: null, density: cfg.density, ntk });
    emit({ type: 'result', requestId, summary });
    if (source === 'exact') this.cache.setResult(resultKey(cfg, method), { summary, trail: extra.trail, rows: shown.rows, ntk, mask });
    return summary;
  }

  /** A cached result, drawn as when it was computed: its rounds (and NTKs along them) first. */
  private publish(
    ctx: MethodContext,
    method: MethodId,
    trail: Trail,
    rows: LayerRow[],
    ntk: NtkSpectrum | null,
    summary: MethodSummary,
  ): void {
    const { emit, requestId, cfg } = ctx;
    const source: MaskOrigin = 'exact';
    const first = trail.find((e): e is RoundPayload => e.type === 'round');
    if (first) emit({ type: 'method-start', requestId, method, phase: first.phase, rounds: first.rounds, density: cfg.density });
    for (const e of trail) emit({ ...e, requestId, replay: true } as RunEvent);
    emit({ type: 'layers', requestId, method, source, density: cfg.density, rows, ms: 0 });
    if (ntk) emit({ type: 'ntk', requestId, method, source, round: null, density: cfg.density, ntk });
    emit({ type: 'result', requestId, summary });
  }

  /** The exact schedule to the requested density, streamed; replaces the path-derived result. */
  private async exact(ctx: MethodContext, method: MethodId, rounds: number): Promise<{ summary: MethodSummary; mask: Uint8Array }> {
    const { model, stateDict, data, cfg, signal, emit, requestId } = ctx;
    emit({ type: 'method-start', requestId, method, phase: 'exact', rounds, density: cfg.density });
    const t0 = performance.now();
    const ntkRounds = new Set(this.metrics ? ntkTraceRounds(cfg, rounds) : []);
    const trail: Trail = [];
    // the rounds become the path the next slider move reads its provisional mask off
    const recorder = new PathRecorder(totalPrunable(model));
    const res = await runPruneJob(
      contextPruneJob(ctx, method, {
        density: cfg.density,
        rounds,
        signal,
        onRound: async (info, reads) => {
          // a cancel (a message) can only arrive between tasks: give it one every round, before
          // the round is reported (so a cancelled request reports nothing more)
          await nextTask();
          if (signal.aborted) return;
          const flat = await reads.mask();
          recorder.record(info.round, flat, await reads.scores());
          const payload = roundPayload(model, method, 'exact', rounds, info, flat);
          trail.push(payload);
          emit({ ...payload, requestId });
          const r = info.round + 1;
          if (ntkRounds.has(r) && r < rounds && !signal.aborted) {
            const m = Uint8Array.from(flat, (v) => (v !== 0 ? 1 : 0));
            const ntk = await this.metrics!.ntk({ model, stateDict, mask: m, data: data.ntkData, signal });
            const along: NtkPayload = { type: 'ntk', method, source: 'exact', round: r, density: info.density, ntk };
            trail.push(along);
            emit({ ...along, requestId });
          }
        },
      }),
    );
    throwIfAborted(signal);
    const layerSizes = model.prunable.map((l) => l.numel);
    this.cache.setExactRunPath(pathKey(cfg, method), recorder.finish({ layerSizes, scope: cfg.scope, floor: 0, rounds, extendKept: true }));
    const layers = await this.showLayers(ctx, method, res.flatMask, 'exact');
    const summary = await this.finishResult(ctx, method, res.flatMask, layers, 'exact', {
      rounds,
      ms: performance.now() - t0,
      exactPending: false,
      trail,
    });
    return { summary, mask: res.flatMask };
  }
}

/** A path-derived row, waiting for its NTK and its exact run. */
function provisionalRow(ctx: MethodContext, method: MethodId, rounds: number, shown: Shown): void {
  const { model, cfg, dense } = ctx;
  const row = { model, method, source: 'path' as const, density: cfg.density, rounds, ms: 0, exactPending: true };
  ctx.emit({ type: 'result', requestId: ctx.requestId, summary: methodSummary({ ...row, shown, ntk: null, dense }) });
}
