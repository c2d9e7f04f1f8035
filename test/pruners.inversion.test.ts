// Inversion (Frankle et al. 2021): the method's lowest scores are kept. Checked by hand on
// magnitude with hand-set weights, over rounds of random scores (pruned weights stay pruned, the
// count is the official rule's), and through a sweep cell with the invert-scores ablation.
import { describe, expect, it } from 'vitest';
import { syntheticDataset } from '../src/core/data/synthetic';
import { runPruneJob } from '../src/core/job';
import { buildModel } from '../src/core/models';
import { initStateDict } from '../src/core/models/state';
import { tf } from '../src/core/tf';
import { runSweepCell } from '../src/core/train';
import type { RoundInfo } from '../src/core/pruners/schedule';
import { DEFAULT_RECIPE, type SweepPlan } from '../src/shared/train';

// l1 [2,3] (6 weights), fc [2,2] (4): N = 10
const spec = { kind: 'mlp' as const, input: [1, 1, 3] as [number, number, number], hidden: [2], classes: 2 };
const model = buildModel(spec);

describe('inversion: keep the lowest scores', () => {
  it('magnitude at 40%: the 4 smallest |w| are kept instead of the 4 largest', async () => {
    const sd = initStateDict(model, 0);
    sd.set('l1.weight', Float32Array.from([0.9, -0.1, 0.5, -0.7, 0.2, 0.05]));
    sd.set('fc.weight', Float32Array.from([-0.3, 0.8, 0.6, -0.4]));
    // |w| sorted: 0.05 0.1 0.2 0.3 | 0.4 0.5 0.6 0.7 0.8 0.9; the rule prunes int(0.6·10) = 6
    const plain = await runPruneJob({ model, stateDict: sd, method: 'mag', density: 0.4, rounds: 1 });
    const inv = await runPruneJob({ model, stateDict: sd, method: 'mag', density: 0.4, rounds: 1, invert: true });
    expect(Array.from(plain.masks.get('l1.weight')!)).toEqual([1, 0, 0, 1, 0, 0]);
    expect(Array.from(plain.masks.get('fc.weight')!)).toEqual([0, 1, 1, 0]);
    expect(Array.from(inv.masks.get('l1.weight')!)).toEqual([0, 1, 0, 0, 1, 1]);
    expect(Array.from(inv.masks.get('fc.weight')!)).toEqual([1, 0, 0, 0]);
    expect(inv.kept).toBe(4);
  });

  it('over rounds (random, 3 rounds): each round keeps the rule count and pruned weights stay pruned (fresh scores every round would revive them), no leak', async () => {
    const big = buildModel({ kind: 'mlp', input: [1, 4, 4], hidden: [8], classes: 4 }); // N = 160
    const masks: Float32Array[] = [];
    const before = tf.memory().numTensors;
    const res = await runPruneJob({
      model: big,
      stateDict: initStateDict(big, 1),
      method: 'rand',
      density: 0.1,
      rounds: 3,
      invert: true,
      onRound: async (_info, reads) => void masks.push(await reads.mask()),
    });
    expect(tf.memory().numTensors).toBe(before);
    // 0.1^(1/3), 0.1^(2/3), 0.1: kept 160 − int((1 − d)·160)
    expect(res.rounds.map((r) => r.kept)).toEqual([0.1 ** (1 / 3), 0.1 ** (2 / 3), 0.1].map((d) => 160 - Math.trunc((1 - d) * 160)));
    for (let r = 1; r < 3; r++)
      for (let i = 0; i < 160; i++) if (masks[r - 1][i] === 0) expect(masks[r][i], `round ${r + 1}, weight ${i}`).toBe(0);
  });

  it('a sweep cell with the invert-scores ablation prunes on negated scores (threshold below 0)', async () => {
    const plan: SweepPlan = {
      version: 1,
      arch: spec,
      dataset: 'synthetic',
      methods: ['mag'],
      densities: [0.4],
      seeds: [0],
      dense: false,
      rounds: 1,
      oneShotRounds: 1,
      scope: 'global',
      examplesPerClass: 2,
      pruneBatchSize: 8,
      ablation: 'invert-scores',
      recipe: { ...DEFAULT_RECIPE, steps: 1, batchSize: 8, evalBatchSize: 16 },
    };
    const dataset = syntheticDataset({ shape: [1, 1, 3], classes: 2, train: 16, test: 16, seed: 0 });
    const cell = { index: 0, method: 'mag' as const, density: 0.4, seed: 0 };
    const thresholds: number[] = [];
    const onRound = (r: RoundInfo) => void thresholds.push(r.threshold);
    await runSweepCell({ plan, cell, model, dataset, backend: 'wasm', onRound });
    await runSweepCell({ plan: { ...plan, ablation: 'none' }, cell, model, dataset, backend: 'wasm', onRound });
    expect(thresholds[0]).toBeLessThan(0);
    expect(thresholds[1]).toBeGreaterThan(0);
  });
});
