// The page's Train and Sweep settings (what the share URL carries, src/shared/urlState.ts) and how
// they become the trainer's recipe and a sweep plan (src/shared/train.ts), so that the page, its
// worker and `px-lab train|sweep` run the same thing. Plain data, no tfjs.
import { z } from 'zod';
import { DEFAULT_METHODS, type RunConfig } from './config';
import { augmentationNamed } from './datasets';
import { METHOD_NAMES, type MethodId } from './methods';
import { roundsFor } from './methods';
import { FIELD_FACTS as F, numberSchema } from './fields';
import { ABLATIONS, DEFAULT_RECIPE, LR_SCHEDULES, type Ablation, type SweepPlan, type TrainRecipe } from './train';

export const TRAIN_BUDGETS = ['epochs', 'steps'] as const;
export type TrainBudget = (typeof TRAIN_BUDGETS)[number];

/** About half a decade apart, as the paper's accuracy-vs-sparsity figures (and px-lab sweep's defaults). */
export const DEFAULT_SWEEP_DENSITIES = [0.1, 0.032, 0.01, 0.0032];
/** Densities a page sweep takes at most. */
export const MAX_SWEEP_DENSITIES = 12;
/** The page's default methods plus random, the floor every method should beat (page and `px-lab sweep`). */
export const DEFAULT_SWEEP_METHODS: MethodId[] = [...DEFAULT_METHODS, 'rand'];
/** `px-lab sweep`'s seeds (and the count the page's MLP and ConvNet sweep): enough for a spread
 * and for the noise rule (src/shared/seedSpread.ts) to rank anything. */
export const DEFAULT_SWEEP_SEEDS = [0, 1, 2];

export const TrainSettingsSchema = z.object({
  /** Start training when the page opens (a shared link reruns it). */
  trainOnOpen: z.boolean(),
  budget: z.enum(TRAIN_BUDGETS),
  epochs: numberSchema(F.epochs, 'page'),
  steps: numberSchema(F.steps, 'page'),
  lr: numberSchema(F.lr, 'page'),
  schedule: z.enum(LR_SCHEDULES),
  trainBatch: numberSchema(F.trainBatch, 'page'),
  weightDecay: numberSchema(F.weightDecay, 'page'),
  augment: z.boolean(),
  ablation: z.enum(ABLATIONS),
  /** Train the dense network too (the dashed baseline, and a dense cell per seed in sweeps). */
  dense: z.boolean(),
  sweepOnOpen: z.boolean(),
  sweepDensities: z.array(numberSchema(F.density, 'page')).min(1).max(MAX_SWEEP_DENSITIES),
  sweepMethods: z.array(z.enum(METHOD_NAMES)).min(1).max(METHOD_NAMES.length),
  /** Seeds seed, seed+1, …, seed+sweepSeeds-1. */
  sweepSeeds: numberSchema(F.sweepSeeds, 'page'),
  /** IMP's rewind point j (0 = the initial weights); a plan carries it only when it runs imp. */
  impRewind: numberSchema(F.impRewind, 'page'),
});
export type TrainSettings = z.infer<typeof TrainSettingsSchema>;

export const DEFAULT_TRAIN_SETTINGS: TrainSettings = {
  trainOnOpen: false,
  budget: 'epochs',
  epochs: DEFAULT_RECIPE.epochs,
  steps: 200,
  lr: DEFAULT_RECIPE.lr,
  schedule: DEFAULT_RECIPE.schedule,
  trainBatch: DEFAULT_RECIPE.batchSize,
  weightDecay: DEFAULT_RECIPE.weightDecay,
  augment: DEFAULT_RECIPE.augment,
  ablation: 'none',
  dense: true,
  sweepOnOpen: false,
  sweepDensities: DEFAULT_SWEEP_DENSITIES,
  sweepMethods: DEFAULT_SWEEP_METHODS,
  // the default model's; the page takes each model's own (models.ts PageDefaults)
  sweepSeeds: DEFAULT_SWEEP_SEEDS.length,
  impRewind: 0,
};

/** What a trained line is: a pruning method's mask, or the dense network. */
export type TrainArm = MethodId | 'dense';

/** The trainer's recipe for the page's settings (momentum, Nesterov, shuffling: the official defaults). */
export function recipeOf(s: TrainSettings, seed: number): TrainRecipe {
  return {
    ...DEFAULT_RECIPE,
    epochs: s.epochs,
    steps: s.budget === 'steps' ? s.steps : null,
    batchSize: s.trainBatch,
    lr: s.lr,
    weightDecay: s.weightDecay,
    schedule: s.schedule,
    augment: s.augment,
    seed,
  };
}

/** Lines the Train section trains: every chosen method, then dense. */
export function trainArms(methods: MethodId[], s: Pick<TrainSettings, 'dense'>): TrainArm[] {
  return [...methods, ...(s.dense ? (['dense'] as const) : [])];
}

/** The sweep the page runs: the same plan `px-lab sweep --plan` writes for the CLI and the cluster;
 * it prunes as the page's pruning runs do (scope, rounds of both kinds, batch, examples per class). */
export function sweepPlanOf(cfg: RunConfig, s: TrainSettings): SweepPlan {
  return {
    version: 1,
    arch: cfg.model,
    dataset: cfg.dataset,
    methods: [...s.sweepMethods],
    densities: [...s.sweepDensities],
    seeds: Array.from({ length: s.sweepSeeds }, (_, i) => cfg.seed + i),
    dense: s.dense,
    rounds: cfg.rounds,
    oneShotRounds: cfg.oneShotRounds,
    scope: cfg.scope,
    examplesPerClass: cfg.examplesPerClass,
    pruneBatchSize: cfg.batchSize,
    ablation: s.ablation,
    recipe: recipeOf(s, cfg.seed),
    ...impRewindOf(s.sweepMethods, s),
  };
}

/** The plan's rewind field, as `px-lab sweep --imp-rewind` writes it: only for j > 0 with imp among
 * the methods, so rewind-to-init plans keep their ids. */
function impRewindOf(methods: readonly MethodId[], s: Pick<TrainSettings, 'impRewind'>): Pick<SweepPlan, 'impRewind'> {
  return s.impRewind > 0 && methods.includes('imp') ? { impRewind: s.impRewind } : {};
}

/** A stable key of everything that decides a sweep's numbers but the cells (IndexedDB store, merging). */
export function sweepKey(plan: SweepPlan, backend: string, weights: string): string {
  // the recipe's seed is replaced by each cell's own; the weights (URL `weights`: init, a
  // pretrained id or a file's sha256) decide every cell's numbers too
  const { methods: _m, densities: _d, seeds: _s, dense: _dense, recipe, oneShotRounds, scope, ...rest } = plan;
  // the pruning settings plans always had (global, one-shot methods once) leave the key as it was,
  // so sweeps stored before plans carried them are found again
  const pruning = { ...(oneShotRounds === 1 ? {} : { oneShotRounds }), ...(scope === 'global' ? {} : { scope }) };
  const augmentation = augmentationNamed(plan.dataset, recipe.augment);
  return JSON.stringify({ ...rest, ...pruning, recipe: { ...recipe, seed: 0 }, ...augmentation, backend, weights });
}

/** A cell's identity inside a sweep (method, density, seed). */
export function cellId(c: { method: string; density: number; seed: number }): string {
  return `${c.method}@${c.density}#${c.seed}`;
}

export type { Ablation };

/** The Train section's request: every chosen method at the slider's density, one seed, then dense. */
export function trainPlanOf(cfg: RunConfig, s: TrainSettings): SweepPlan {
  const { impRewind: _sweeps, ...plan } = sweepPlanOf(cfg, s);
  return { ...plan, methods: [...cfg.methods], densities: [cfg.density], seeds: [cfg.seed], ...impRewindOf(cfg.methods, s) };
}

/** `npx px-lab train …` (dataset form) for one line of a Train plan: the same numbers on the same backend. */
export function trainCommand(plan: SweepPlan, method: TrainArm): string {
  const r = plan.recipe;
  const prune =
    method === 'dense'
      ? ['--method dense']
      : [
          `--method ${method}`,
          `--density ${plan.densities[0]}`,
          `--rounds ${roundsFor(plan, method)}`,
          ...(plan.scope === 'global' ? [] : [`--scope ${plan.scope}`]),
          `--examples-per-class ${plan.examplesPerClass}`,
          `--prune-batch-size ${plan.pruneBatchSize}`,
          ...(method === 'imp' && plan.impRewind ? [`--imp-rewind ${plan.impRewind}`] : []),
        ];
  const budget = r.steps === null ? `--epochs ${r.epochs}` : `--steps ${r.steps}`;
  const args = [
    `npx px-lab train --arch ${typeof plan.arch === 'string' ? plan.arch : 'ARCH.json'} --dataset ${plan.dataset}`,
    ...prune,
    `--seed ${plan.seeds[0]}`,
    budget,
    `--batch-size ${r.batchSize} --lr ${r.lr} --schedule ${r.schedule} --weight-decay ${r.weightDecay}`,
    r.augment ? '--augment' : '--no-augment',
    ...(plan.ablation !== 'none' ? [`--ablation ${plan.ablation}`] : []),
    `--out ${method}.safetensors --log ${method}.json`,
  ];
  return args.join(' ');
}
