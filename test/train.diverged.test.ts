// Divergence is a failure (src/core/train/diverged.ts): the first non-finite loss, parameter or
// test loss stops training with DivergedError naming the step, nothing is returned, and every
// tensor is freed. Truth: IEEE arithmetic (x·0 is NaN exactly for ±Inf and NaN) and a run whose
// loss blows up (constant lr 100 on the MLP), against the same run at lr 0.01.
import { describe, expect, it } from 'vitest';
import { buildModel } from '../src/core/models';
import { initStateDict } from '../src/core/models/state';
import { Rng } from '../src/core/rng';
import { tf } from '../src/core/tf';
import { DivergedError, paramsFinite, runTrainJob } from '../src/core/train';
import { DEFAULT_RECIPE } from '../src/shared/train';

const data = (n: number, seed: number) => {
  const rng = new Rng(seed);
  const x = rng.fillNormal(new Float32Array(n * 784));
  const y = Int32Array.from({ length: n }, () => rng.int(10));
  return { x, y, shape: [n, 1, 28, 28] as [number, number, number, number] };
};

describe('DivergedError', () => {
  it('lr 100 stops at the first non-finite loss, naming the step and the hint; tensors are freed', async () => {
    const model = buildModel('mlp');
    const before = tf.memory().numTensors;
    const steps: number[] = [];
    const run = runTrainJob({
      model,
      stateDict: initStateDict(model, 0),
      train: data(256, 1),
      test: data(64, 2),
      recipe: { ...DEFAULT_RECIPE, steps: 40, batchSize: 32, lr: 100, schedule: 'constant' },
      onStep: (s) => void steps.push(s.loss),
    });
    const err = await run.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DivergedError);
    const d = err as DivergedError;
    expect(d.step).toBeGreaterThan(1);
    expect(d.step).toBeLessThanOrEqual(40);
    // every step before the failing one had a finite loss; the failing one was never reported
    expect(steps).toHaveLength(d.step! - 1);
    expect(steps.every(Number.isFinite)).toBe(true);
    expect(d.message).toMatch(
      new RegExp(`^training diverged at step ${d.step}/40: .* \\(learning rate 100 at that step\\); lower the learning rate$`),
    );
    expect(d.message.split('\n')).toHaveLength(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a sane learning rate trains to the end', async () => {
    const model = buildModel('mlp');
    const res = await runTrainJob({
      model,
      stateDict: initStateDict(model, 0),
      train: data(256, 1),
      test: data(64, 2),
      recipe: { ...DEFAULT_RECIPE, steps: 8, batchSize: 32, lr: 0.01 },
    });
    expect(res.losses).toHaveLength(8);
    expect(Number.isFinite(res.final!.loss)).toBe(true);
  });

  it('paramsFinite: false for any NaN or ±Inf entry, true otherwise; frees its probe', async () => {
    const mk = (v: number[]) => ({ a: tf.tensor1d([1, 2, 3]), b: tf.tensor1d(v) });
    for (const [v, want] of [
      [[0, -1e38, 3.4e38], true],
      [[0, NaN, 1], false],
      [[Infinity, 0, 1], false],
      [[0, 0, -Infinity], false],
    ] as const) {
      const p = mk([...v]);
      const before = tf.memory().numTensors;
      expect(await paramsFinite(p)).toBe(want);
      expect(tf.memory().numTensors).toBe(before);
      Object.values(p).forEach((t) => t.dispose());
    }
  });
});
