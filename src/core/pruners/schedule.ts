// The official pruning loop: for r in 0..R−1, score the masked network and re-mask to the round's
// density d^((r+1)/R) (the official code calls it `sparse`: the fraction KEPT).
// Scores are recomputed every round; weights are never zeroed.
import { throwIfAborted } from '../abort';
import type { ParamMap } from '../models/state';
import { disposeMap } from '../models/state';
import { releaseOrphanedTape, tf } from '../tf';
import { invertScores } from './inversion';
import { keptPerLayer, maskFromFlat, onesMasks, readFlat, type Scope } from './masking';
import type { Pruner, ScoreInput } from './types';
import type { Model } from '../models/types';

export interface RoundInfo {
  round: number;
  /** Density (fraction of weights kept) this round prunes to; the official code's `sparse`. */
  density: number;
  k: number;
  threshold: number;
  kept: number;
  total: number;
  keptPerLayer: number[];
  elapsedMs: number;
  meta?: Record<string, number | string>;
}

export interface PruneOptions {
  /** Fraction of weights kept at the end, in (0, 1]. */
  density: number;
  rounds: number;
  scope: Scope;
  /** Keep the lowest scores instead of the highest (the inversion control, ./inversion.ts). */
  invert?: boolean;
  signal?: AbortSignal;
  /** After each round, with its masks and scores (owned by prune(): valid during the call). */
  onRound?: (info: RoundInfo, masks: ParamMap, scores: ParamMap) => void | Promise<void>;
}

export interface PruneResult {
  masks: ParamMap;
  /** Scores of the last round (caller disposes). */
  scores: ParamMap;
  rounds: RoundInfo[];
}

export function validateSchedule(density: number, rounds: number): void {
  if (!(density > 0 && density <= 1)) throw new Error(`density must be in (0, 1] (got ${density})`);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10000) throw new Error(`rounds must be an integer in 1..10000 (got ${rounds})`);
}

/** Density of round r (0-based) of R, as Python's density**((r+1)/R). */
export function densityAtRound(density: number, r: number, rounds: number): number {
  return density ** ((r + 1) / rounds);
}

/** A round that failed: the message names the method, the round and (when known) the layer. */
export class PruneRoundError extends Error {
  override name = 'PruneRoundError';
}

/** Runs one round's scoring; an error from inside (tfjs included) gets the method and round. */
async function scoreRound(pruner: Pruner, input: ScoreInput, rounds: number) {
  try {
    return await pruner.score(input);
  } catch (e) {
    releaseOrphanedTape();
    // cancellations and device losses keep their identity (the runner tells them apart by name)
    if (!(e instanceof Error) || e.name === 'AbortError' || e instanceof PruneRoundError) throw e;
    throw new PruneRoundError(`${pruner.method} round ${input.round + 1}/${rounds}: ${e.message.split('\n')[0]}`, { cause: e });
  }
}

/** A NaN or ±Inf score ranks nothing: an error naming the method, round, layer and first bad
 * index. Checked on the scores already read for the threshold (no read of its own). */
function requireFiniteScores(model: Model, flat: Float32Array, method: string, round: number, rounds: number): void {
  let off = 0;
  for (const l of model.prunable) {
    for (let i = 0; i < l.numel; i++) {
      const v = flat[off + i];
      if (Number.isFinite(v)) continue;
      throw new PruneRoundError(
        `${method} round ${round + 1}/${rounds}, layer ${l.weight}: score ${v} at flat index ${i}; non-finite scores cannot rank weights (check the weights and inputs for NaN/Inf)`,
      );
    }
    off += l.numel;
  }
}

export async function prune(
  pruner: Pruner,
  input: Omit<ScoreInput, 'masks' | 'round'> & { masks?: ParamMap },
  opts: PruneOptions,
): Promise<PruneResult> {
  validateSchedule(opts.density, opts.rounds);
  const { model } = input;
  const total = model.prunable.reduce((a, l) => a + l.numel, 0);
  let masks = input.masks ? Object.fromEntries(Object.entries(input.masks).map(([k, v]) => [k, tf.clone(v)])) : onesMasks(model);
  let scores: ParamMap | null = null;
  const rounds: RoundInfo[] = [];
  const t0 = performance.now();
  try {
    for (let r = 0; r < opts.rounds; r++) {
      throwIfAborted(opts.signal);
      const density = densityAtRound(opts.density, r, opts.rounds);
      const out = await scoreRound(pruner, { ...input, masks, round: r, density }, opts.rounds);
      if (scores) disposeMap(scores);
      scores = out.scores;
      if (opts.invert) {
        const inverted = invertScores(model, scores, masks);
        disposeMap(scores);
        scores = inverted;
      }
      // the round's one read: every score, for the finiteness check, the threshold and the counts
      const flat = await readFlat(model, scores);
      requireFiniteScores(model, flat, pruner.method, r, opts.rounds);
      const res = maskFromFlat(model, scores, flat, masks, density, opts.scope);
      disposeMap(masks);
      masks = res.masks;
      const perLayer = res.keptPerLayer ?? (await keptPerLayer(model, masks));
      const info: RoundInfo = {
        round: r,
        density,
        k: res.k,
        threshold: res.threshold,
        kept: perLayer.reduce((a, b) => a + b, 0),
        total,
        keptPerLayer: perLayer,
        elapsedMs: performance.now() - t0,
        meta: out.meta,
      };
      rounds.push(info);
      await opts.onRound?.(info, masks, scores);
    }
  } catch (e) {
    disposeMap(masks);
    if (scores) disposeMap(scores);
    throw e;
  }
  return { masks, scores: scores!, rounds };
}
