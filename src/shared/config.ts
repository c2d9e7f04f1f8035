// The run configuration: what a user picks on the page, what the URL carries, what the worker
// and the CLI run. One table of fields (like TensorFlow Playground's state.ts); no tfjs here.
// The names of models, datasets and methods come from their tables (models.ts, datasets.ts,
// methods.ts).
import { z } from 'zod';
import { DATASET_NAMES } from './datasets';
import { ITERATIVE_METHODS, METHOD_NAMES, type MethodId } from './methods';
import { MODEL_NAMES } from './models';

export { MODEL_NAMES, type ModelName } from './models';
export { DATASET_NAMES, type DatasetName } from './datasets';
export { METHOD_NAMES, ITERATIVE_METHODS, type MethodId } from './methods';

/** PX as published (px-2024) is the default PX: on ResNet-20 it collapses no layer where the lab's
 * running-statistics variant collapses six (docs/methods.md, "Which PX is the default"). */
export const DEFAULT_METHODS: MethodId[] = ['px-2024', 'snip', 'synflow'];

/** Remaining-weight fractions of the 0.8^k grid used in the literature (36% … 98.2% sparsity). */
export const DENSITY_GRID = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => Math.pow(0.8, 2 * k));
export const MIN_DENSITY = 0.001;

export const RunConfigSchema = z.object({
  model: z.enum(MODEL_NAMES),
  dataset: z.enum(DATASET_NAMES),
  methods: z.array(z.enum(METHOD_NAMES)).min(1).max(METHOD_NAMES.length),
  /** Fraction of prunable weights kept, in [MIN_DENSITY, 1]. */
  density: z.number().min(MIN_DENSITY).max(1),
  /** Rounds for iterative methods (PX, SynFlow, NTK-SAP). */
  rounds: z.number().int().min(1).max(1000),
  /** Rounds for one-shot methods (SNIP, GraSP, magnitude, random). */
  oneShotRounds: z.number().int().min(1).max(1000),
  scope: z.enum(['global', 'local']),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  examplesPerClass: z.number().int().min(1).max(100),
  /** Batch size SNIP/GraSP/NTK-SAP read (one batch, like the official batch_limit 1). */
  batchSize: z.number().int().min(1).max(512),
  /** Inputs of the empirical NTK (n·classes rows). */
  ntkSamples: z.number().int().min(1).max(32),
});

export type RunConfig = z.infer<typeof RunConfigSchema>;

export const DEFAULT_CONFIG: RunConfig = {
  model: 'mlp',
  dataset: 'mnist',
  methods: DEFAULT_METHODS,
  density: 0.1,
  rounds: 100,
  oneShotRounds: 1,
  scope: 'global',
  seed: 0,
  examplesPerClass: 10,
  batchSize: 128,
  ntkSamples: 8,
};

export function roundsFor(config: Pick<RunConfig, 'rounds' | 'oneShotRounds'>, method: MethodId): number {
  return ITERATIVE_METHODS.includes(method) ? config.rounds : config.oneShotRounds;
}
