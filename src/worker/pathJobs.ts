// Pruning paths being recorded, shared between requests. A newer request that needs the same
// path (same model, data, seed, method, rounds, scope: only the slider moved) adopts the
// recording instead of starting over, so dragging the slider never throws away the work that
// makes the slider instant. A recording nobody wants stops at a round boundary.
import { totalPrunable } from '../core/models';
import type { StateDict } from '../core/models/state';
import type { Model } from '../core/models/types';
import type { RunConfig } from '../shared/config';
import type { MethodId } from '../shared/methods';
import type { NtkSpectrum, RunEvent } from '../shared/protocol';
import { raceAbort } from './abort';
import type { RequestData } from './data';
import { PathRecorder, type PrunePath } from './path';
import { runPruneJob, type PruneJob } from '../core/job';
import type { RunCache } from './runCache';
import { nextTask } from './yield';
import { pathFloor, pathKey } from './runPlan';
import { roundPayload, type RoundPayload, type Trail } from './summary';

export type Emit = (e: RunEvent) => void;

/** One request's view while it computes its methods. */
export interface MethodContext {
  requestId: number;
  cfg: RunConfig;
  model: Model;
  stateDict: StateDict;
  data: RequestData;
  dense: NtkSpectrum | null;
  emit: Emit;
  signal: AbortSignal;
}

/** The prune job a request's context runs for one method: its model, weights, data and settings,
 * the worker's flat-mask-only read-back, and the caller's density, rounds, signal and onRound. */
export function contextPruneJob(
  ctx: Pick<MethodContext, 'model' | 'stateDict' | 'data' | 'cfg'>,
  method: MethodId,
  run: Pick<PruneJob, 'density' | 'rounds' | 'signal' | 'onRound'>,
): PruneJob {
  const { model, stateDict, data, cfg } = ctx;
  return {
    model,
    stateDict,
    method,
    density: run.density,
    rounds: run.rounds,
    scope: cfg.scope,
    seed: cfg.seed,
    lossData: data.lossData,
    subsetData: data.subsetData,
    batchSize: cfg.batchSize,
    flatOnly: true,
    signal: run.signal,
    onRound: run.onRound,
  };
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
  promise: Promise<PrunePath>;
}

/** How long a recording nobody wants keeps going (for the next request to adopt it). */
const ORPHAN_GRACE_MS = 50;

export class PathJobs {
  private readonly jobs = new Map<string, PathJob>();

  constructor(private readonly cache: RunCache) {}

  get size(): number {
    return this.jobs.size;
  }

  has(key: string): boolean {
    return this.jobs.has(key);
  }

  /** A recording of this path is running (not stopped). */
  recording(key: string): boolean {
    const job = this.jobs.get(key);
    return !!job && !job.controller.signal.aborted;
  }

  /** Settles when every recording running now has ended. */
  settled(): Promise<unknown> {
    return Promise.allSettled([...this.jobs.values()].map((j) => j.promise));
  }

  /** A request wants these paths (registered before it supersedes, so no adoptable recording stops). */
  want(keys: Iterable<string>, requestId: number): void {
    for (const k of keys) {
      const job = this.jobs.get(k);
      if (job && !job.controller.signal.aborted) job.wanted.add(requestId);
    }
  }

  /**
   * A request lets go of its paths. A recording nobody wants any more stops at its next round
   * boundary (not at once: the page cancels the old request before it sends the new one, which
   * may want the same path).
   */
  release(keys: Iterable<string>, requestId: number): void {
    for (const k of keys) {
      const job = this.jobs.get(k);
      if (job?.wanted.delete(requestId) && job.wanted.size === 0) job.orphanedAt = performance.now();
    }
  }

  /**
   * The method's pruning path and its rounds: cached (rounds replayed), adopted from a recording
   * in flight (rounds so far replayed, then live), or recorded now. Every request sees every
   * round, whoever recorded it, so the same URL draws the same rounds.
   */
  async path(ctx: MethodContext, method: MethodId, rounds: number): Promise<{ path: PrunePath; trail: Trail }> {
    const key = pathKey(ctx.cfg, method);
    const floor = pathFloor(rounds);
    const emitRound = (e: RoundPayload, replay = false) => {
      if (!ctx.signal.aborted) ctx.emit({ ...e, requestId: ctx.requestId, ...(replay ? { replay: true as const } : {}) });
    };
    for (;;) {
      const cached = this.cache.path(key);
      if (cached) {
        ctx.emit({ type: 'method-start', requestId: ctx.requestId, method, phase: 'path', rounds, density: floor });
        for (const e of cached.rounds) emitRound(e, true);
        return { path: cached.path, trail: cached.rounds };
      }
      let job = this.jobs.get(key);
      if (!job || job.controller.signal.aborted) job = this.start(ctx, key, method, rounds, floor);
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

  private start(ctx: MethodContext, key: string, method: MethodId, rounds: number, floor: number): PathJob {
    const controller = new AbortController();
    const job: PathJob = {
      key,
      controller,
      wanted: new Set([ctx.requestId]),
      orphanedAt: Infinity,
      listener: null,
      rounds: [],
      promise: null as unknown as Promise<PrunePath>,
    };
    job.promise = this.record(ctx, job, method, rounds, floor).finally(() => {
      if (this.jobs.get(key) === job) this.jobs.delete(key);
    });
    // nobody may be waiting when it is aborted
    job.promise.catch(() => undefined);
    this.jobs.set(key, job);
    return job;
  }

  private async record(ctx: MethodContext, job: PathJob, method: MethodId, rounds: number, floor: number): Promise<PrunePath> {
    const { model, cfg } = ctx;
    const { controller } = job;
    const recorder = new PathRecorder(totalPrunable(model));
    await runPruneJob(
      contextPruneJob(ctx, method, {
        density: floor,
        rounds,
        signal: controller.signal,
        onRound: async (info, reads) => {
          await nextTask();
          // orphaned (every request that wanted it was cancelled and none adopted it for a
          // moment): stop here
          if (job.wanted.size === 0 && performance.now() - job.orphanedAt >= ORPHAN_GRACE_MS) controller.abort();
          const mask = await reads.mask();
          recorder.record(info.round, mask, await reads.scores());
          const payload = roundPayload(model, method, 'path', rounds, info, mask);
          job.rounds.push(payload);
          job.listener?.(payload);
        },
      }),
    );
    const path = recorder.finish({ layerSizes: model.prunable.map((l) => l.numel), scope: cfg.scope, floor, rounds });
    this.cache.setPath(job.key, path, job.rounds);
    return path;
  }
}
