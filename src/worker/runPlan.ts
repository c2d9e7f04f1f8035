// What a request decides, before anything runs: the cache keys of its paths and results, the
// path floors, whether a path-read mask is already exact, and where NTKs are taken along a run.
// Pure functions of the configuration, so the same URL gives the same work on any machine.
import { makePruner } from '../core/pruners';
import { type RunConfig } from '../shared/config';
import { roundsFor, type MethodId } from '../shared/methods';
import { NTK_ALONG_MODELS } from '../shared/models';
import { ONE_SHOT_PATH_FLOOR_DENSITY, PATH_FLOOR_DENSITY } from '../shared/protocol';

/**
 * What decides a pruning path (everything but the density), and only what the method reads:
 * the class-balanced subset (examples per class) only for PX, the loss batch (batch size) only
 * for SNIP/GraSP/NTK-SAP, no data at all for SynFlow, magnitude and random.
 */
export function pathKey(cfg: RunConfig, method: MethodId): string {
  const reads = makePruner(method).data;
  const data =
    reads === 'subset'
      ? [cfg.dataset, `epc${cfg.examplesPerClass}`, `b${cfg.batchSize}`]
      : reads === 'loss-batches'
        ? [cfg.dataset, `b${cfg.batchSize}`]
        : ['no-data'];
  return [cfg.model, cfg.seed, method, roundsFor(cfg, method), cfg.scope, ...data].join('|');
}

/** What decides a method's result: its path, the density, and the NTK's inputs (every result has an NTK). */
export function resultKey(cfg: RunConfig, method: MethodId): string {
  return `${pathKey(cfg, method)}|${cfg.density}|ntk:${cfg.dataset}:${cfg.ntkSamples}`;
}

/** What decides the dense network's NTK. */
export function denseNtkKey(cfg: RunConfig): string {
  return `${cfg.model}|${cfg.dataset}|${cfg.seed}|${cfg.ntkSamples}`;
}

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
