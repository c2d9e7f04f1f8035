// The trainer's pieces against independent truth: PyTorch's SGD formulas by hand in float64,
// BatchNorm running statistics on an analytic case, LR schedule values, seeded orders,
// augmentation invariants, ablations, and no tensor growth across steps.
import { describe, expect, it } from 'vitest';
import { buildModel } from '../src/core/models';
import { initStateDict, toParamMap, disposeMap } from '../src/core/models/state';
import { nchwTensor } from '../src/core/models/input';
import { Rng } from '../src/core/rng';
import { tf, type Tensor1D } from '../src/core/tf';
import {
  augmentBatch,
  augmentationFor,
  epochOrder,
  maskParamMap,
  reshuffleMasks,
  reinitialised,
  runTrainJob,
  Sgd,
  trainStep,
  trainableNames,
} from '../src/core/train';
import { DEFAULT_RECIPE, learningRate, type TrainRecipe } from '../src/shared/train';

const data = (n: number, shape: [number, number, number], classes: number, seed: number) => {
  const rng = new Rng(seed);
  const x = rng.fillNormal(new Float32Array(n * shape[0] * shape[1] * shape[2]));
  const y = Int32Array.from({ length: n }, () => rng.int(classes));
  return { x, y, shape: [n, ...shape] as [number, number, number, number] };
};

describe('SGD is torch.optim.SGD', () => {
  // PyTorch: g = grad + wd·p; buf = g (first step) else m·buf + g; g = g + m·buf (nesterov) or buf; p -= lr·g
  function reference(p0: number[], grads: number[][], lr: number, m: number, wd: number, nesterov: boolean): number[] {
    const p = [...p0];
    let buf: number[] | null = null;
    for (const grad of grads) {
      const g = grad.map((v, i) => v + wd * p[i]);
      buf = buf ? buf.map((b, i) => m * b + g[i]) : [...g];
      const step = nesterov ? g.map((v, i) => v + m * buf![i]) : buf;
      step.forEach((v, i) => (p[i] -= lr * v));
    }
    return p;
  }
  for (const nesterov of [false, true]) {
    it(`three steps with momentum and weight decay${nesterov ? ', Nesterov' : ''}`, async () => {
      const grads = [
        [0.5, -1, 0, 2],
        [0.25, 0.5, 0, -1],
        [-0.75, 1, 0, 0.5],
      ];
      const p0 = [1, -2, 3, 0.5]; // the third weight has zero gradient (pruned) but still decays
      const sgd = new Sgd({ momentum: 0.9, weightDecay: 0.01, nesterov });
      let p: tf.Tensor = tf.tensor1d(p0);
      for (const g of grads) {
        const gt = tf.tensor1d(g);
        const next = sgd.update('w', p, gt, 0.1);
        p.dispose();
        gt.dispose();
        p = next;
      }
      const got = Array.from(await p.data());
      const want = reference(p0, grads, 0.1, 0.9, 0.01, nesterov);
      // float32 arithmetic of O(1) values over three steps: measured ≤ 6.0e-8 absolute (wasm); bound 5e-7
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
      expect(got[2]).toBeLessThan(3);
      p.dispose();
      sgd.dispose();
    });
  }
});

describe('BatchNorm running statistics', () => {
  it('momentum 0.1 with the unbiased batch variance (analytic: one kept tap)', async () => {
    // conv1 keeps only the centre tap of input channel 0, so its output channel o is w_o·x₀ and
    // bn1 sees batch mean w_o·mean(x₀) and biased variance w_o²·var(x₀) over N·H·W values
    const model = buildModel({ kind: 'convnet', input: [2, 4, 4], channels: [2], strides: [1], batchnorm: true, bias: false, classes: 3 });
    const sd = initStateDict(model, 1);
    const w = sd.get('conv1.weight')!; // [2, 2, 3, 3]
    const mask = new Float32Array(w.length);
    mask[0 * 18 + 0 * 9 + 4] = 1;
    mask[1 * 18 + 0 * 9 + 4] = 1;
    sd.get('bn1.running_mean')!.set([0.5, -0.25]);
    sd.get('bn1.running_var')!.set([2, 0.5]);
    const d = data(3, [2, 4, 4], 3, 7);
    const x0: number[] = [];
    for (let i = 0; i < 3; i++) for (let k = 0; k < 16; k++) x0.push(d.x[i * 32 + k]);
    const mean0 = x0.reduce((a, b) => a + b, 0) / x0.length;
    const var0 = x0.reduce((a, b) => a + (b - mean0) ** 2, 0) / x0.length;
    const n = x0.length;
    const state = {
      params: toParamMap(model, sd),
      masks: maskParamMap(
        model,
        new Map([
          ['conv1.weight', mask],
          ['fc.weight', new Float32Array(6).fill(1)],
        ]),
      ),
    };
    const sgd = new Sgd({ momentum: 0.9, weightDecay: 0, nesterov: false });
    const x = nchwTensor(d.x, d.shape);
    const y = tf.tensor1d(d.y, 'int32') as Tensor1D;
    await trainStep(model, state, sgd, x, y, 0.1);
    const rm = await state.params['bn1.running_mean'].data();
    const rv = await state.params['bn1.running_var'].data();
    // measured (wasm): running-mean error ≤ 5.4e-9, running-var error ≤ 3.8e-8; bound 5e-7
    [0, 1].forEach((o) => {
      const wo = w[o * 18 + 4];
      expect(rm[o]).toBeCloseTo(0.9 * [0.5, -0.25][o] + 0.1 * wo * mean0, 6);
      expect(rv[o]).toBeCloseTo(0.9 * [2, 0.5][o] + 0.1 * wo * wo * var0 * (n / (n - 1)), 6);
    });
    x.dispose();
    y.dispose();
    disposeMap(state.params);
    disposeMap(state.masks);
    sgd.dispose();
  });
});

describe('learning-rate schedules', () => {
  it('multistep = the official per-epoch MultiStepLR(80, 120) on 160 epochs, and scales to any budget', () => {
    const spe = 391; // CIFAR-10 at batch 128
    const total = 160 * spe;
    const r = { lr: 0.1, schedule: 'multistep' as const };
    expect(learningRate(r, 80 * spe - 1, total)).toBeCloseTo(0.1, 12);
    expect(learningRate(r, 80 * spe, total)).toBeCloseTo(0.01, 12);
    expect(learningRate(r, 120 * spe - 1, total)).toBeCloseTo(0.01, 12);
    expect(learningRate(r, 120 * spe, total)).toBeCloseTo(0.001, 12);
    expect(learningRate(r, total - 1, total)).toBeCloseTo(0.001, 12);
    // one epoch of 79 steps: drops at step 40 (≥ 50%) and 60 (≥ 75%)
    expect([39, 40, 59, 60].map((s) => learningRate(r, s, 79))).toEqual([0.1, 0.1 * 0.1, 0.1 * 0.1, 0.1 * 0.1 * 0.1]);
  });
  it('cosine from lr to 0, constant stays', () => {
    const c = { lr: 0.2, schedule: 'cosine' as const };
    expect(learningRate(c, 0, 100)).toBeCloseTo(0.2, 12);
    expect(learningRate(c, 50, 100)).toBeCloseTo(0.1, 12);
    expect(learningRate(c, 25, 100)).toBeCloseTo(0.1 * (1 + Math.SQRT1_2), 12);
    expect(learningRate({ lr: 0.3, schedule: 'constant' }, 99, 100)).toBe(0.3);
  });
});

describe('seeded orders and augmentation', () => {
  it('epoch orders: a permutation per (seed, epoch), reproducible, stored order without shuffle', () => {
    const a = epochOrder(1000, true, 5, 2);
    expect(Array.from(a).sort((p, q) => p - q)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(epochOrder(1000, true, 5, 2)).toEqual(a);
    expect(epochOrder(1000, true, 5, 3)).not.toEqual(a);
    expect(epochOrder(1000, true, 6, 2)).not.toEqual(a);
    expect(Array.from(epochOrder(5, false, 5, 2))).toEqual([0, 1, 2, 3, 4]);
  });

  it('crop + flip: every output is the input shifted by ≤ 4 pixels (optionally mirrored), padding elsewhere', () => {
    const n = 200;
    const shape: [number, number, number, number] = [n, 3, 8, 8];
    const src = Float32Array.from({ length: n * 192 }, (_, i) => 1 + i); // all distinct, none equals the pad
    const x = src.slice();
    const pad = [-1, -2, -3];
    augmentBatch(x, shape, new Rng(9), { fill: pad, pad: 4, flip: true });
    const again = src.slice();
    augmentBatch(again, shape, new Rng(9), { fill: pad, pad: 4, flip: true });
    expect(again).toEqual(x);
    let flips = 0;
    for (let i = 0; i < n; i++) {
      const found: Array<[number, number, boolean]> = [];
      for (let dy = -4; dy <= 4; dy++)
        for (let dx = -4; dx <= 4; dx++)
          for (const flip of [false, true]) {
            let ok = true;
            for (let c = 0; c < 3 && ok; c++)
              for (let r = 0; r < 8 && ok; r++)
                for (let col = 0; col < 8 && ok; col++) {
                  const sr = r + dy;
                  const sc = (flip ? 7 - col : col) + dx;
                  const want = sr >= 0 && sr < 8 && sc >= 0 && sc < 8 ? src[i * 192 + c * 64 + sr * 8 + sc] : pad[c];
                  ok = x[i * 192 + c * 64 + r * 8 + col] === want;
                }
            if (ok) found.push([dy, dx, flip]);
          }
      expect(found.length, `example ${i}`).toBeGreaterThanOrEqual(1);
      if (found.every((f) => f[2])) flips++;
    }
    // flip with probability ½: 200 draws, binomial sd ≈ 7
    expect(flips).toBeGreaterThan(60);
    expect(flips).toBeLessThan(140);
  });

  it("MNIST's augmentation (the dataset table's): shifts of ≤ 2 pixels, never a mirror", () => {
    const aug = augmentationFor('mnist', 1);
    expect(aug).toMatchObject({ pad: 2, flip: false });
    const n = 300;
    const [h, w] = [8, 8];
    const src = Float32Array.from({ length: n * h * w }, (_, i) => 1 + i);
    const x = src.slice();
    augmentBatch(x, [n, 1, h, w], new Rng(4), aug);
    const shifts = new Set<string>();
    for (let i = 0; i < n; i++) {
      const at = (r: number, c: number) => (r >= 0 && r < h && c >= 0 && c < w ? src[i * h * w + r * w + c] : Math.fround(aug.fill[0]));
      const found: string[] = [];
      for (let dy = -3; dy <= 3; dy++)
        for (let dx = -3; dx <= 3; dx++) {
          let ok = true;
          for (let r = 0; r < h && ok; r++) for (let c = 0; c < w && ok; c++) ok = x[i * h * w + r * w + c] === at(r + dy, c + dx);
          if (ok) found.push(`${dy},${dx}`);
        }
      expect(found, `example ${i}: one unmirrored shift`).toHaveLength(1);
      const [dy, dx] = found[0].split(',').map(Number);
      expect(Math.max(Math.abs(dy), Math.abs(dx))).toBeLessThanOrEqual(2);
      shifts.add(found[0]);
    }
    // 300 draws over the 25 shifts: each is missed with probability (24/25)^300 ≈ 5e-6
    expect(shifts.size).toBe(25);
  });
});

describe('ablations', () => {
  const model = buildModel({ kind: 'mlp', input: [1, 4, 4], hidden: [8], classes: 3 });
  it("reshuffled masks keep each layer's count and move the kept weights", () => {
    const rng = new Rng(3);
    const masks = new Map(
      model.prunable.map((l) => [l.weight, Float32Array.from({ length: l.numel }, () => (rng.uniform() < 0.3 ? 1 : 0))]),
    );
    const shuffled = reshuffleMasks(model, masks, 11);
    for (const l of model.prunable) {
      const a = masks.get(l.weight)!;
      const b = shuffled.get(l.weight)!;
      expect(b.reduce((s, v) => s + v, 0)).toBe(a.reduce((s, v) => s + v, 0));
      expect(Array.from(b)).not.toEqual(Array.from(a));
    }
  });
  it('reinitialisation draws new weights of the same scale', () => {
    const a = initStateDict(model, 0);
    const b = reinitialised(model, 0);
    const w0 = a.get('l1.weight')!;
    const w1 = b.get('l1.weight')!;
    expect(Array.from(w1)).not.toEqual(Array.from(w0));
    const rms = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);
    expect(rms(w1) / rms(w0)).toBeGreaterThan(0.7);
    expect(rms(w1) / rms(w0)).toBeLessThan(1.4);
  });
});

describe('training frees what it allocates', () => {
  it('tf.memory() is flat across steps and back to the start after a run (ConvNet + BN, masks, Nesterov)', async () => {
    const model = buildModel({
      kind: 'convnet',
      input: [3, 8, 8],
      channels: [4, 8],
      strides: [1, 2],
      batchnorm: true,
      bias: false,
      classes: 10,
    });
    const rng = new Rng(1);
    const masks = new Map(
      model.prunable.map((l) => [l.weight, Float32Array.from({ length: l.numel }, () => (rng.uniform() < 0.5 ? 1 : 0))]),
    );
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const recipe: TrainRecipe = { ...DEFAULT_RECIPE, steps: 6, batchSize: 8, nesterov: true, augment: true, evalBatchSize: 16 };
    const res = await runTrainJob({
      model,
      stateDict: initStateDict(model, 0),
      masks,
      train: data(24, [3, 8, 8], 10, 2),
      test: data(20, [3, 8, 8], 10, 3),
      recipe,
      onStep: () => void counts.push(tf.memory().numTensors),
    });
    expect(res.losses).toHaveLength(6);
    // onStep runs after each update: params, masks and one momentum buffer per trainable tensor, nothing else
    expect(new Set(counts).size).toBe(1);
    expect(counts[0] - before).toBe(model.params.length + model.prunable.length + trainableNames(model).length);
    expect(tf.memory().numTensors).toBe(before);
    expect(res.epochs).toHaveLength(2); // 24 examples / batch 8 = 3 steps per epoch
  });

  it('the same seed gives the same run; a different seed a different one', async () => {
    const model = buildModel({ kind: 'mlp', input: [1, 4, 4], hidden: [8], classes: 3 });
    const train = data(40, [1, 4, 4], 3, 4);
    const run = (seed: number) =>
      runTrainJob({ model, stateDict: initStateDict(model, 0), train, recipe: { ...DEFAULT_RECIPE, epochs: 2, batchSize: 10, seed } });
    const [a, b, c] = [await run(1), await run(1), await run(2)];
    expect(b.losses).toEqual(a.losses);
    expect(c.losses).not.toEqual(a.losses);
  });
});
