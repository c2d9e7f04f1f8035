import { Rng } from '../rng';

// The class-balanced scoring subset exactly as the official PX code builds it
// (PX.get_balanced_subset): classes in order of first appearance in the labels, the first
// `perClass` indices of each class, concatenated class by class.
export function balancedSubset(labels: ArrayLike<number>, perClass: number): number[] {
  if (!Number.isInteger(perClass) || perClass < 1) throw new Error(`examples per class must be a positive integer (got ${perClass})`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    let list = byClass.get(c);
    if (!list) byClass.set(c, (list = []));
    if (list.length < perClass) list.push(i);
  }
  const out: number[] = [];
  for (const [c, idx] of byClass) {
    if (idx.length < perClass) throw new Error(`class ${c} has fewer than ${perClass} samples (${idx.length})`);
    out.push(...idx);
  }
  return out;
}

/** The largest k such that every class present has at least k examples. */
export function maxPerClass(labels: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  return counts.size ? Math.min(...counts.values()) : 0;
}

/**
 * Training-split indices of the loss batches SNIP, GraSP, NTK-SAP and px-2024 read: the first
 * `batchSize × batchLimit` of a seeded shuffle (the official loader shuffles; batch_limit 1, or
 * the method's own: 2 for px-2024). A prefix of one permutation, so a one-batch method reads the
 * first batch of a two-batch request. The CLI, sweep cells and the page's worker all call this.
 */
export function lossBatchIndices(count: number, seed: number, batchSize: number, batchLimit: number): number[] {
  return Array.from(
    Rng.derive(seed, 'loss-batch')
      .permutation(count)
      .subarray(0, Math.min(batchSize * batchLimit, count)),
  );
}
