// The structured NTK against analytic answers and against the loop oracle.
import { describe, expect, it } from 'vitest';
import { buildModel, type ArchSpec, type Model } from '../models';
import { disposeMap, initStateDict, toParamMap, type ParamMap } from '../models/state';
import { nchwTensor } from '../models/input';
import { Rng } from '../rng';
import { tf, type Tensor4D } from '../tf';
import { layerStats } from './layers';
import { ntkMatrix } from './ntk';
import { DEFAULT_NTK_N, type NtkMatrix } from './ntk-common';
import { ntkMatrixLoop } from './ntk-loop';
import { ntkReport } from './arrays';

function relL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / (den || 1));
}

interface Setup {
  model: Model;
  params: ParamMap;
  x: Tensor4D;
  data: Float32Array;
  dispose(): void;
}

function setup(spec: ArchSpec | string, n: number, seed = 1): Setup {
  const model = buildModel(spec);
  const params = toParamMap(model, initStateDict(model, seed));
  const [c, h, w] = model.input;
  const data = new Float32Array(n * c * h * w);
  Rng.derive(seed, 'ntk-test-inputs').fillUniform(data, 0, 1);
  const x = nchwTensor(data, [n, c, h, w]);
  return {
    model,
    params,
    x,
    data,
    dispose: () => {
      x.dispose();
      disposeMap(params);
    },
  };
}

/** Random 0/1 masks (tfjs layout) keeping about `keep` of every layer; `zero` layers keep nothing. */
function randomMasks(model: Model, keep: number, seed: number, zero: string[] = []): ParamMap {
  const rng = Rng.derive(seed, 'ntk-test-masks');
  const out: ParamMap = {};
  for (const l of model.prunable) {
    const v = new Float32Array(l.numel);
    rng.fillUniform(v, 0, 1);
    for (let i = 0; i < v.length; i++) v[i] = zero.includes(l.weight) ? 0 : v[i] < keep ? 1 : 0;
    out[l.weight] = tf.tensor(v, l.shape);
  }
  return out;
}

function expectSameNtk(structured: NtkMatrix, loop: NtkMatrix, tol: number) {
  expect(structured.size).toBe(loop.size);
  const err = relL2(structured.theta, loop.theta);
  expect(err).toBeLessThan(tol);
  for (const [layer, t] of Object.entries(loop.traceByLayer)) {
    const s = structured.traceByLayer[layer];
    expect(Math.abs(s - t)).toBeLessThanOrEqual(tol * Math.abs(t) + 1e-12 * structured.theta.reduce((a, v) => Math.max(a, Math.abs(v)), 0));
  }
  return err;
}

describe('analytic: one linear layer', () => {
  // logits = x W + b: J[(i,k), (a,b)] = x_i[a] δ_kb, so Θ = (X Xᵀ) ⊗ I_C (and with a mask,
  // Θ[(i,k),(j,l)] = δ_kl Σ_a m[a,k] x_i[a] x_j[a])
  const spec: ArchSpec = { kind: 'mlp', input: [2, 3, 3], hidden: [], classes: 4 };
  const n = 5;
  for (const masked of [false, true]) {
    it(masked ? 'masked: Θ = blockdiag_k(X diag(m_k) Xᵀ)' : 'Θ = (X Xᵀ) ⊗ I_C', async () => {
      const s = setup(spec, n);
      const before = tf.memory().numTensors;
      const C = s.model.classes;
      const fin = 18;
      const masks = masked ? randomMasks(s.model, 0.5, 3) : undefined;
      const m = masked ? ((await masks!['fc.weight'].data()) as Float32Array) : null; // tfjs layout [in, out]
      const expected = new Float64Array(n * C * n * C);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++)
          for (let k = 0; k < C; k++) {
            let dot = 0;
            // NCHW data flattened per sample is PyTorch's x.view(N,-1), the MLP's input order
            for (let a = 0; a < fin; a++) dot += (m ? m[a * C + k] : 1) * s.data[i * fin + a] * s.data[j * fin + a];
            expected[(i * C + k) * n * C + j * C + k] = dot;
          }
      for (const method of ['structured', 'loop'] as const) {
        const r =
          method === 'loop'
            ? await ntkMatrixLoop({ model: s.model, params: s.params, masks, x: s.x, n })
            : await ntkMatrix({ model: s.model, params: s.params, masks, x: s.x, n });
        expect(relL2(r.theta, expected)).toBeLessThan(1e-6);
      }
      if (masks) disposeMap(masks);
      expect(tf.memory().numTensors).toBe(before);
      s.dispose();
    });
  }
});

describe('structured NTK equals the loop oracle (one backward per row)', () => {
  const cases: Array<{ name: string; spec: ArchSpec | string; n: number; zero?: string[] }> = [
    { name: 'MLP 784→300→100→10', spec: 'mlp', n: 4 },
    { name: 'ConvNet 32-64-128 +BN, strides 1-2-2', spec: 'convnet', n: 2 },
    {
      name: 'ConvNet with conv biases, no BN, odd sizes',
      spec: { kind: 'convnet', input: [3, 11, 9], channels: [5, 7, 6], strides: [2, 1, 2], batchnorm: false, bias: true, classes: 7 },
      n: 3,
    },
    { name: 'ResNet-20', spec: 'resnet20', n: 2, zero: ['blocks.4.conv2.weight'] },
  ];
  for (const c of cases) {
    for (const masked of [false, true]) {
      it(`${c.name}, ${masked ? 'masked (~20% kept' + (c.zero ? ', one conv fully pruned' : '') + ')' : 'dense'}`, async () => {
        const s = setup(c.spec, c.n, 2);
        const masks = masked ? randomMasks(s.model, 0.2, 5, c.zero) : undefined;
        const before = tf.memory().numTensors;
        const structured = await ntkMatrix({ model: s.model, params: s.params, masks, x: s.x, n: c.n }, { keepLayerMatrices: true });
        const loop = await ntkMatrixLoop({ model: s.model, params: s.params, masks, x: s.x, n: c.n }, { keepLayerMatrices: true });
        expect(tf.memory().numTensors).toBe(before);
        const err = expectSameNtk(structured, loop, 1e-4);
        for (const l of s.model.prunable)
          expect(relL2(structured.layerMatrices![l.weight], loop.layerMatrices![l.weight])).toBeLessThan(
            1e-4 + (loop.traceByLayer[l.weight] === 0 ? Infinity : 0),
          );
        console.log(`${c.name} ${masked ? 'masked' : 'dense'}: ‖Θs−Θloop‖/‖Θloop‖ = ${err.toExponential(2)}`);
        if (c.zero && masked) {
          // the block's identity shortcut still carries signal: collapsed, not disconnected, Θ ≠ 0
          for (const z of c.zero) expect(structured.traceByLayer[z]).toBe(0);
          const t = await layerStats(s.model, masks);
          expect(t.layers.find((r) => r.weight === c.zero![0])!.collapsed).toBe(true);
          expect(t.network.disconnected).toBe(false);
          expect(structured.theta.some((v) => v !== 0)).toBe(true);
        }
        if (masks) disposeMap(masks);
        s.dispose();
      });
    }
  }

  it('small chunks give the same Θ (output-unit chunking)', async () => {
    const s = setup(
      { kind: 'convnet', input: [3, 8, 8], channels: [6, 5], strides: [1, 2], batchnorm: true, bias: false, classes: 5 },
      3,
      4,
    );
    const masks = randomMasks(s.model, 0.3, 6);
    const whole = await ntkMatrix({ model: s.model, params: s.params, masks, x: s.x, n: 3 });
    const chunked = await ntkMatrix({ model: s.model, params: s.params, masks, x: s.x, n: 3 }, { chunkFloats: 1 });
    expect(relL2(chunked.theta, whole.theta)).toBeLessThan(1e-6);
    disposeMap(masks);
    s.dispose();
  });
});

describe('fully pruned layers', () => {
  it('MLP with fc fully pruned: all-zero Θ, every layer collapsed, disconnected', async () => {
    const s = setup({ kind: 'mlp', input: [1, 6, 6], hidden: [12, 8], classes: 5 }, 3);
    const masks = randomMasks(s.model, 0.7, 1, ['fc.weight']);
    const before = tf.memory().numTensors;
    const r = await ntkReport({ model: s.model, params: s.params, masks, x: s.x, n: 3 });
    expect(r.theta.every((v) => v === 0)).toBe(true);
    expect(r.trace).toBe(0);
    expect(r.rank).toBe(0);
    expect(r.condition).toBe(Infinity);
    expect([...r.eigenvaluesDesc].every((v) => v === 0)).toBe(true);
    const t = await layerStats(s.model, masks);
    expect(t.network.disconnected).toBe(true);
    expect(t.layers.every((l) => l.collapsed)).toBe(true);
    expect(t.network.effective).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    disposeMap(masks);
    s.dispose();
  });

  it('ConvNet+BN (zero BN offsets) with conv2 fully pruned: all-zero Θ, collapsed, disconnected', async () => {
    const s = setup(
      { kind: 'convnet', input: [3, 8, 8], channels: [8, 16], strides: [1, 2], batchnorm: true, bias: false, classes: 10 },
      4,
    );
    const masks = randomMasks(s.model, 0.5, 2, ['conv2.weight']);
    const r = await ntkReport({ model: s.model, params: s.params, masks, x: s.x, n: 4 });
    expect(r.theta.every((v) => v === 0)).toBe(true);
    expect(r.condition).toBe(Infinity);
    const t = await layerStats(s.model, masks);
    expect(t.layers.find((l) => l.layer === 'conv2')!.collapsed).toBe(true);
    expect(t.layers.find((l) => l.layer === 'conv2')!.kept).toBe(0);
    expect(t.network.disconnected).toBe(true);
    disposeMap(masks);
    s.dispose();
  });
});

describe('NTK report', () => {
  it('defaults to n = 8, checks n, and frees its tensors', async () => {
    const s = setup({ kind: 'mlp', input: [1, 4, 4], hidden: [6], classes: 3 }, 10);
    const before = tf.memory().numTensors;
    const r = await ntkReport({ model: s.model, params: s.params, x: s.x });
    expect(r.n).toBe(DEFAULT_NTK_N);
    expect(r.size).toBe(DEFAULT_NTK_N * 3);
    expect(r.eigenvaluesDesc.length).toBe(r.size);
    for (let i = 1; i < r.size; i++) expect(r.eigenvaluesDesc[i]).toBeLessThanOrEqual(r.eigenvaluesDesc[i - 1]);
    const eigSum = r.eigenvaluesDesc.reduce((a, b) => a + b, 0);
    expect(Math.abs(eigSum - r.trace) / r.trace).toBeLessThan(1e-10);
    expect(r.condition).toBeCloseTo(r.eigenvaluesDesc[0] / r.minPositive, 8);
    await expect(ntkReport({ model: s.model, params: s.params, x: s.x, n: 11 })).rejects.toThrow(/only 10 inputs/);
    await expect(ntkReport({ model: s.model, params: s.params, x: s.x, n: 0 })).rejects.toThrow(/n must be/);
    expect(tf.memory().numTensors).toBe(before);
    s.dispose();
  });
});
