// Opening a dataset by name for a model input shape: what each dataset is, and synthetic data.
// (Bundled files: packed.ts; CIFAR-10 files: cifar10.ts; the browser opener: open.ts; the CLI
// opener: src/cli/datasets.ts.)
import type { LabDataset } from './dataset';
import { NORMALIZATION } from './normalization';
import { syntheticDataset } from './synthetic';
import { DATASETS as DATASET_TABLE, type DatasetName } from '../../shared/datasets';

export interface OpenOptions {
  /** The model's [C,H,W]; datasets adapt to it where they can (adapt.ts). */
  shape: [number, number, number];
  classes: number;
  seed: number;
}

export interface DatasetInfo {
  name: DatasetName;
  title: string;
  /** [C,H,W] as stored (synthetic: any). */
  shape: [number, number, number] | null;
  classes: number | null;
  /** Where the data comes from. */
  origin: 'bundled' | 'user-files' | 'generated';
  normalization: { mean: readonly number[]; std: readonly number[] } | null;
}

/** The datasets of src/shared/datasets.ts with their normalisation (normalization.ts). */
export const DATASETS: readonly DatasetInfo[] = DATASET_TABLE.map((d) => ({
  name: d.id,
  title: d.title,
  shape: d.shape ? [...d.shape] : null,
  classes: d.classes,
  origin: d.origin,
  normalization: (NORMALIZATION as Record<string, DatasetInfo['normalization']>)[d.id] ?? null,
}));

/** Seeded synthetic data in exactly the model's shape and classes. */
export function openSynthetic(opts: OpenOptions): LabDataset {
  return syntheticDataset({ shape: opts.shape, classes: opts.classes, seed: opts.seed });
}
