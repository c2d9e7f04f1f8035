// Train = Pruning: the masks a Train request trains are the masks the Pruning tab shows for the
// same page state, with local scope and one-shot methods over three rounds (settings a Train
// plan once dropped: its cells pruned globally, one-shot methods once).
import { describe, expect, it } from 'vitest';
import { buildModel } from '../core/models';
import { initStateDict } from '../core/models/state';
import { pruneCell } from '../core/train';
import { DEFAULT_CONFIG, type RunConfig } from '../shared/config';
import type { TrainEvent } from '../shared/protocol';
import { planCells } from '../shared/train';
import { DEFAULT_TRAIN_SETTINGS, trainPlanOf } from '../shared/trainSettings';
import { openSyntheticOnly } from './data';
import { LabRunner } from './runner';
import { TrainRunner } from './trainRunner';

const cfg: RunConfig = {
  ...DEFAULT_CONFIG,
  model: 'mlp',
  dataset: 'synthetic',
  methods: ['snip', 'synflow', 'px-2024'],
  density: 0.2,
  rounds: 3,
  oneShotRounds: 3,
  scope: 'local',
  seed: 4,
  batchSize: 32,
  examplesPerClass: 2,
  ntkSamples: 2,
};
const settings = { ...DEFAULT_TRAIN_SETTINGS, budget: 'steps' as const, steps: 2, trainBatch: 32, dense: false };

describe('the Train tab trains the Pruning tab’s masks', () => {
  it('local scope, one-shot rounds 3: every method’s mask is the pruning run’s, bit for bit', async () => {
    const lab = new LabRunner();
    expect(await lab.run({ id: 1, config: cfg }, () => undefined)).not.toBeNull();
    const plan = trainPlanOf(cfg, settings);
    const model = buildModel(cfg.model);
    const dataset = await openSyntheticOnly(cfg.dataset, model, cfg.seed);
    const init = initStateDict(model, cfg.seed);
    for (const cell of planCells(plan)) {
      if (cell.method === 'dense') continue;
      const trained = await pruneCell({ plan, cell, model, dataset }, init);
      const shown = lab.masks(1, cell.method);
      expect(shown, cell.method).not.toBeNull();
      for (const m of shown!) {
        const want = trained!.masks.get(m.name.replace(/_mask$/, ''))!;
        let diff = 0;
        for (let i = 0; i < want.length; i++) if (want[i] !== m.data[i]) diff++;
        expect(diff, `${cell.method} ${m.name}`).toBe(0);
      }
    }
  }, 120_000);

  it('the Train request prunes each line over the page’s rounds: 3 for one-shot and iterative methods here', async () => {
    const events: TrainEvent[] = [];
    const runner = new TrainRunner({ streamMs: 0 });
    const results = await runner.run({ id: 2, kind: 'train', plan: trainPlanOf(cfg, settings), skip: [] }, (e) => events.push(e));
    expect(results?.map((r) => r.cell.method)).toEqual(cfg.methods);
    for (const m of cfg.methods) {
      const start = events.find((e) => e.type === 'cell-start' && e.cell.method === m);
      expect(start?.type === 'cell-start' && start.rounds, m).toBe(3);
      expect(
        events.filter((e) => e.type === 'prune-round' && e.cell.method === m),
        m,
      ).toHaveLength(3);
    }
  }, 120_000);
});
