// Training and sweep settings as plain data: what the page's Train/Sweep sections pick, what the
// URL carries, what the worker and `px-lab train|sweep` run. No tfjs here (the page imports it).
// The recipe is the official train_classification.py's (see docs/training.md).
import { z } from 'zod';
import { METHOD_NAMES, type MethodId } from './config';

export const LR_SCHEDULES = ['multistep', 'cosine', 'constant'] as const;
export type LrSchedule = (typeof LR_SCHEDULES)[number];

/** none; reshuffle each layer's mask (same count per layer); reinitialise the weights after
 * pruning; invert the method's scores when pruning (keep the lowest: Frankle et al. 2021). */
export const ABLATIONS = ['none', 'reshuffle-masks', 'reinit', 'invert-scores'] as const;
export type Ablation = (typeof ABLATIONS)[number];

export const TrainRecipeSchema = z.object({
  /** Full passes over the training split (used when `steps` is null). */
  epochs: z.number().int().min(1).max(1000),
  /** Exactly this many optimiser steps instead of `epochs` (batches continue across epochs). */
  steps: z.number().int().min(1).max(10_000_000).nullable(),
  batchSize: z.number().int().min(1).max(4096),
  lr: z.number().positive().max(100),
  momentum: z.number().min(0).max(1),
  weightDecay: z.number().min(0).max(1),
  nesterov: z.boolean(),
  /** multistep: ×0.1 at 50% and 75% of the budget (the official 80/120 of 160 epochs); cosine to 0. */
  schedule: z.enum(LR_SCHEDULES),
  /** CIFAR-10's 4-pixel zero-padded random crop + horizontal flip (official for CIFAR-10 only). */
  augment: z.boolean(),
  /** Seeded reshuffle of the training split every epoch (off: stored order). */
  shuffle: z.boolean(),
  /** Seeds shuffling, augmentation and the ablations. */
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  /** Batch size of evaluation on the test split. */
  evalBatchSize: z.number().int().min(1).max(8192),
});
export type TrainRecipe = z.infer<typeof TrainRecipeSchema>;

/** Defaults of the official code (lr 0.1, momentum 0.9, wd 1e-4, batch 128) for a short budget. */
export const DEFAULT_RECIPE: TrainRecipe = {
  epochs: 1,
  steps: null,
  batchSize: 128,
  lr: 0.1,
  momentum: 0.9,
  weightDecay: 1e-4,
  nesterov: false,
  schedule: 'multistep',
  augment: false,
  shuffle: true,
  seed: 0,
  evalBatchSize: 1000,
};

/** The official augmentation is CIFAR-10's; MNIST/Fashion-MNIST train without it. */
export function defaultAugment(dataset: string): boolean {
  return dataset === 'cifar10';
}

/**
 * Learning rate at optimiser step `step` (0-based) of `totalSteps`. Milestones are fractions of
 * the whole budget, compared in integers: for a budget of E epochs of S steps each, step t is in
 * epoch ⌊t/S⌋ and 2t ≥ E·S ⇔ t/S ≥ E/2, so with milestones on epoch boundaries (160 epochs →
 * 80, 120) this is exactly the official per-epoch MultiStepLR; on short budgets it decays inside
 * an epoch instead of never.
 */
export function learningRate(recipe: Pick<TrainRecipe, 'lr' | 'schedule'>, step: number, totalSteps: number): number {
  switch (recipe.schedule) {
    case 'constant':
      return recipe.lr;
    case 'multistep': {
      const drops = (2 * step >= totalSteps ? 1 : 0) + (4 * step >= 3 * totalSteps ? 1 : 0);
      return recipe.lr * Math.pow(0.1, drops);
    }
    case 'cosine':
      return (recipe.lr * (1 + Math.cos((Math.PI * step) / totalSteps))) / 2;
  }
}

/** Per-epoch record of a training run. */
export const EpochLogSchema = z.object({
  epoch: z.number().int(),
  /** Optimiser steps done at the end of this epoch. */
  step: z.number().int(),
  /** Mean of the epoch's per-step losses (each before its update). */
  trainLoss: z.number(),
  /** Learning rate of the epoch's last step. */
  lr: z.number(),
  /** Top-1 accuracy on the test split in eval mode, in [0, 1] (null: no test data). */
  testAccuracy: z.number().nullable(),
  testLoss: z.number().nullable(),
  /** Wall seconds since training started. */
  seconds: z.number(),
});
export type EpochLog = z.infer<typeof EpochLogSchema>;

/** Progress of one optimiser step. */
export interface StepLog {
  step: number;
  epoch: number;
  loss: number;
  lr: number;
}

// ---- sweeps: methods × densities × seeds (× dense), each cell independent ----

/** A cell's "method": a pruner, or the dense (unpruned) baseline. */
export const SWEEP_METHODS = [...METHOD_NAMES, 'dense'] as const;
export type SweepMethod = MethodId | 'dense';

export const SweepPlanSchema = z.object({
  version: z.literal(1),
  /** Zoo name or arch spec object (as case.json's "arch"). */
  arch: z.union([z.string(), z.record(z.string(), z.unknown())]),
  dataset: z.string(),
  methods: z.array(z.enum(METHOD_NAMES)).min(0),
  /** Fractions of prunable weights kept. */
  densities: z.array(z.number().gt(0).max(1)).min(0),
  seeds: z
    .array(
      z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1),
    )
    .min(1),
  /** Add one dense cell per seed. */
  dense: z.boolean(),
  /** Pruning rounds of iterative methods (PX, SynFlow, NTK-SAP); one-shot methods use 1. */
  rounds: z.number().int().min(1).max(10000),
  examplesPerClass: z.number().int().min(1).max(1000),
  /** Batch size the pruners read (SNIP/GraSP loss batch, PX subset batches). */
  pruneBatchSize: z.number().int().min(1).max(4096),
  ablation: z.enum(ABLATIONS),
  /** The training recipe; its `seed` is replaced by each cell's seed. */
  recipe: TrainRecipeSchema,
});
export type SweepPlan = z.infer<typeof SweepPlanSchema>;

export const SweepCellSchema = z.object({
  index: z.number().int().min(0),
  method: z.enum(SWEEP_METHODS),
  /** 1 for dense. */
  density: z.number().gt(0).max(1),
  seed: z.number().int().min(0),
});
export type SweepCell = z.infer<typeof SweepCellSchema>;

export const SweepCellResultSchema = z.object({
  cell: SweepCellSchema,
  /** Final test top-1 accuracy in [0, 1] and mean test loss. */
  testAccuracy: z.number(),
  testLoss: z.number(),
  /** Mean train loss of the last epoch. */
  trainLoss: z.number(),
  kept: z.number().int(),
  total: z.number().int(),
  epochs: z.array(EpochLogSchema),
  pruneSeconds: z.number(),
  trainSeconds: z.number(),
  backend: z.string(),
});
export type SweepCellResult = z.infer<typeof SweepCellResultSchema>;

export const SweepResultSchema = z.object({
  kind: z.literal('px-lab-sweep'),
  plan: SweepPlanSchema,
  cells: z.array(SweepCellSchema),
  results: z.array(SweepCellResultSchema),
});
export type SweepResult = z.infer<typeof SweepResultSchema>;

/** Every cell of a plan: for each seed, each method × density, then dense. Indices are stable. */
export function planCells(plan: SweepPlan): SweepCell[] {
  const cells: SweepCell[] = [];
  for (const seed of plan.seeds) {
    for (const method of plan.methods) for (const density of plan.densities) cells.push({ index: cells.length, method, density, seed });
    if (plan.dense) cells.push({ index: cells.length, method: 'dense', density: 1, seed });
  }
  return cells;
}

/** Collect cell results into one sweep file; throws naming the missing or foreign cells. */
export function mergeSweep(plan: SweepPlan, results: SweepCellResult[]): SweepResult {
  const cells = planCells(plan);
  const byIndex = new Map<number, SweepCellResult>();
  for (const r of results) {
    const c = cells[r.cell.index];
    if (!c || c.method !== r.cell.method || c.density !== r.cell.density || c.seed !== r.cell.seed)
      throw new Error(`result for cell ${r.cell.index} (${r.cell.method}, density ${r.cell.density}, seed ${r.cell.seed}) is not in this plan`);
    byIndex.set(c.index, r);
  }
  const missing = cells.filter((c) => !byIndex.has(c.index)).map((c) => c.index);
  if (missing.length) throw new Error(`missing ${missing.length} of ${cells.length} cells: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`);
  return { kind: 'px-lab-sweep', plan, cells, results: cells.map((c) => byIndex.get(c.index)!) };
}

/** Mean, sample standard deviation and range of test accuracy per (method, density), for charts and tables. */
export function summariseResults<M extends string>(
  results: ReadonlyArray<{ cell: { method: M; density: number }; testAccuracy: number }>,
): Array<{ method: M; density: number; n: number; mean: number; std: number; min: number; max: number }> {
  const groups = new Map<string, { method: M; density: number; accs: number[] }>();
  for (const r of results) {
    const k = `${r.cell.method}@${r.cell.density}`;
    const g = groups.get(k) ?? { method: r.cell.method, density: r.cell.density, accs: [] };
    g.accs.push(r.testAccuracy);
    groups.set(k, g);
  }
  return [...groups.values()].map(({ method, density, accs }) => {
    const mean = accs.reduce((a, b) => a + b, 0) / accs.length;
    const std = accs.length > 1 ? Math.sqrt(accs.reduce((a, b) => a + (b - mean) ** 2, 0) / (accs.length - 1)) : 0;
    return { method, density, n: accs.length, mean, std, min: Math.min(...accs), max: Math.max(...accs) };
  });
}

/** {@link summariseResults} of a merged sweep. */
export function summariseSweep(sweep: SweepResult): Array<{ method: SweepMethod; density: number; n: number; mean: number; std: number; min: number; max: number }> {
  return summariseResults(sweep.results);
}

/** CSV of a sweep: one row per cell. */
export function sweepCsv(sweep: SweepResult): string {
  const rows = ['index,method,density,seed,test_accuracy,test_loss,train_loss,kept,total,prune_seconds,train_seconds,backend'];
  for (const r of sweep.results) {
    const c = r.cell;
    rows.push([c.index, c.method, c.density, c.seed, r.testAccuracy, r.testLoss, r.trainLoss, r.kept, r.total, r.pruneSeconds.toFixed(2), r.trainSeconds.toFixed(2), r.backend].join(','));
  }
  return `${rows.join('\n')}\n`;
}
