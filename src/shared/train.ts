// Training and sweep settings as plain data: what the page's Train/Sweep sections pick, what the
// URL carries, what the worker and `px-lab train|sweep` run. No tfjs here (the page imports it).
// The recipe is the official train_classification.py's (see docs/training.md).
import { z } from 'zod';
import { spreadOf, type SeedSpread } from './seedSpread';
import { SCOPES } from './config';
import { METHOD_NAMES, type MethodId } from './methods';
import { FIELD_FACTS as F, numberSchema } from './fields';

export const LR_SCHEDULES = ['multistep', 'cosine', 'constant'] as const;
export type LrSchedule = (typeof LR_SCHEDULES)[number];

/** none; reshuffle each layer's mask (same count per layer); reinitialise the weights after
 * pruning; invert the method's scores when pruning (keep the lowest: Frankle et al. 2021). */
export const ABLATIONS = ['none', 'reshuffle-masks', 'reinit', 'invert-scores'] as const;
export type Ablation = (typeof ABLATIONS)[number];

/** The longest step budget a recipe may ask for. */
export const MAX_TRAIN_STEPS = F.steps.max;

export const TrainRecipeSchema = z.object({
  /** Full passes over the training split (used when `steps` is null). */
  epochs: numberSchema(F.epochs, 'run'),
  /** Exactly this many optimiser steps instead of `epochs` (batches continue across epochs). */
  steps: numberSchema(F.steps, 'run').nullable(),
  batchSize: numberSchema(F.trainBatch, 'run'),
  lr: numberSchema(F.lr, 'run'),
  momentum: numberSchema(F.momentum, 'run'),
  weightDecay: numberSchema(F.weightDecay, 'run'),
  nesterov: z.boolean(),
  /** multistep: ×0.1 at 50% and 75% of the budget (the official 80/120 of 160 epochs); cosine to 0. */
  schedule: z.enum(LR_SCHEDULES),
  /** CIFAR-10's 4-pixel zero-padded random crop + horizontal flip (official for CIFAR-10 only). */
  augment: z.boolean(),
  /** Seeded reshuffle of the training split every epoch (off: stored order). */
  shuffle: z.boolean(),
  /** Seeds shuffling, augmentation and the ablations. */
  seed: numberSchema(F.seed, 'run'),
  /** Batch size of evaluation on the test split. */
  evalBatchSize: numberSchema(F.evalBatch, 'run'),
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
  epoch: z.number().int().min(0),
  /** Optimiser steps done at the end of this epoch. */
  step: z.number().int().min(0),
  /** Mean of the epoch's per-step losses (each before its update). */
  trainLoss: z.number().min(0),
  /** Learning rate of the epoch's last step. */
  lr: z.number().min(0),
  /** Top-1 accuracy on the test split in eval mode, in [0, 1] (null: no test data). */
  testAccuracy: z.number().min(0).max(1).nullable(),
  testLoss: z.number().min(0).nullable(),
  /** Wall seconds since training started. */
  seconds: z.number().min(0),
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

/** Backends a sweep cell runs on in Node: tfjs wasm, cpu, or WebGPU on a real GPU (Dawn). */
export const CELL_BACKENDS = ['wasm', 'cpu', 'webgpu'] as const;
export type CellBackend = (typeof CELL_BACKENDS)[number];

export const SweepPlanSchema = z.object({
  version: z.literal(1),
  /** Zoo name or arch spec object (as case.json's "arch"). */
  arch: z.union([z.string().min(1).max(200), z.record(z.string(), z.unknown())]),
  dataset: z.string().min(1).max(200),
  methods: z.array(z.enum(METHOD_NAMES)).min(0),
  /** Fractions of prunable weights kept. */
  densities: z.array(z.number().gt(0).max(1)).min(0),
  seeds: z.array(numberSchema(F.seed, 'run')).min(1),
  /** Add one dense cell per seed. */
  dense: z.boolean(),
  /** Pruning rounds of iterative methods (PX, SynFlow, NTK-SAP). */
  rounds: numberSchema(F.rounds, 'run'),
  /** Pruning rounds of one-shot methods (SNIP, GraSP, magnitude, random); plans written before it had 1. */
  oneShotRounds: numberSchema(F.oneShotRounds, 'run').default(1),
  /** Where the pruners rank weights, as the page's pruning runs; plans written before it were global. */
  scope: z.enum(SCOPES).default('global'),
  examplesPerClass: numberSchema(F.examplesPerClass, 'run'),
  /** Batch size the pruners read (SNIP/GraSP loss batch, PX subset batches). */
  pruneBatchSize: numberSchema(F.pruneBatch, 'run'),
  /** IMP's rewind point j in steps; absent = 0 (the initial weights), so plans without it keep their id. */
  impRewind: numberSchema(F.impRewind, 'run').min(1).optional(),
  ablation: z.enum(ABLATIONS),
  /** The training recipe; its `seed` is replaced by each cell's seed. */
  recipe: TrainRecipeSchema,
  /**
   * What every cell starts from: absent or "init" = each cell's seeded initialisation; otherwise
   * the weights in use ("pretrained:<id>", "file:<sha256>:<name>"). Part of the plan id.
   */
  weights: z.string().min(1).max(200).optional(),
  /** The backend every cell runs on (absent: Node's default, wasm then cpu). Part of the plan id. */
  backend: z.enum(CELL_BACKENDS).optional(),
});
export type SweepPlan = z.infer<typeof SweepPlanSchema>;

/** A plan's id: the SHA-256 (hex) of its canonical JSON (src/shared/sweep.ts planId). */
export const PlanIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'not a plan id (64 hex digits)');

export const SweepCellSchema = z.object({
  index: z.number().int().min(0),
  method: z.enum(SWEEP_METHODS),
  /** 1 for dense. */
  density: z.number().gt(0).max(1),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
});
export type SweepCell = z.infer<typeof SweepCellSchema>;

const seconds = z.number().min(0);
const weightCount = z.number().int().min(0).max(1e12);

export const SweepCellResultSchema = z
  .object({
    /** The plan this cell was run for (a failed cell has status "failed" instead: SweepCellFailureSchema). */
    planId: PlanIdSchema,
    cell: SweepCellSchema,
    /** Final test top-1 accuracy in [0, 1] and mean test loss. */
    testAccuracy: z.number().min(0).max(1),
    testLoss: z.number().min(0),
    /** Mean train loss of the last epoch. */
    trainLoss: z.number().min(0),
    /** Prunable weights kept, of `total` (the architecture's prunable weights). */
    kept: weightCount,
    total: weightCount.min(1),
    epochs: z.array(EpochLogSchema),
    pruneSeconds: seconds,
    trainSeconds: seconds,
    backend: z.string().max(40),
    /** The GPU a webgpu cell ran on (vendor, architecture, description as the adapter reports them). */
    adapter: z.string().min(1).max(200).optional(),
  })
  .refine((r) => r.kept <= r.total, { message: 'kept is more than total', path: ['kept'] })
  .refine((r) => r.cell.method !== 'dense' || r.kept === r.total, {
    message: 'a dense cell keeps every weight (kept must equal total)',
    path: ['kept'],
  });
export type SweepCellResult = z.infer<typeof SweepCellResultSchema>;

/** A cell whose run failed (training diverged): recorded so it is visible and re-run, never an accuracy. */
export const SweepCellFailureSchema = z.object({
  planId: PlanIdSchema,
  status: z.literal('failed'),
  cell: SweepCellSchema,
  /** The one-line reason (e.g. "training diverged at step 4/5: …"). */
  error: z.string().min(1).max(500),
  /** The optimiser step (1-based) where it failed; null when not in training. */
  step: z.number().int().min(1).nullable(),
  backend: z.string().max(40),
});
export type SweepCellFailure = z.infer<typeof SweepCellFailureSchema>;

/** What a cell file holds: a result or a failure. */
export type SweepCellRecord = SweepCellResult | SweepCellFailure;

export const SweepResultSchema = z.object({
  kind: z.literal('px-lab-sweep'),
  /** planId(plan): every result and failure carries the same. */
  planId: PlanIdSchema,
  plan: SweepPlanSchema,
  cells: z.array(SweepCellSchema),
  /** One per cell that trained, in cell order. */
  results: z.array(SweepCellResultSchema),
  /** One per cell that failed, in cell order (re-run them with --cell I). */
  failed: z.array(SweepCellFailureSchema).default([]),
  /** Per (method, density): each seed's accuracy and their mean, std, range (summariseSweep;
   * derived from `results` and `failed`, so recomputed on reading; older files have none). */
  summary: z
    .array(
      z.object({
        method: z.string(),
        density: z.number(),
        n: z.number(),
        failed: z.number(),
        mean: z.number(),
        std: z.number(),
        min: z.number(),
        max: z.number(),
        seeds: z.array(z.number()),
        accuracies: z.array(z.number()),
      }),
    )
    .optional(),
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

/** A (method, density) of a sweep over seeds: the spread of its test accuracy and each seed's value. */
export interface SweepSummary<M extends string = SweepMethod> extends SeedSpread {
  method: M;
  density: number;
  /** The seeds that gave a result, in order, and their test accuracies. */
  seeds: number[];
  accuracies: number[];
}

/**
 * Mean, sample standard deviation and range of test accuracy per (method, density), for charts,
 * tables and the CLI's summary. Failed cells (diverged) and non-finite accuracies are counted in
 * `failed` and never averaged in; a (method, density) with no result at all is left out.
 */
export function summariseResults<M extends string>(
  results: ReadonlyArray<{ cell: { method: M; density: number; seed?: number }; testAccuracy: number }>,
  failures: ReadonlyArray<{ cell: { method: M; density: number } }> = [],
): Array<SweepSummary<M>> {
  const groups = new Map<string, { method: M; density: number; seeds: number[]; accs: number[]; failed: number }>();
  const group = (c: { method: M; density: number }) => {
    const k = `${c.method}@${c.density}`;
    const g = groups.get(k) ?? { method: c.method, density: c.density, seeds: [], accs: [], failed: 0 };
    groups.set(k, g);
    return g;
  };
  for (const r of results) {
    const g = group(r.cell);
    if (Number.isFinite(r.testAccuracy)) {
      g.accs.push(r.testAccuracy);
      g.seeds.push(r.cell.seed ?? 0);
    } else g.failed++;
  }
  for (const f of failures) group(f.cell).failed++;
  return [...groups.values()].flatMap(({ method, density, seeds, accs, failed }) => {
    const s = spreadOf(accs, failed);
    return s ? [{ method, density, ...s, seeds, accuracies: accs }] : [];
  });
}

/** {@link summariseResults} of a merged sweep (its failed cells counted, never averaged in). */
export function summariseSweep(sweep: SweepResult): SweepSummary[] {
  return summariseResults(sweep.results, sweep.failed);
}

/** CSV of a sweep: one row per cell (each seed's value), with its (method, density)'s mean, std and seed count. */
export function sweepCsv(sweep: SweepResult): string {
  const rows = [
    'index,method,density,seed,test_accuracy,test_loss,train_loss,kept,total,prune_seconds,train_seconds,backend,mean_test_accuracy,std_test_accuracy,n_seeds,failed_seeds',
  ];
  const summary = new Map(summariseSweep(sweep).map((s) => [`${s.method}@${s.density}`, s]));
  for (const r of sweep.results) {
    const c = r.cell;
    const s = summary.get(`${c.method}@${c.density}`);
    rows.push(
      [
        c.index,
        c.method,
        c.density,
        c.seed,
        r.testAccuracy,
        r.testLoss,
        r.trainLoss,
        r.kept,
        r.total,
        r.pruneSeconds.toFixed(2),
        r.trainSeconds.toFixed(2),
        r.backend,
        s?.mean ?? '',
        s?.std ?? '',
        s?.n ?? '',
        s?.failed ?? '',
      ].join(','),
    );
  }
  return `${rows.join('\n')}\n`;
}
