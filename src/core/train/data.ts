// Training examples: sources, seeded epoch orders, and the official CIFAR-10 augmentation
// (transforms.RandomCrop(32, padding=4) + RandomHorizontalFlip), all on host arrays.
import { shuffledIndices } from '../data/shuffle';
import type { LabDataset, Split } from '../data/dataset';
import { Rng } from '../rng';
import type { ArrayData, IndexedExamples, JobAugmentation, TrainData } from './types';

export function isSource(d: TrainData): d is IndexedExamples {
  return typeof (d as IndexedExamples).batch === 'function';
}

/** Plain arrays as a source (rows by index). */
export function arraySource(d: ArrayData): IndexedExamples {
  const [n, c, h, w] = d.shape;
  const per = c * h * w;
  return {
    count: n,
    shape: [c, h, w],
    batch(idx) {
      const x = new Float32Array(idx.length * per);
      const y = new Int32Array(idx.length);
      for (let j = 0; j < idx.length; j++) {
        const i = idx[j];
        if (!(i >= 0 && i < n)) throw new Error(`example ${i} outside 0..${n - 1}`);
        x.set(d.x.subarray(i * per, (i + 1) * per), j * per);
        y[j] = d.y[i];
      }
      return { x, y, shape: [idx.length, c, h, w] };
    },
  };
}

/** One split of a dataset as a source. */
export function datasetSource(ds: LabDataset, split: Split): IndexedExamples {
  return { count: ds.size(split), shape: ds.shape, batch: (idx) => ds.batch(split, idx) };
}

export function toSource(d: TrainData): IndexedExamples {
  return isSource(d) ? d : arraySource(d);
}

/** The order of epoch `epoch`: a seeded permutation (the same stream as data/shuffle.ts), or stored order. */
export function epochOrder(n: number, shuffle: boolean, seed: number, epoch: number): Int32Array {
  if (!shuffle) return Int32Array.from({ length: n }, (_, i) => i);
  return shuffledIndices({ size: () => n }, 'train', seed, epoch);
}

/** Batches per epoch: the last one may be short (the official DataLoader keeps it: drop_last=False). */
export function stepsPerEpoch(n: number, batchSize: number): number {
  return Math.ceil(n / batchSize);
}

/**
 * In place on NCHW `x`: each example is padded by `aug.pad` pixels on every side with `aug.fill`
 * (per channel, what a black pixel becomes after normalisation), cropped back to H×W at a uniformly
 * random offset, and, when `aug.flip`, flipped left-right with probability ½. One Rng draws, per
 * example in order: the row offset, the column offset, the flip (drawn even when unused).
 */
export function augmentBatch(
  x: Float32Array,
  shape: [number, number, number, number],
  rng: Rng,
  aug: JobAugmentation = { fill: [], pad: 4, flip: true },
): void {
  const { pad, fill } = aug;
  const [n, c, h, w] = shape;
  const plane = h * w;
  const tmp = new Float32Array(plane);
  for (let i = 0; i < n; i++) {
    const dy = rng.int(2 * pad + 1) - pad;
    const dx = rng.int(2 * pad + 1) - pad;
    const flip = rng.uniform() < 0.5 && aug.flip;
    for (let ch = 0; ch < c; ch++) {
      const off = (i * c + ch) * plane;
      const value = fill[ch] ?? 0;
      for (let r = 0; r < h; r++) {
        const sr = r + dy;
        for (let col = 0; col < w; col++) {
          // output column col shows cropped column (flip ? w-1-col : col)
          const sc = (flip ? w - 1 - col : col) + dx;
          tmp[r * w + col] = sr >= 0 && sr < h && sc >= 0 && sc < w ? x[off + sr * w + sc] : value;
        }
      }
      x.set(tmp, off);
    }
  }
}
