// Opening a dataset by name for a model input shape: what each dataset is, and synthetic data.
// (Bundled files: packed.ts; CIFAR-10 files: cifar10.ts; the browser opener: open.ts; the CLI
// opener: src/cli/datasets.ts.)
import type { LabDataset } from './dataset';
import { NORMALIZATION } from './normalization';
import { syntheticDataset } from './synthetic';

export interface OpenOptions {
  /** The model's [C,H,W]; datasets adapt to it where they can (adapt.ts). */
  shape: [number, number, number];
  classes: number;
  seed: number;
}

export interface DatasetInfo {
  name: 'mnist' | 'fashion-mnist' | 'cifar10' | 'synthetic';
  title: string;
  /** [C,H,W] as stored (synthetic: any). */
  shape: [number, number, number] | null;
  classes: number | null;
  /** Where the data comes from. */
  origin: 'bundled' | 'user-files' | 'generated';
  normalization: { mean: readonly number[]; std: readonly number[] } | null;
}

export const DATASETS: readonly DatasetInfo[] = [
  { name: 'mnist', title: 'MNIST', shape: [1, 28, 28], classes: 10, origin: 'bundled', normalization: NORMALIZATION.mnist },
  { name: 'fashion-mnist', title: 'Fashion-MNIST', shape: [1, 28, 28], classes: 10, origin: 'bundled', normalization: NORMALIZATION['fashion-mnist'] },
  { name: 'cifar10', title: 'CIFAR-10', shape: [3, 32, 32], classes: 10, origin: 'user-files', normalization: NORMALIZATION.cifar10 },
  { name: 'synthetic', title: 'Synthetic', shape: null, classes: null, origin: 'generated', normalization: null },
];

/** Seeded synthetic data in exactly the model's shape and classes. */
export function openSynthetic(opts: OpenOptions): LabDataset {
  return syntheticDataset({ shape: opts.shape, classes: opts.classes, seed: opts.seed });
}
