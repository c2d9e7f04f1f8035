// The transfer protocol's pieces against independent truth: the head sits in the classifier in
// PyTorch layout (logits = features·Wᵀ + b), the classifier is never pruned, a density-1 random
// "pruning" gives the dense accuracy, fine-tuning leaves the head and the BN running statistics as
// they were, and nothing leaks.
import { describe, expect, it } from 'vitest';
import { syntheticDataset } from '../src/core/data/synthetic';
import { buildModel } from '../src/core/models';
import { nchwTensor } from '../src/core/models/input';
import { StandardOps } from '../src/core/models/ops';
import { disposeMap, initStateDict, toParamMap } from '../src/core/models/state';
import { tf } from '../src/core/tf';
import { evaluate, runTrainJob } from '../src/core/train';
import { datasetSource } from '../src/core/train/data';
import {
  backboneModel,
  extractFeatures,
  fitHead,
  headLayer,
  probeAccuracy,
  recalibrateBn,
  runTransferJob,
  withHead,
  DEFAULT_TRANSFER,
} from '../src/core/transfer';

const spec = {
  kind: 'convnet' as const,
  input: [1, 8, 8] as [number, number, number],
  channels: [4, 8],
  strides: [1, 2],
  batchnorm: true,
  bias: false,
  classes: 3,
};
const model = buildModel(spec);
const ds = syntheticDataset({ shape: [1, 8, 8], classes: 3, train: 60, test: 30, seed: 1 });
const sd = initStateDict(model, 3);

describe('transfer backbone and head', () => {
  it('the classifier is the head: left out of the prunable layers, logits = features·Wᵀ + b', async () => {
    expect(headLayer(model).module).toBe('fc');
    expect(backboneModel(model).prunable.map((l) => l.module)).toEqual(['conv1', 'conv2']);
    const head = await fitHead(model, sd, ds, 'train');
    expect(head.samples).toBe(60);
    const f = await extractFeatures(model, sd, ds, 'test');
    const withH = withHead(model, sd, head);
    const params = toParamMap(model, withH);
    const b = ds.batch(
      'test',
      Int32Array.from({ length: 30 }, (_, i) => i),
    );
    const logits = tf.tidy(() => model.forward(nchwTensor(b.x, b.shape), new StandardOps({ params, bn: 'eval' })));
    const got = await logits.data();
    logits.dispose();
    disposeMap(params);
    let worst = 0;
    for (let s = 0; s < 30; s++) {
      for (let c = 0; c < 3; c++) {
        let want = head.bias[c];
        for (let i = 0; i < f.d; i++) want += f.x[s * f.d + i] * head.weight[c * f.d + i];
        worst = Math.max(worst, Math.abs(got[s * 3 + c] - want));
      }
    }
    // float32 forward vs float64 sum of 8 products of O(1) values: measured 1.7e-7 (wasm); bound 1e-5
    expect(worst).toBeLessThan(1e-5);
  });

  it('random at density 1 keeps the dense accuracy; masks never cover the head; no tensor leaks', async () => {
    const before = tf.memory().numTensors;
    const res = await runTransferJob({
      model,
      stateDict: sd,
      downstream: ds,
      settings: { ...DEFAULT_TRANSFER, methods: ['rand', 'snip'], densities: [1, 0.3], rounds: 1, examplesPerClass: 2, pruneBatchSize: 16 },
    });
    expect(tf.memory().numTensors).toBe(before);
    const total = model.prunable.filter((l) => l.module !== 'fc').reduce((a, l) => a + l.numel, 0);
    expect(res.cells.map((c) => [c.method, c.density, c.total])).toEqual([
      ['rand', 1, total],
      ['rand', 0.3, total],
      ['snip', 1, total],
      ['snip', 0.3, total],
    ]);
    expect(res.cells[0].kept).toBe(total);
    expect(res.cells[0].zeroShotAccuracy).toBe(res.dense.zeroShotAccuracy);
    // density 1 keeps every weight: the refitted probe is the dense head itself
    expect(res.cells[0].probeAccuracy).toBe(res.dense.zeroShotAccuracy);
    // global masking prunes k = int(0.7·total) weights (ties pruned too)
    expect(res.cells[1].kept).toBeLessThanOrEqual(total - Math.trunc(0.7 * total));
    for (const c of res.cells) expect(c.fineTunedAccuracy).toBeNull();
  });

  it('fine-tuning with frozen BN and a frozen head changes only the backbone weights', async () => {
    const head = await fitHead(model, sd, ds, 'train');
    const start = withHead(model, sd, head);
    const res = await runTrainJob({
      model: backboneModel(model),
      stateDict: start,
      train: ds.batch(
        'train',
        Int32Array.from({ length: 60 }, (_, i) => i),
      ),
      recipe: {
        epochs: 1,
        steps: 3,
        batchSize: 20,
        lr: 0.05,
        momentum: 0.9,
        weightDecay: 1e-4,
        nesterov: false,
        schedule: 'constant',
        augment: false,
        shuffle: true,
        seed: 0,
        evalBatchSize: 100,
      },
      tune: { bn: 'eval', frozen: ['fc.weight', 'fc.bias'], loss: 'mse' },
    });
    for (const name of ['fc.weight', 'fc.bias', 'bn1.running_mean', 'bn1.running_var', 'bn2.running_mean', 'bn2.running_var']) {
      expect(Array.from(res.stateDict.get(name)!), name).toEqual(Array.from(start.get(name)!));
    }
    const moved = (n: string) => res.stateDict.get(n)!.some((v, i) => v !== start.get(n)![i]);
    expect(moved('conv1.weight') && moved('conv2.weight') && moved('bn1.weight')).toBe(true);
    // MSE to one-hot: a loss per step, finite
    expect(res.losses.length).toBe(3);
    expect(res.losses.every(Number.isFinite)).toBe(true);
  });

  for (const split of ['train', 'test'] as const) {
    it(`the probe of the dense backbone is the dense head (same features, same solver; head on ${split})`, async () => {
      const head = await fitHead(model, sd, ds, split);
      const dense = (await evaluate(backboneModel(model), withHead(model, sd, head), null, datasetSource(ds, 'test'))).accuracy;
      // all-ones masks multiply every weight by exactly 1: the same features, so the same head
      const ones = new Map(backboneModel(model).prunable.map((l) => [l.weight, new Float32Array(l.numel).fill(1)]));
      const masked = await fitHead(model, sd, ds, split, undefined, ones);
      expect(Array.from(masked.weight)).toEqual(Array.from(head.weight));
      expect(Array.from(masked.bias)).toEqual(Array.from(head.bias));
      expect(await probeAccuracy(model, sd, undefined, ds, { headSplit: split, recalibrateBn: false })).toBe(dense);
      expect(await probeAccuracy(model, sd, ones, ds, { headSplit: split, recalibrateBn: false })).toBe(dense);
    });
  }

  it('BN recalibration: running statistics become the training split’s mean and unbiased variance of the masked conv output', async () => {
    const bb = backboneModel(model);
    const masks = new Map(
      bb.prunable.map((l, i) => [l.weight, Float32Array.from({ length: l.numel }, (_, k) => ((k + i) % 3 === 0 ? 0 : 1))]),
    );
    const before = tf.memory().numTensors;
    const out = await recalibrateBn(bb, sd, masks, ds, 500);
    expect(tf.memory().numTensors).toBe(before);
    // independent: conv1 of the masked weights on all 60 training images (one batch), per-channel moments on the host
    const b = ds.batch(
      'train',
      Int32Array.from({ length: 60 }, (_, i) => i),
    );
    const w = sd.get('conv1.weight')!.map((v, k) => v * masks.get('conv1.weight')![k]);
    const y = tf.tidy(() =>
      tf.conv2d(nchwTensor(b.x, b.shape), tf.transpose(tf.tensor4d(w, [4, 1, 3, 3]), [2, 3, 1, 0]) as tf.Tensor4D, 1, 'same'),
    );
    const v = await y.data();
    const [n, h, wd, c] = y.shape;
    y.dispose();
    const cnt = n * h * wd;
    for (let ch = 0; ch < c; ch++) {
      let s = 0;
      for (let i = ch; i < v.length; i += c) s += v[i];
      const mean = s / cnt;
      let q = 0;
      for (let i = ch; i < v.length; i += c) q += (v[i] - mean) ** 2;
      // float32 batch moments of 3,840 values vs a float64 host sum: measured ~1e-7; bound 1e-5
      expect(out.get('bn1.running_mean')![ch]).toBeCloseTo(mean, 5);
      expect(out.get('bn1.running_var')![ch]).toBeCloseTo(q / (cnt - 1), 5);
    }
    expect(Array.from(out.get('conv1.weight')!)).toEqual(Array.from(sd.get('conv1.weight')!));
  });
});
