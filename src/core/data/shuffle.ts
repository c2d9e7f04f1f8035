// Seeded example orders for training: the same seed, split and epoch give the same order in the
// browser and in the CLI (src/core/rng.ts streams, independent of any other use of the seed).
import type { LabDataset, Split } from './dataset';
import { Rng } from '../rng';

/** A seeded permutation of the split's example indices; a new one per epoch. */
export function shuffledIndices(dataset: Pick<LabDataset, 'size'>, split: Split, seed: number, epoch = 0): Int32Array {
  return Rng.derive(seed, `shuffle:${split}:${epoch}`).permutation(dataset.size(split));
}

/** Cuts an order into consecutive batches of `batchSize` (the last one shorter unless dropLast). */
export function batchesOf(order: ArrayLike<number>, batchSize: number, dropLast = false): Int32Array[] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive integer (got ${batchSize})`);
  const out: Int32Array[] = [];
  for (let i = 0; i < order.length; i += batchSize) {
    if (dropLast && i + batchSize > order.length) break;
    out.push(Int32Array.from({ length: Math.min(batchSize, order.length - i) }, (_, k) => order[i + k]));
  }
  return out;
}
