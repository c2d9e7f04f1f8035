// The kernel cuts per pruning round (fewer WebGPU dispatches) change no number: the first-order BatchNorm backward equals the
// recomputing one bit for bit, the shared eval-BN affine gives the same forward, and the masks and
// kept counts taken from one host read of the scores equal the device-side rule !(score ≤ thr).
import { describe, expect, it } from 'vitest';
import { useBackend, type BackendName } from '../src/core/backend';
import { batchNormTrain } from '../src/core/batchnorm';
import { buildModel } from '../src/core/models';
import { BN_EPS, evalBnAffine, StandardOps } from '../src/core/models/ops';
import { initStateDict, toParamMap, disposeMap, type ParamMap } from '../src/core/models/state';
import { keptPerLayer, maskFromFlat, readFlat } from '../src/core/pruners/masking';
import { Rng } from '../src/core/rng';
import { tf, type Tensor, type Tensor4D } from '../src/core/tf';

const rand = (shape: number[], seed: number, lo = -1, hi = 1) =>
  tf.tensor(new Rng(seed).fillUniform(new Float32Array(shape.reduce((a, b) => a * b, 1)), lo, hi), shape);

describe('op cuts keep every number', () => {
  it('first-order BatchNorm: the same value and gradients (x, γ, β) as the recomputing backward, bit for bit', async () => {
    // the portable path (on wasm the lab's kernels replace the first-order one: compared with it
    // in test/wasm-kernels.batchnorm.test.ts)
    const prev = tf.getBackend() as BackendName;
    await useBackend('cpu');
    const x = rand([3, 4, 5, 6], 1) as Tensor4D;
    const g = rand([6], 2, 0.5, 2);
    const b = rand([6], 3);
    const dy = rand([3, 4, 5, 6], 4);
    const before = tf.memory().numTensors;
    const grads = (firstOrder: boolean) =>
      tf.grads((xi: Tensor, gi: Tensor, bi: Tensor) => tf.sum(tf.mul(batchNormTrain(xi as Tensor4D, gi, bi, BN_EPS, firstOrder), dy)))([
        x,
        g,
        b,
      ]);
    const [a, c] = [grads(false), grads(true)];
    for (let i = 0; i < 3; i++) expect(Array.from(await c[i].data())).toEqual(Array.from(await a[i].data()));
    [...a, ...c].forEach((t) => t.dispose());
    expect(tf.memory().numTensors).toBe(before);
    [x, g, b, dy].forEach((t) => t.dispose());
    await useBackend(prev);
  });

  it('eval-mode BN with the shared (a, c) gives the same ResNet-20 output as per-pass (a, c), bit for bit', async () => {
    const model = buildModel('resnet20');
    const params = toParamMap(model, initStateDict(model, 0));
    const x = rand([2, 32, 32, 3], 5, 0, 1) as Tensor4D;
    const bnLayers = model.params.filter((p) => p.role === 'bn_weight').map((p) => p.module);
    const evalBn = evalBnAffine(params, bnLayers);
    const y0 = model.forward(x, new StandardOps({ params, bn: 'eval' }));
    const y1 = model.forward(x, new StandardOps({ params, bn: 'eval', evalBn }));
    expect(Array.from(await y1.data())).toEqual(Array.from(await y0.data()));
    [y0, y1, x].forEach((t) => t.dispose());
    for (const { a, c } of evalBn.values()) tf.dispose([a, c]);
    disposeMap(params);
  });

  it("masks and kept counts from one host read equal !(score ≤ thr) and the masks' sums, global and local", async () => {
    const model = buildModel('resnet20');
    const scores: ParamMap = {};
    model.prunable.forEach((l, i) => (scores[l.weight] = tf.floor(tf.mul(rand(l.shape, 10 + i, 0, 1), 50)))); // many ties
    const current: ParamMap = {};
    for (const l of model.prunable) current[l.weight] = tf.ones(l.shape);
    const flat = await readFlat(model, scores);
    for (const scope of ['global', 'local'] as const) {
      const res = maskFromFlat(model, scores, flat, current, 0.3, scope);
      expect(res.keptPerLayer).toEqual(await keptPerLayer(model, res.masks));
      if (scope === 'global')
        for (const l of model.prunable) {
          const ref = tf.tidy(() => tf.cast(tf.logicalNot(tf.lessEqual(scores[l.weight], res.threshold)), 'float32'));
          expect(Array.from(await res.masks[l.weight].data())).toEqual(Array.from(await ref.data()));
          ref.dispose();
        }
      disposeMap(res.masks);
    }
    // density 1: k = 0, every layer keeps its current mask and the host cannot count it
    const keep = maskFromFlat(model, scores, flat, current, 1, 'global');
    expect(keep.keptPerLayer).toBeNull();
    disposeMap(keep.masks);
    disposeMap(scores);
    disposeMap(current);
  });
});
