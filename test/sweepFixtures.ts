// Plans and cell records made by hand (no training) for the merge and parse tests: every value in
// range, stamped with the plan's id, as `px-lab sweep --cell` writes them.
import { buildModel } from '../src/core/models';
import { planId } from '../src/shared/sweep';
import {
  DEFAULT_RECIPE,
  planCells,
  type SweepCell,
  type SweepCellFailure,
  type SweepCellResult,
  type SweepPlan,
} from '../src/shared/train';

export const MLP_WEIGHTS = buildModel('mlp').prunable.reduce((a, l) => a + l.numel, 0);

export function makePlan(over: Partial<SweepPlan> = {}): SweepPlan {
  return {
    version: 1,
    arch: 'mlp',
    dataset: 'synthetic',
    methods: ['snip', 'rand'],
    densities: [0.5, 0.1],
    seeds: [0],
    dense: true,
    rounds: 10,
    oneShotRounds: 1,
    scope: 'global',
    examplesPerClass: 10,
    pruneBatchSize: 128,
    ablation: 'none',
    recipe: { ...DEFAULT_RECIPE, steps: 5, batchSize: 32 },
    ...over,
  };
}

export function makeResult(plan: SweepPlan, cell: SweepCell, total = MLP_WEIGHTS): SweepCellResult {
  const kept = cell.method === 'dense' ? total : Math.round(cell.density * total);
  const acc = 0.5 + 0.01 * cell.index;
  return {
    planId: planId(plan),
    cell,
    kept,
    total,
    testAccuracy: acc,
    testLoss: 1.2,
    trainLoss: 1.5,
    epochs: [{ epoch: 0, step: 5, lr: 0.1, trainLoss: 1.5, testAccuracy: acc, testLoss: 1.2, seconds: 0.2 }],
    pruneSeconds: 0.1,
    trainSeconds: 0.2,
    backend: 'wasm',
  };
}

export function makeFailure(plan: SweepPlan, cell: SweepCell): SweepCellFailure {
  return {
    planId: planId(plan),
    status: 'failed',
    cell,
    error: 'training diverged at step 4/5: the loss is NaN (learning rate 10 at that step); lower the learning rate',
    step: 4,
    backend: 'wasm',
  };
}

/** Every cell of `plan` as a result (JSON round-tripped, as read from files). */
export function makeRecords(plan: SweepPlan): unknown[] {
  return planCells(plan).map((c) => JSON.parse(JSON.stringify(makeResult(plan, c))));
}
