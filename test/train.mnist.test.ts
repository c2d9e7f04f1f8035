// The dense MLP trains on the bundled MNIST (50,000 training images) with the default recipe
// (1 epoch = 391 steps of 128, lr 0.1 multistep, seed 0). Measured on Node wasm: 95.35% test
// accuracy after one epoch (seeds 1 and 2: 95.75%, 95.50%). The bar is 95% within the
// default budget; the run is seeded and deterministic on wasm, so the bound is that bar itself.
// (On the earlier 10,000-image subset the MLP topped out at 94.8% after 20 epochs.)
import { describe, expect, it } from 'vitest';
import { loadBundledFromDisk } from '../src/cli/datasets';
import { packedDataset } from '../src/core/data/packed';
import { buildModel } from '../src/core/models';
import { initStateDict } from '../src/core/models/state';
import { datasetSource, runTrainJob } from '../src/core/train';
import { DEFAULT_RECIPE } from '../src/shared/train';

describe('dense MLP on MNIST, default recipe', () => {
  it('reaches ≥ 95% test accuracy in one epoch and the loss falls', async () => {
    const model = buildModel('mlp');
    const ds = packedDataset(await loadBundledFromDisk('mnist'), { shape: model.input, classes: model.classes });
    const res = await runTrainJob({
      model,
      stateDict: initStateDict(model, 0),
      train: datasetSource(ds, 'train'),
      test: datasetSource(ds, 'test'),
      recipe: DEFAULT_RECIPE,
    });
    expect(res.steps).toBe(391);
    expect(res.final!.accuracy).toBeGreaterThanOrEqual(0.95);
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(res.losses.slice(-10))).toBeLessThan(mean(res.losses.slice(0, 10)) / 4);
  });
});
