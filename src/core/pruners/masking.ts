// Masks from scores with the official rule: k = int((1 − density)·N) smallest scores are pruned,
// threshold = k-th smallest value, mask = !(score ≤ threshold) so ties at the threshold are
// pruned, and when k < 1 the masks are left as they are.
import type { ParamMap } from '../models/state';
import type { Model } from '../models/types';
import { tf, type Tensor } from '../tf';

export type Scope = 'global' | 'local';

/** k-th smallest (1-based) of values; NaN sorts last. Quickselect on a copy, O(n). */
export function kthSmallest(values: Float32Array, k: number): number {
  if (k < 1 || k > values.length) throw new RangeError(`k=${k} outside 1..${values.length}`);
  const a = Float32Array.from(values, (v) => (Number.isNaN(v) ? Infinity : v));
  let lo = 0;
  let hi = a.length - 1;
  const target = k - 1;
  while (lo < hi) {
    // median of three pivot
    const mid = (lo + hi) >>> 1;
    const x = a[lo],
      y = a[mid],
      z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return a[target];
}

export interface MaskResult {
  masks: ParamMap;
  k: number;
  /** Global threshold (NaN for local scope or when k < 1). */
  threshold: number;
  /** Kept weights per layer, counted on the host from the scores read (null where a layer kept
   * its current mask, k < 1: then only the mask tensor knows). */
  keptPerLayer: number[] | null;
}

/** The number of weights pruning to `density` removes out of n (Python's int((1.0 - sparse) * n)). */
export function prunedCount(density: number, n: number): number {
  return Math.trunc((1.0 - density) * n);
}

/** mask = !(score ≤ thr) on the device: for finite scores (the schedule refuses others) that is
 * score > thr, one comparison and a cast. */
function maskAbove(score: Tensor, thr: number): Tensor {
  return tf.tidy(() => tf.cast(tf.greater(score, thr), 'float32'));
}

/** Scores above thr (the mask's kept count), on the host. */
function countAbove(vals: Float32Array, thr: number): number {
  let n = 0;
  for (let i = 0; i < vals.length; i++) if (vals[i] > thr) n++;
  return n;
}

/** Masks from scores already read to the host (`flat`: model order, tfjs layout, every value
 * finite): no further read. Global scope: one threshold over all layers; local: one per layer. */
export function maskFromFlat(
  model: Model,
  scores: ParamMap,
  flat: Float32Array,
  current: ParamMap,
  density: number,
  scope: Scope,
): MaskResult {
  const layers = model.prunable;
  const masks: ParamMap = {};
  const kept: number[] = [];
  let keptKnown = true;
  let off = 0;
  let kTotal = 0;
  const n = layers.reduce((a, l) => a + l.numel, 0);
  const kGlobal = prunedCount(density, n);
  const thr = scope === 'global' && kGlobal >= 1 ? kthSmallest(flat, kGlobal) : NaN;
  for (const l of layers) {
    const vals = flat.subarray(off, off + l.numel);
    off += l.numel;
    const kLayer = scope === 'global' ? kGlobal : prunedCount(density, l.numel);
    kTotal += Math.max(kLayer, 0);
    if (kLayer < 1) {
      masks[l.weight] = tf.clone(current[l.weight]);
      keptKnown = false;
      continue;
    }
    const t = scope === 'global' ? thr : kthSmallest(vals, kLayer);
    masks[l.weight] = maskAbove(scores[l.weight], t);
    kept.push(countAbove(vals, t));
  }
  return { masks, k: scope === 'global' ? kGlobal : kTotal, threshold: thr, keptPerLayer: keptKnown ? kept : null };
}

/** Masks from scores with one read of all of them (the official rule, see the file comment). */
export async function maskFromScores(
  model: Model,
  scores: ParamMap,
  current: ParamMap,
  density: number,
  scope: Scope,
): Promise<MaskResult> {
  return maskFromFlat(model, scores, await readFlat(model, scores), current, density, scope);
}

export function onesMasks(model: Model): ParamMap {
  const m: ParamMap = {};
  for (const l of model.prunable) m[l.weight] = tf.ones(l.shape);
  return m;
}

/** Kept weights per layer, in model.prunable order. */
export async function keptPerLayer(model: Model, masks: ParamMap): Promise<number[]> {
  const sums = tf.tidy(() => tf.stack(model.prunable.map((l) => tf.sum(masks[l.weight]))));
  const v = await sums.data();
  sums.dispose();
  return Array.from(v, (x) => Math.round(x));
}

/** Flat concatenation of per-layer tensors (model order, tfjs layout) as one host array. */
export async function readFlat(model: Model, m: ParamMap): Promise<Float32Array> {
  const flat = tf.tidy(() => tf.concat(model.prunable.map((l) => tf.reshape(m[l.weight], [-1]))));
  try {
    return (await flat.data()) as Float32Array;
  } finally {
    flat.dispose();
  }
}

/** Per-layer mask tensors (tfjs layout) from a flat mask (model order); the caller disposes them. */
export function maskTensors(model: Model, mask: Uint8Array | Float32Array): ParamMap {
  const out: ParamMap = {};
  let off = 0;
  for (const l of model.prunable) {
    out[l.weight] = tf.tensor(Float32Array.from(mask.subarray(off, off + l.numel)), l.shape);
    off += l.numel;
  }
  return out;
}
