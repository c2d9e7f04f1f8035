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
