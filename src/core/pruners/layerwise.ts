// Layer-wise random baselines (ERK, uniform): a density per layer, turned into exact kept counts
// that sum to the global rule's count, then random positions in each layer. The scores rank the
// chosen positions above every other weight of the model, so the global threshold (the official
// rule) keeps exactly them; within a layer the current mask's weights are chosen first, so masks
// stay nested over rounds.
import type { Model } from '../models/types';
import type { Rng } from '../rng';
import { tf } from '../tf';
import { prunedCount } from './masking';
import type { ScoreInput, ScoreOutput } from './types';

/** Weights the official rule keeps at `density` out of n: n − int((1 − density)·n). */
export function keptCount(density: number, n: number): number {
  return n - prunedCount(density, n);
}

/**
 * Integer kept counts per layer from per-layer densities (each in [0, 1]) that sum to `total`:
 * floors of density·n, the remainder one by one to the largest fractional parts (earlier layer
 * first on ties), never above a layer's size.
 */
export function layerCounts(densities: readonly number[], sizes: readonly number[], total: number): number[] {
  const ideal = densities.map((d, i) => Math.min(1, Math.max(0, d)) * sizes[i]);
  const counts = ideal.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = ideal.map((v, i) => i).sort((a, b) => ideal[b] - Math.floor(ideal[b]) - (ideal[a] - Math.floor(ideal[a])) || a - b);
  // more than one pass only when rounding left a whole weight per layer over (never for valid densities)
  while (left > 0) {
    const before = left;
    for (const i of order) if (left > 0 && counts[i] < sizes[i]) (counts[i]++, left--);
    if (left === before) throw new Error(`layer counts: ${total} weights do not fit in ${sizes.reduce((a, b) => a + b, 0)}`);
  }
  while (left < 0) {
    const before = left;
    for (const i of [...order].reverse()) if (left < 0 && counts[i] > 0) (counts[i]--, left++);
    if (left === before) throw new Error('layer counts: negative total');
  }
  return counts;
}

/** Scores that keep `count` random positions of a layer (current mask first): chosen 1 + u,
 * the others u/2 (u uniform in [0, 1)), so chosen ones outrank every unchosen score anywhere. */
function layerScores(mask: Float32Array, count: number, rng: Rng): Float32Array {
  const perm = rng.permutation(mask.length);
  const order = [...perm.filter((i) => mask[i] !== 0), ...perm.filter((i) => mask[i] === 0)];
  const out = new Float32Array(mask.length);
  order.forEach((pos, rank) => (out[pos] = rank < count ? 1 + rng.uniform() : rng.uniform() / 2));
  return out;
}

/** Scores for kept counts from per-layer densities (model.prunable order) at the round's density. */
export async function layerwiseScores(
  input: ScoreInput,
  method: string,
  densitiesOf: (model: Model, density: number) => number[],
): Promise<ScoreOutput> {
  const { model, masks, rng, density } = input;
  if (density === undefined) throw new Error(`${method} needs the round's density (run it through prune())`);
  const sizes = model.prunable.map((l) => l.numel);
  const counts = layerCounts(
    densitiesOf(model, density),
    sizes,
    keptCount(
      density,
      sizes.reduce((a, b) => a + b, 0),
    ),
  );
  const scores: ScoreOutput['scores'] = {};
  for (const [i, l] of model.prunable.entries()) {
    const mask = (await masks[l.weight].data()) as Float32Array;
    scores[l.weight] = tf.tensor(layerScores(mask, counts[i], rng), l.shape);
  }
  return { scores, meta: { keptPerLayer: counts.join(',') } };
}
