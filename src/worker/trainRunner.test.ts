// The worker's training runner in Node (wasm backend, synthetic data): its cells give exactly
// what core/train's runSweepCell (the CLI's cell) gives, every line starts from the same initial
// weights, events come in order with a finite ETA, a cancel stops within a few steps and frees
// every tensor, finished cells are skipped, a newer request supersedes an older one.
import { describe, expect, it } from 'vitest';
import { buildModel } from '../core/models';
import { tf } from '../core/tf';
import { runSweepCell } from '../core/train';
import { DEFAULT_CONFIG } from '../shared/config';
import type { TrainEvent } from '../shared/protocol';
import { planCells, type SweepPlan } from '../shared/train';
import { DEFAULT_TRAIN_SETTINGS, sweepPlanOf } from '../shared/trainSettings';
import { openSyntheticOnly } from './data';
import { TrainRunner } from './trainRunner';
import { evaluationsPerCell, WorkClock } from './workClock';

/** MLP on the synthetic set, 6 steps of batch 32 per cell, PX 3 rounds. */
function smallPlan(over: Partial<SweepPlan> = {}): SweepPlan {
  const cfg = {
    ...DEFAULT_CONFIG,
    model: 'mlp' as const,
    dataset: 'synthetic' as const,
    methods: ['snip' as const],
    density: 0.2,
    rounds: 3,
    seed: 3,
    batchSize: 32,
    examplesPerClass: 2,
  };
  const plan = sweepPlanOf(cfg, {
    ...DEFAULT_TRAIN_SETTINGS,
    budget: 'steps',
    steps: 6,
    trainBatch: 32,
    sweepMethods: ['snip', 'px'],
    sweepDensities: [0.2],
    sweepSeeds: 1,
    dense: true,
  });
  return { ...plan, recipe: { ...plan.recipe, evalBatchSize: 256 }, ...over };
}

function collect(): { events: TrainEvent[]; emit: (e: TrainEvent) => void } {
  const events: TrainEvent[] = [];
  return { events, emit: (e) => events.push(e) };
}

describe('TrainRunner', () => {
  it('runs every cell as the CLI cell does, from the same initial weights, events in order', async () => {
    const runner = new TrainRunner({ streamMs: 0 });
    const plan = smallPlan();
    const before = tf.memory().numTensors;
    const { events, emit } = collect();
    const results = await runner.run({ id: 1, kind: 'train', plan, skip: [] }, emit);
    expect(tf.memory().numTensors).toBe(before);
    expect(results?.map((r) => r.cell.method)).toEqual(['snip', 'px', 'dense']);
    const types = events.map((e) => e.type).filter((t, i, a) => t !== a[i - 1]);
    expect(types[0]).toBe('train-start');
    expect(events.at(-1)).toMatchObject({ type: 'end', outcome: 'done' });
    expect(events.filter((e) => e.type === 'cell-done').map((e) => e.type === 'cell-done' && e.result.cell.method)).toEqual([
      'snip',
      'px',
      'dense',
    ]);
    // every step of every cell streamed once, in order
    for (const cell of planCells(plan)) {
      const steps = events.flatMap((e) => (e.type === 'train-steps' && e.cell.index === cell.index ? e.points.map((p) => p.step) : []));
      expect(steps).toEqual([1, 2, 3, 4, 5, 6]);
      // the ETA counts the test evaluations the trainer makes: one before the first step, one
      // after each of steps 1-5 (every step here: 8 points over 6 steps) and one at the epoch's end
      const evals = events.filter((e) => e.type === 'train-eval' && e.cell.index === cell.index).length;
      expect(evals).toBe(7);
      expect(evaluationsPerCell(6, Math.ceil(1000 / 32), 1)).toBe(evals);
    }
    const etas = events.flatMap((e) => (e.type === 'train-steps' ? [e.etaMs] : []));
    expect(etas.every((t) => Number.isFinite(t) && t >= 0)).toBe(true);
    // after the last step, what is left is the last cell's final evaluation (a second at most here)
    expect(etas.at(-1)).toBeGreaterThan(0);
    expect(etas.at(-1)).toBeLessThan(1000);
    expect(events.filter((e) => e.type === 'prune-round' && e.cell.method === 'px')).toHaveLength(3);

    // the CLI's cell function on the same plan gives the same numbers
    const model = buildModel('mlp');
    const ds = await openSyntheticOnly('synthetic', model, plan.seeds[0]);
    for (const r of results!) {
      // (without the extra evaluations: they must not change training)
      const direct = await runSweepCell({ plan, cell: r.cell, model, dataset: ds, backend: 'wasm' });
      expect(direct.epochs).toEqual(r.epochs.map((e) => ({ ...e, seconds: direct.epochs[0].seconds })));
      expect(r.testAccuracy).toBe(direct.testAccuracy);
      expect(r.testLoss).toBe(direct.testLoss);
      expect(r.trainLoss).toBe(direct.trainLoss);
      expect(r.kept).toBe(direct.kept);
    }
    // a Train request evaluates along the way (step 0, every ceil(6/8) = 1 step, the epoch's end)
    const evals = events.flatMap((e) => (e.type === 'train-eval' && e.cell.method === 'dense' ? [e.step] : []));
    expect(evals).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // a finished cell can be skipped: the rest runs alone and gives the same numbers
    const again = collect();
    const rerun = await runner.run({ id: 2, kind: 'train', plan, skip: [0, 1] }, again.emit);
    expect(rerun?.map((r) => r.cell.method)).toEqual(['dense']);
    expect(rerun![0].testAccuracy).toBe(results![2].testAccuracy);
    const start = again.events.find((e) => e.type === 'train-start');
    expect(start?.type === 'train-start' && start.toRun).toEqual([2]);
  });

  it('cancels within a few steps, reports only the cancelled end after, frees every tensor', async () => {
    const runner = new TrainRunner({ streamMs: 0, yieldEvery: 1 });
    const plan = smallPlan({ recipe: { ...smallPlan().recipe, steps: 200 } });
    const before = tf.memory().numTensors;
    const { events, emit } = collect();
    let cancelledAt = -1;
    const p = runner.run({ id: 7, kind: 'sweep', plan, skip: [] }, (e) => {
      emit(e);
      if (e.type === 'train-steps' && cancelledAt < 0 && e.points.at(-1)!.step >= 5) {
        cancelledAt = events.length;
        // as the page's message would: between tasks
        setTimeout(() => runner.cancel(7), 0);
      }
    });
    expect(await p).toBeNull();
    await runner.idle();
    expect(events.at(-1)).toEqual({ type: 'end', requestId: 7, outcome: 'cancelled' });
    const after = events.slice(cancelledAt, -1);
    const stepsAfter = after.flatMap((e) => (e.type === 'train-steps' ? e.points : []));
    expect(stepsAfter.length).toBeLessThanOrEqual(2);
    expect(events.some((e) => e.type === 'cell-done')).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a newer request supersedes the running one', async () => {
    const runner = new TrainRunner({ streamMs: 0, yieldEvery: 1 });
    const plan = smallPlan({ recipe: { ...smallPlan().recipe, steps: 500 } });
    const a = collect();
    const b = collect();
    const first = runner.run({ id: 1, kind: 'sweep', plan, skip: [] }, a.emit);
    await new Promise((r) => setTimeout(r, 50));
    const second = runner.run({ id: 2, kind: 'train', plan: smallPlan(), skip: [0, 1] }, b.emit);
    expect(await first).toBeNull();
    expect(a.events.at(-1)).toEqual({ type: 'end', requestId: 1, outcome: 'cancelled' });
    expect(a.events.filter((e) => e.type === 'end')).toHaveLength(1);
    expect((await second)?.length).toBe(1);
  });

  it('refuses an invalid plan with an error event', async () => {
    const runner = new TrainRunner();
    const { events, emit } = collect();
    const bad = { ...smallPlan(), densities: [2] };
    expect(await runner.run({ id: 1, kind: 'sweep', plan: bad, skip: [] }, emit)).toBeNull();
    const err = events.at(-1);
    expect(err).toMatchObject({ type: 'end', outcome: 'error', code: 'invalid' });
  });

  it('refuses a plan that would not fit in memory, before opening data or pruning', async () => {
    const runner = new TrainRunner({ budgetBytes: () => 1024 ** 2 });
    const { events, emit } = collect();
    expect(await runner.run({ id: 1, kind: 'train', plan: smallPlan(), skip: [] }, emit)).toBeNull();
    expect(events).toMatchObject([
      { type: 'end', outcome: 'error', code: 'memory', message: expect.stringMatching(/more than the 0\.00 GiB/) },
    ]);
    // the default wasm budget takes it
    expect(
      await new TrainRunner({ streamMs: 0 }).run(
        { id: 2, kind: 'train', plan: smallPlan({ dense: false, methods: ['rand'] }), skip: [] },
        () => undefined,
      ),
    ).not.toBeNull();
  });
});

describe('WorkClock', () => {
  it('extrapolates the measured step and round times over the work left', () => {
    const c = new WorkClock(10, 4);
    expect(c.progress()).toBe(0);
    c.round(100);
    // steps unmeasured: guessed at the round time
    expect(c.etaMs()).toBe(10 * 100 + 3 * 100);
    c.step(10);
    c.step(30);
    expect(c.msPerStep()).toBe(20);
    expect(c.etaMs()).toBe(8 * 20 + 3 * 100);
    expect(c.progress()).toBeCloseTo(140 / (140 + 460), 12);
    c.drop(8, 3);
    expect(c.etaMs()).toBe(0);
    expect(c.progress()).toBe(1);
  });

  it('counts test evaluations as work: guessed from the step time until one is measured', () => {
    const c = new WorkClock(10, 0, 3, (msPerStep) => 5 * msPerStep);
    c.step(20);
    // 9 steps of 20 ms, 3 evaluations guessed at 5 × 20 ms
    expect(c.etaMs()).toBe(9 * 20 + 3 * 100);
    c.evaluation(400);
    expect(c.etaMs()).toBe(9 * 20 + 2 * 400);
    expect(c.progress()).toBeCloseTo(420 / (420 + 980), 12);
    c.drop(9, 0, 2);
    expect(c.etaMs()).toBe(0);
  });

  it('knows how many evaluations a cell makes: at epoch ends, and with live curves before the first step and every k steps between', () => {
    // 10 steps, 4 an epoch (epochs end at 4, 8, 10): without live curves one per epoch
    expect(evaluationsPerCell(10, 4)).toBe(3);
    // every 2 steps: before step 1, after 2 and 6 (4 and 8 end epochs, 10 is the last), and the 3 epoch ends
    expect(evaluationsPerCell(10, 4, 2)).toBe(1 + 2 + 3);
  });
});
