// THE table of number fields: each value a user gives (the page's forms, a link, a px-lab flag, a
// plan file), its label and its range, written once. The zod schemas (config.ts, train.ts,
// trainSettings.ts), the URL table (urlState.ts), the forms' min/max/labels and the CLI's checks
// and messages are derived from it. No tfjs, no DOM.
import { z } from 'zod';

export interface NumberFact {
  /** The full name: link notices, CLI messages. */
  label: string;
  /** The form's label where space is tight; `label` when absent. */
  short?: string;
  integer: boolean;
  min: number;
  /** Largest value a run takes (px-lab flags, plan files, the worker). */
  max: number;
  /** Largest value the page offers (forms, links), where it keeps runs in a browser's reach; `max` when absent. */
  pageMax?: number;
}

const SEED_MAX = 2 ** 31 - 1;

export const FIELD_FACTS = {
  density: { label: 'Remaining weights', integer: false, min: 0.001, max: 1 },
  rounds: { label: 'Rounds (iterative)', short: 'Rounds · iterative', integer: true, min: 1, max: 10000, pageMax: 1000 },
  oneShotRounds: { label: 'Rounds (one-shot)', short: 'Rounds · one-shot', integer: true, min: 1, max: 10000, pageMax: 1000 },
  seed: { label: 'Seed', integer: true, min: 0, max: SEED_MAX },
  examplesPerClass: { label: 'Examples per class', integer: true, min: 1, max: 1000, pageMax: 100 },
  /** The pruners' batch (SNIP/GraSP/NTK-SAP loss batch, PX subset batches). */
  pruneBatch: { label: 'Batch size', integer: true, min: 1, max: 4096, pageMax: 512 },
  ntkSamples: { label: 'NTK inputs per class', short: 'NTK inputs', integer: true, min: 1, max: 32 },
  epochs: { label: 'Epochs', integer: true, min: 1, max: 1000 },
  steps: { label: 'Steps', integer: true, min: 1, max: 10_000_000, pageMax: 1_000_000 },
  lr: { label: 'Learning rate', short: 'LR', integer: false, min: 1e-6, max: 100, pageMax: 10 },
  trainBatch: { label: 'Training batch size', short: 'Batch', integer: true, min: 1, max: 4096 },
  weightDecay: { label: 'Weight decay', short: 'WD', integer: false, min: 0, max: 1, pageMax: 0.1 },
  momentum: { label: 'Momentum', integer: false, min: 0, max: 1 },
  evalBatch: { label: 'Evaluation batch size', integer: true, min: 1, max: 8192 },
  sweepSeeds: { label: 'Sweep seeds', short: 'Seeds', integer: true, min: 1, max: 10 },
  /** IMP's rewind point j: training steps of a round's 8 (0 = rewind to initialisation). */
  impRewind: { label: 'IMP rewind step', short: 'Rewind', integer: true, min: 0, max: 7 },
} as const satisfies Record<string, NumberFact>;

export type FieldName = keyof typeof FIELD_FACTS;

/** Where a value comes in: the page (forms, links) or a run (CLI, plan files, the worker's plans). */
export type Boundary = 'page' | 'run';

/** The [min, max] a value may take at a boundary. */
export function rangeOf(f: NumberFact, at: Boundary): { min: number; max: number } {
  return { min: f.min, max: at === 'page' ? (f.pageMax ?? f.max) : f.max };
}

/** The zod schema of a field at a boundary. */
export function numberSchema(f: NumberFact, at: Boundary): z.ZodNumber {
  const { min, max } = rangeOf(f, at);
  const n = f.integer ? z.number().int() : z.number();
  return n.min(min).max(max);
}

export function inRange(f: NumberFact, at: Boundary, n: number): boolean {
  const { min, max } = rangeOf(f, at);
  return Number.isFinite(n) && (!f.integer || Number.isInteger(n)) && n >= min && n <= max;
}

/** "an integer in 1..10000", "a number in [1e-6, 10]": what a message says a value must be. */
export function rangeText(f: NumberFact, at: Boundary): string {
  const { min, max } = rangeOf(f, at);
  const hi = max === SEED_MAX ? '2^31-1' : String(max);
  return f.integer ? `an integer in ${min}..${hi}` : `a number in [${min}, ${hi}]`;
}

/** The label a form shows. */
export function formLabel(f: NumberFact): string {
  return f.short ?? f.label;
}
