// The layer-wise random baselines against hand-computed kept counts per layer: ERK (Evci et al.
// 2020) with its cap-and-redistribute loop, and uniform, on a small MLP and a small ConvNet, through
// the real pruning driver (global masking, the official rule).
import { describe, expect, it } from 'vitest';
import { runPruneJob } from '../src/core/job';
import { buildModel } from '../src/core/models';
import { initStateDict } from '../src/core/models/state';
import { erkDensities } from '../src/core/pruners/erk';
import { layerCounts } from '../src/core/pruners/layerwise';
import { tf } from '../src/core/tf';

// l1 [8,16] (128 weights), fc [4,8] (32): N = 160
const mlp = buildModel({ kind: 'mlp', input: [1, 4, 4], hidden: [8], classes: 4 });
// conv1 [4,1,3,3] (36), conv2 [8,4,3,3] (288), fc [3,8] (24): N = 348
const convnet = buildModel({
  kind: 'convnet',
  input: [1, 8, 8],
  channels: [4, 8],
  strides: [1, 2],
  batchnorm: true,
  bias: false,
  classes: 3,
});

async function keptPerLayer(
  model: typeof mlp,
  method: 'erk' | 'uniform',
  density: number,
  seed = 0,
): Promise<{ counts: number[]; masks: Map<string, Float32Array> }> {
  const before = tf.memory().numTensors;
  const r = await runPruneJob({ model, stateDict: initStateDict(model, 0), method, density, rounds: 1, scope: 'global', seed });
  expect(tf.memory().numTensors).toBe(before);
  return { counts: model.prunable.map((l) => r.masks.get(l.weight)!.reduce((a, v) => a + v, 0)), masks: r.masks };
}

describe('ERK layer densities (ε·Σshape/Πshape, full layers capped at 1)', () => {
  it('MLP at 25%: raw 24/128 and 12/32, ε = 40/36; 26.67 and 13.33 → 27 and 13 (remainder to the larger fraction)', async () => {
    const d = erkDensities(mlp, 0.25);
    expect(d[0]).toBeCloseTo((40 / 36) * (24 / 128), 12);
    expect(d[1]).toBeCloseTo((40 / 36) * (12 / 32), 12);
    expect((await keptPerLayer(mlp, 'erk', 0.25)).counts).toEqual([27, 13]);
    // 50%: ε = 80/36, 53.33 and 26.67 → 53 and 27
    expect((await keptPerLayer(mlp, 'erk', 0.5)).counts).toEqual([53, 27]);
  });

  it('MLP at 75%: fc would keep 125% → dense (32), l1 keeps the other 88', async () => {
    expect(erkDensities(mlp, 0.75)).toEqual([88 / 128, 1]);
    expect((await keptPerLayer(mlp, 'erk', 0.75)).counts).toEqual([88, 32]);
  });

  it('ConvNet at 25%: raw 11/36, 18/288, 11/24 (Σraw·n = 40), ε = 87/40: 23.925, 39.15, 23.925 → 24, 39, 24', async () => {
    expect((await keptPerLayer(convnet, 'erk', 0.25)).counts).toEqual([24, 39, 24]);
  });

  it('ConvNet at 50%: fc capped, then conv1 capped, conv2 keeps 174 − 60 = 114', async () => {
    const d = erkDensities(convnet, 0.5);
    expect(d[0]).toBe(1);
    expect(d[2]).toBe(1);
    expect(d[1]).toBeCloseTo(114 / 288, 12);
    expect((await keptPerLayer(convnet, 'erk', 0.5)).counts).toEqual([36, 114, 24]);
  });
});

describe('uniform layer-wise random', () => {
  it('every layer at the density; the remainder of the global count to the largest fractions', async () => {
    expect((await keptPerLayer(mlp, 'uniform', 0.25)).counts).toEqual([32, 8]);
    expect((await keptPerLayer(convnet, 'uniform', 0.25)).counts).toEqual([9, 72, 6]);
    // 30%: the rule keeps 348 − int(0.7·348) = 105; 10.8, 86.4, 7.2 → floors 103, +1 to conv1 and conv2
    expect((await keptPerLayer(convnet, 'uniform', 0.3)).counts).toEqual([11, 87, 7]);
  });

  it('positions are random and seeded: another seed, another mask with the same counts', async () => {
    const a = await keptPerLayer(convnet, 'uniform', 0.25, 1);
    const b = await keptPerLayer(convnet, 'uniform', 0.25, 1);
    const c = await keptPerLayer(convnet, 'uniform', 0.25, 2);
    expect(Array.from(b.masks.get('conv2.weight')!)).toEqual(Array.from(a.masks.get('conv2.weight')!));
    expect(Array.from(c.masks.get('conv2.weight')!)).not.toEqual(Array.from(a.masks.get('conv2.weight')!));
    expect(c.counts).toEqual(a.counts);
  });

  it('layer counts refuse a total that does not fit', () => {
    expect(layerCounts([1, 1], [3, 4], 7)).toEqual([3, 4]);
    expect(() => layerCounts([1, 1], [3, 4], 8)).toThrow(/8 weights do not fit in 7/);
  });
});
