// THE table of named models (the zoo): one row per architecture, with what the page shows. The
// URL/zod enum (config.ts MODEL_NAMES: the rows on the page), the page's model options and core's
// ZOO (src/core/models/index.ts, what `--arch <name>` accepts) are derived from it; each `kind`
// has a builder in src/core/models/ (test/registries.test.ts builds every row). Arch specs are
// plain JSON, also read from case.json files.

export interface MlpSpec {
  kind: 'mlp';
  input: [number, number, number];
  hidden: number[];
  classes: number;
}

export interface ConvNetSpec {
  kind: 'convnet';
  input: [number, number, number];
  channels: number[];
  strides: number[];
  batchnorm: boolean;
  bias: boolean;
  classes: number;
}

export interface ResNet20Spec {
  kind: 'resnet20';
  /** Filters of the first stage (16 in the paper; 32 is "wide_resnet20"). */
  width?: number;
  input?: [number, number, number];
  classes?: number;
}

export interface Vgg16BnSpec {
  kind: 'vgg16_bn';
  input?: [number, number, number];
  classes?: number;
}

export type ArchSpec = MlpSpec | ConvNetSpec | ResNet20Spec | Vgg16BnSpec;

/**
 * A model's page defaults, chosen so the first complete exact result comes within seconds on wasm.
 * The paper's settings (100 rounds, batch 128) are one click away (src/app/prune/presets.ts); a link
 * carries every field, so only a link that omits a field gets these.
 */
export interface PageDefaults {
  /** Rounds for iterative methods. */
  rounds: number;
  /** The batch SNIP/GraSP/NTK-SAP read once and PX reads twice per round. */
  batchSize: number;
  /** NTK inputs per class. */
  ntkSamples: number;
  /**
   * Seeds of the page's sweeps: 3 where a sweep at the page's budget (1 epoch) stays within an
   * evening on a laptop, so its bands and the "within noise" rule mean something (the MLP: a
   * cell measured 142 s); 1 where one seed of the grid already takes many hours (the ConvNet: one
   * cell did not finish in 15 min; ResNet-20, VGG: seconds per step). docs/sweeps.md has the
   * measurements; the Sweep tab says the time from the cells it measured either way.
   */
  sweepSeeds: number;
  /** Pruning seeds of the page's Transfer runs (no training: prune, evaluate, refit the probe per
   * seed): 3 on the MLP, 1 on the conv nets, whose full downstream evaluation per cell is slow. */
  transferSeeds: number;
}

export interface ModelRow {
  id: string;
  arch: ArchSpec;
  /** Offered on the page (and in URLs); false: CLI only. */
  page: boolean;
  /** The page's option label. */
  label: string;
  /** What it costs to run, shown under the page's model picker (with its page defaults). */
  cost: string;
  /** Page defaults (page models only). */
  defaults?: PageDefaults;
}

export const MODELS = [
  {
    id: 'mlp',
    page: true,
    arch: { kind: 'mlp', input: [1, 28, 28], hidden: [300, 100], classes: 10 },
    label: 'MLP 784-300-100-10',
    cost: '266k weights, 1×28×28 input: fast (a PX round in well under a second).',
    defaults: { rounds: 20, batchSize: 128, ntkSamples: 8, sweepSeeds: 3, transferSeeds: 3 },
  },
  {
    id: 'convnet',
    page: true,
    arch: { kind: 'convnet', input: [3, 32, 32], channels: [32, 64, 128], strides: [1, 2, 2], batchnorm: true, bias: false, classes: 10 },
    label: 'ConvNet (3 conv + fc)',
    cost: 'Small CNN, 3×32×32 input: a few seconds per method.',
    defaults: { rounds: 10, batchSize: 32, ntkSamples: 4, sweepSeeds: 1, transferSeeds: 1 },
  },
  {
    id: 'resnet20',
    page: true,
    arch: { kind: 'resnet20', width: 16, input: [3, 32, 32], classes: 10 },
    label: 'ResNet-20',
    cost: '270k weights, 3×32×32: seconds per PX round at batch 128 on wasm (PX as published reads 2 batches of Batch size), so the paper’s 100 rounds take minutes (Paper settings).',
    defaults: { rounds: 4, batchSize: 16, ntkSamples: 2, sweepSeeds: 1, transferSeeds: 1 },
  },
  {
    id: 'wide_resnet20',
    page: false,
    arch: { kind: 'resnet20', width: 32, input: [3, 32, 32], classes: 10 },
    label: 'Wide ResNet-20 (width 32)',
    cost: '1.1M weights, 3×32×32: CLI only.',
  },
  {
    id: 'vgg16_bn',
    page: true,
    arch: { kind: 'vgg16_bn', input: [3, 32, 32], classes: 10 },
    label: 'VGG-16-BN',
    cost: '15M weights: slow in a browser (minutes per round on wasm); its defaults only make it run, far from 15 s: use the official code on a GPU.',
    defaults: { rounds: 5, batchSize: 16, ntkSamples: 1, sweepSeeds: 1, transferSeeds: 1 },
  },
] as const satisfies readonly ModelRow[];

/** Every zoo name (`--arch <name>`). */
export type ZooName = (typeof MODELS)[number]['id'];
/** Zoo names on the page (and in URLs). */
export type ModelName = Extract<(typeof MODELS)[number], { page: true }>['id'];

export const MODEL_NAMES: readonly ModelName[] = MODELS.filter((m): m is Extract<(typeof MODELS)[number], { page: true }> => m.page).map(
  (m) => m.id,
);

/**
 * Models whose exact runs also compute the NTK at 25/50/75% of their rounds (the trace chart's
 * points): a property of the model, never of timing. Only the MLP: on the ConvNet these six NTKs
 * delayed the first complete exact result by seconds (the page aims at one within 15 s).
 */
export const NTK_ALONG_MODELS: readonly ModelName[] = ['mlp'];

/** A page model's defaults. */
export function pageDefaults(model: ModelName): PageDefaults {
  const row: ModelRow = MODELS.find((m) => m.id === model)!;
  return row.defaults!;
}

/** The defaults in words, e.g. "Defaults: 10 rounds, batch 32, 4 NTK inputs per class." */
export function defaultsLine(d: PageDefaults): string {
  return `Defaults: ${d.rounds} rounds, batch ${d.batchSize}, ${d.ntkSamples} NTK input${d.ntkSamples === 1 ? '' : 's'} per class.`;
}

/** The page's model options, in table order; the hint is the cost and the model's defaults. */
export const MODEL_OPTIONS: ReadonlyArray<{ id: ModelName; label: string; cost: string }> = MODELS.filter((m) => m.page).map((m) => ({
  id: m.id as ModelName,
  label: m.label,
  cost: `${m.cost} ${defaultsLine(pageDefaults(m.id as ModelName))}`,
}));
