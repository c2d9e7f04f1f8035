// Opening a dataset by name for a model input shape. (The datasets feature extends this with
// MNIST, Fashion-MNIST and CIFAR-10.)
import type { LabDataset } from './dataset';
import { syntheticDataset } from './synthetic';

export interface OpenOptions {
  /** The model's [C,H,W]; datasets adapt to it where they can. */
  shape: [number, number, number];
  classes: number;
  seed: number;
}

export function openSynthetic(opts: OpenOptions): LabDataset {
  return syntheticDataset({ shape: opts.shape, classes: opts.classes, seed: opts.seed });
}
