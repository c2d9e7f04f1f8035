// Masks from scores with the official rule: k = int((1 − density)·N) smallest scores are pruned,
// threshold = k-th smallest value, mask = !(score ≤ threshold) so ties at the threshold are
// pruned, and when k < 1 the masks are left as they are.
import type { ParamMap } from '../models/state';
import type { Model } from '../models/types';
import { tf } from '../tf';

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
}

/** The number of weights pruning to `density` removes out of n (Python's int((1.0 - sparse) * n)). */
export function prunedCount(density: number, n: number): number {
  return Math.trunc((1.0 - density) * n);
}

export async function maskFromScores(model: Model, scores: ParamMap, current: ParamMap, density: number, scope: Scope): Promise<MaskResult> {
  const layers = model.prunable;
  const keepCurrent = (l: (typeof layers)[number]) => tf.clone(current[l.weight]);
  const masks: ParamMap = {};
  if (scope === 'global') {
    const n = layers.reduce((a, l) => a + l.numel, 0);
    const k = prunedCount(density, n);
    if (k < 1) {
      for (const l of layers) masks[l.weight] = keepCurrent(l);
      return { masks, k, threshold: NaN };
    }
    const flat = tf.tidy(() => tf.concat(layers.map((l) => tf.reshape(scores[l.weight], [-1]))));
    const all = (await flat.data()) as Float32Array;
    flat.dispose();
    const thr = kthSmallest(all, k);
    for (const l of layers) masks[l.weight] = tf.tidy(() => tf.cast(tf.logicalNot(tf.lessEqual(scores[l.weight], thr)), 'float32'));
    return { masks, k, threshold: thr };
  }
  let kTotal = 0;
  for (const l of layers) {
    const k = prunedCount(density, l.numel);
    kTotal += Math.max(k, 0);
    if (k < 1) {
      masks[l.weight] = keepCurrent(l);
      continue;
    }
    const vals = (await scores[l.weight].data()) as Float32Array;
    const thr = kthSmallest(vals, k);
    masks[l.weight] = tf.tidy(() => tf.cast(tf.logicalNot(tf.lessEqual(scores[l.weight], thr)), 'float32'));
  }
  return { masks, k: kTotal, threshold: NaN };
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
