// A diverged run is a failure, never a result: the Train link that once showed "Random 10.00% …
// NaN NaN" as done now fails each line with the step and the hint, the view is an error, nothing
// non-finite reaches the page, every tensor is freed; the worker's checks and the core trainer
// throw one type for it.
import { describe, expect, it } from 'vitest';
import { tf } from '../src/core/tf';
import { DEFAULT_CONFIG } from '../src/shared/config';
import type { TrainEvent, TrainResult } from '../src/shared/protocol';
import { DEFAULT_TRAIN_SETTINGS, trainPlanOf } from '../src/shared/trainSettings';
import { emptyTrain, reduceTrain } from '../src/app/train/trainView';
import { DivergedError } from '../src/core/train';
import { checkFiniteRun, checkStepLoss, divergenceOf, isFiniteRun } from '../src/worker/divergence';
import { TrainRunner } from '../src/worker/trainRunner';

/** ?model=mlp&data=synthetic&methods=rand&density=0.5&rounds=1&oneshot=1&ntk=1&tab=train&train=1&lr=10&tbudget=steps&steps=30&tbatch=32&dense=1 */
function divergingPlan() {
  const cfg = {
    ...DEFAULT_CONFIG,
    model: 'mlp' as const,
    dataset: 'synthetic' as const,
    methods: ['rand' as const],
    density: 0.5,
    rounds: 1,
    oneShotRounds: 1,
    ntkSamples: 1,
  };
  const plan = trainPlanOf(cfg, { ...DEFAULT_TRAIN_SETTINGS, lr: 10, budget: 'steps', steps: 30, trainBatch: 32, dense: true });
  return { ...plan, recipe: { ...plan.recipe, evalBatchSize: 256 } };
}

describe('divergence in the worker', () => {
  it('fails each diverged line with its step and a hint; the view is an error, never done', async () => {
    const runner = new TrainRunner({ streamMs: 0 });
    const before = tf.memory().numTensors;
    const events: TrainEvent[] = [];
    const results = await runner.run({ id: 1, kind: 'train', plan: divergingPlan(), skip: [] }, (e) => events.push(e));
    expect(tf.memory().numTensors).toBe(before);
    const failed = events.flatMap((e) => (e.type === 'cell-failed' ? [e] : []));
    // both lines start; each one diverges (lr 10 on this MLP) and is reported, not returned
    expect(events.filter((e) => e.type === 'cell-start').map((e) => e.type === 'cell-start' && e.cell.method)).toEqual(['rand', 'dense']);
    expect(failed.map((e) => e.cell.method)).toEqual(['rand', 'dense']);
    for (const f of failed) {
      expect(f.code).toBe('diverged');
      // the core trainer's DivergedError, or the worker's own check: the step and the hint either way
      expect(f.message).toMatch(/^training diverged at step \d+(\/30)?: .*; lower the learning rate\.?$/);
    }
    expect(results).toEqual([]);
    // nothing non-finite was streamed to the page
    for (const e of events) {
      if (e.type === 'train-steps') expect(e.points.every((p) => Number.isFinite(p.loss))).toBe(true);
      if (e.type === 'train-eval') expect(Number.isFinite(e.testLoss) && Number.isFinite(e.testAccuracy)).toBe(true);
      if (e.type === 'cell-done') expect(isFiniteRun(e.result)).toBe(true);
    }
    const view = events.reduce(reduceTrain, emptyTrain(1, 'train'));
    expect(view.status).toBe('error');
    expect(view.error).toMatch(/^2 lines failed \(rand at 50%: training diverged at step \d+(\/30)?: /);
    expect(view.cells.map((c) => c.status)).toEqual(['failed', 'failed']);
  });

  it('a sweep view names the failed cell and says Resume runs it again; other cells keep their results', () => {
    const cell = { index: 0, method: 'snip' as const, density: 0.1, seed: 2 };
    let v = emptyTrain(3, 'sweep');
    v = reduceTrain(v, { type: 'cell-start', requestId: 3, cell, rounds: 1 });
    v = reduceTrain(v, {
      type: 'cell-failed',
      requestId: 3,
      cell,
      code: 'diverged',
      message: new DivergedError(7, 'the loss is not a finite number').message,
    });
    v = reduceTrain(v, { type: 'end', requestId: 3, outcome: 'done', results: [], ms: 1 });
    expect(v.status).toBe('error');
    expect(v.error).toBe(
      '1 cell failed (snip at 10%, seed 2: training diverged at step 7: the loss is not a finite number; lower the learning rate). “Resume sweep” runs the failed cells again.',
    );
    expect(v.cells[0].result).toBeUndefined();
  });

  it("one type for a divergence: the worker's checks throw core's DivergedError, the one divergenceOf recognises", () => {
    const thrown = (f: () => void) => {
      try {
        f();
      } catch (e) {
        return e;
      }
      return null;
    };
    const step = thrown(() => checkStepLoss(4, NaN));
    expect(step).toBeInstanceOf(DivergedError);
    expect(divergenceOf(step)).toBe(step);
    expect((step as DivergedError).step).toBe(4);
    expect((step as DivergedError).code).toBe('diverged');
    expect((step as DivergedError).message).toBe('training diverged at step 4: the loss is not a finite number; lower the learning rate');
    expect(thrown(() => checkStepLoss(4, 1.5))).toBeNull();
    const cell = { index: 0, method: 'rand' as const, density: 0.5, seed: 0 };
    const run = { cell, testAccuracy: 0.1, testLoss: NaN, trainLoss: 2, epochs: [], kept: 1, total: 2 } as unknown as TrainResult;
    const finished = thrown(() => checkFiniteRun(run));
    expect(divergenceOf(finished)?.message).toBe(
      'training diverged: a test or train loss of the finished run is not a finite number; lower the learning rate',
    );
    // the core trainer's own, with the run's length and learning rate
    const core = new DivergedError(3, 'the loss is NaN', { steps: 30, lr: 10 });
    expect(divergenceOf(core)?.message).toBe(
      'training diverged at step 3/30: the loss is NaN (learning rate 10 at that step); lower the learning rate',
    );
    expect(divergenceOf(new Error('out of memory'))).toBeNull();
    expect(divergenceOf('NaN')).toBeNull();
  });
});
