// The training recipe from command-line flags (shared by `px-lab train` and `px-lab sweep`).
import { firstIssue } from '../shared/sweep';
import {
  ABLATIONS,
  DEFAULT_RECIPE,
  LR_SCHEDULES,
  TrainRecipeSchema,
  type Ablation,
  type LrSchedule,
  type TrainRecipe,
} from '../shared/train';
import { FIELD_FACTS as F } from '../shared/fields';
import { CliError, fieldArg, switchFlags, valueFlags } from './args';

export const RECIPE_OPTIONS = {
  ...valueFlags('epochs', 'steps', 'batch-size', 'lr', 'momentum', 'weight-decay', 'schedule', 'seed', 'eval-batch-size', 'ablation'),
  ...switchFlags('nesterov', 'augment', 'no-augment', 'no-shuffle'),
};

export const RECIPE_USAGE = `[--epochs E | --steps K] [--batch-size 128] [--lr 0.1] [--momentum 0.9] [--weight-decay 1e-4] [--nesterov]
              [--schedule ${LR_SCHEDULES.join('|')}] [--augment|--no-augment] [--no-shuffle] [--seed S] [--eval-batch-size 1000]
              [--ablation ${ABLATIONS.join('|')}]`;

/** Flags → recipe; `defaults` fill what is not given (augmentation, schedule depend on the form). */
export function recipeFromArgs(v: Record<string, unknown>, defaults: Partial<TrainRecipe> = {}): TrainRecipe {
  const base = { ...DEFAULT_RECIPE, ...defaults };
  if (v.augment && v['no-augment']) throw new CliError('--augment and --no-augment contradict each other');
  if (v.epochs !== undefined && v.steps !== undefined) throw new CliError('give --epochs or --steps, not both');
  const schedule = (v.schedule as string | undefined) ?? base.schedule;
  if (!(LR_SCHEDULES as readonly string[]).includes(schedule))
    throw new CliError(`--schedule must be ${LR_SCHEDULES.join(', ')} (got ${JSON.stringify(schedule)})`);
  const steps = v.steps === undefined ? base.steps : fieldArg(v, 'steps', F.steps, 1);
  const recipe: TrainRecipe = {
    epochs: fieldArg(v, 'epochs', F.epochs, base.epochs),
    steps,
    batchSize: fieldArg(v, 'batch-size', F.trainBatch, base.batchSize),
    lr: fieldArg(v, 'lr', F.lr, base.lr),
    momentum: fieldArg(v, 'momentum', F.momentum, base.momentum),
    weightDecay: fieldArg(v, 'weight-decay', F.weightDecay, base.weightDecay),
    nesterov: Boolean(v.nesterov),
    schedule: schedule as LrSchedule,
    augment: v.augment ? true : v['no-augment'] ? false : base.augment,
    shuffle: !v['no-shuffle'],
    seed: fieldArg(v, 'seed', F.seed, base.seed),
    evalBatchSize: fieldArg(v, 'eval-batch-size', F.evalBatch, base.evalBatchSize),
  };
  if (recipe.nesterov && recipe.momentum === 0) throw new CliError('--nesterov needs --momentum > 0');
  const parsed = TrainRecipeSchema.safeParse(recipe);
  if (!parsed.success) throw new CliError(`training recipe: ${firstIssue(parsed.error)}`);
  return parsed.data;
}

export function ablationArg(v: Record<string, unknown>): Ablation {
  const a = (v.ablation as string | undefined) ?? 'none';
  if (!(ABLATIONS as readonly string[]).includes(a))
    throw new CliError(`--ablation must be ${ABLATIONS.join(', ')} (got ${JSON.stringify(a)})`);
  return a as Ablation;
}
