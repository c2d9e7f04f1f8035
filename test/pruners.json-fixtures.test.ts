// Every pruner against the JSON fixtures of the official code (shared/fixtures/*.json): dense
// scores of one round, R1/R10 masks, PX's intermediate outputs, and the documented degeneracy
// of the official PX on BatchNorm networks.
import { describe, expect, it } from 'vitest';
import { runScoreJob } from '../src/core/job';
import { buildModel, type Model } from '../src/core/models';
import { nchwTensor } from '../src/core/models/input';
import { StandardOps } from '../src/core/models/ops';
import { disposeMap, toParamMap, type StateDict } from '../src/core/models/state';
import { pxTransforms } from '../src/core/pruners/px';
import { tf } from '../src/core/tf';
import { readJsonFixture, relL2 } from './fixtures';
import type { MethodId } from '../src/shared/methods';

const ARCH = {
  mlp: { kind: 'mlp', input: [3, 32, 32], hidden: [16, 16], classes: 10 },
  conv: { kind: 'convnet', input: [3, 8, 8], channels: [8, 16], strides: [1, 2], batchnorm: true, bias: false, classes: 10 },
  conv_nobn: { kind: 'convnet', input: [3, 8, 8], channels: [8, 16], strides: [1, 2], batchnorm: false, bias: true, classes: 10 },
} as const;
type Small = keyof typeof ARCH;

function load(name: Small) {
  const j = readJsonFixture(name);
  const model = buildModel(ARCH[name] as never);
  const sd: StateDict = new Map(
    Object.entries(j.initial_state as Record<string, { data: number[] }>).map(([k, v]) => [k, Float32Array.from(v.data)]),
  );
  return {
    j,
    model,
    sd,
    x: Float32Array.from(j.inputs.data as number[]),
    y: Int32Array.from(j.inputs.labels as number[]),
    shape: j.inputs.shape as [number, number, number, number],
  };
}

const FILE_METHOD: Record<string, MethodId> = { Mag: 'mag', SNIP: 'snip', GraSP: 'grasp', SynFlow: 'synflow', PX: 'px' };

async function run(name: Small, pruner: string, rounds: number, method = FILE_METHOD[pruner]) {
  const f = load(name);
  // the JSON cases use batch 16 for SNIP/GraSP and examples_per_class 1 for PX (samples 0..9)
  const res = await runScoreJob({
    model: f.model,
    stateDict: f.sd,
    x: f.x,
    xShape: f.shape,
    y: f.y,
    method,
    density: 0.1,
    rounds,
    examplesPerClass: 1,
  });
  return { f, res };
}

function flat(model: Model, m: Map<string, Float32Array>): number[] {
  return model.prunable.flatMap((l) => Array.from(m.get(l.weight)!));
}

describe('JSON fixtures: dense scores of one round', () => {
  const cases: Array<[Small, string, number]> = [
    ['mlp', 'Mag', 1e-6],
    ['mlp', 'SNIP', 1e-4],
    ['mlp', 'GraSP', 1e-4],
    ['mlp', 'SynFlow', 1e-4],
    ['mlp', 'PX', 1e-4],
    ['conv_nobn', 'Mag', 1e-6],
    ['conv_nobn', 'SNIP', 1e-4],
    ['conv_nobn', 'GraSP', 1e-4],
    ['conv_nobn', 'SynFlow', 1e-4],
    ['conv_nobn', 'PX', 1e-4],
    ['conv', 'Mag', 1e-6],
    ['conv', 'SNIP', 1e-3],
    ['conv', 'SynFlow', 1e-4],
  ];
  for (const [name, pruner, tol] of cases) {
    it(`${name} ${pruner} within ${tol} relative L2 (JSON keeps 7 digits)`, async () => {
      const { f, res } = await run(name, pruner, 1);
      const want = (f.j.scores[pruner] as Array<{ data: number[] }>).flatMap((s) => s.data);
      expect(relL2(flat(f.model, res.scores), want)).toBeLessThanOrEqual(tol === 0 ? 0 : tol);
    });
  }
  it('conv GraSP within 1e-3 after scale normalisation (its |Σ| denominator amplifies float32 noise)', async () => {
    const { f, res } = await run('conv', 'GraSP', 1);
    const got = flat(f.model, res.scores);
    const want = (f.j.scores.GraSP as Array<{ data: number[] }>).flatMap((s) => s.data);
    const norm = (a: number[]) => {
      const n = Math.hypot(...a);
      return a.map((v) => v / n);
    };
    expect(relL2(norm(got), norm(want))).toBeLessThan(1e-3);
  });
});

describe('JSON fixtures: masks (R1 and R10) are identical', () => {
  const runs: Array<[Small, string, number]> = [];
  for (const name of ['mlp', 'conv_nobn'] as const)
    for (const [p, r] of [
      ['Mag', 1],
      ['SNIP', 1],
      ['GraSP', 1],
      ['SynFlow', 1],
      ['SynFlow', 10],
      ['PX', 1],
      ['PX', 10],
    ] as const)
      runs.push([name, p, r]);
  for (const [p, r] of [
    ['Mag', 1],
    ['SNIP', 1],
    ['GraSP', 1],
    ['SynFlow', 1],
    ['SynFlow', 10],
  ] as const)
    runs.push(['conv', p, r]);
  for (const [name, pruner, rounds] of runs) {
    it(`${name} ${pruner}_R${rounds}`, async () => {
      const { f, res } = await run(name, pruner, rounds);
      const want = f.j.masks[`${pruner}_R${rounds}`];
      expect(res.kept).toBe(want.kept_total);
      const wantMask = (want.layers as Array<{ mask: number[] }>).flatMap((l) => l.mask);
      expect(flat(f.model, res.masks)).toEqual(wantMask);
      // the schedule: same k per round as the official loop
      expect(res.rounds.map((r) => r.k)).toEqual(want.per_round.map((r: { k: number }) => r.k));
    });
  }
});

function pxCopies(model: Model, sd: StateDict, x: Float32Array, shape: number[], idx: number[], bn: 'train' | 'eval') {
  return tf.tidy(() => {
    const params = toParamMap(model, sd);
    const [, c, h, w] = shape;
    const per = c * h * w;
    const xs = new Float32Array(idx.length * per);
    idx.forEach((i, j) => xs.set(x.subarray(i * per, (i + 1) * per), j * per));
    const xt = nchwTensor(xs, [idx.length, c, h, w]);
    const gates: tf.Tensor[] = [];
    const act = model.forward(
      xt,
      new StandardOps({ params, bn: 'eval', activation: (t) => (gates.push(tf.cast(tf.greater(t, 0), 'float32')), tf.relu(t)) }),
    );
    const map = (f: (t: tf.Tensor) => tf.Tensor) =>
      Object.fromEntries(Object.entries(params).map(([k, v]) => [k, pxTransforms(k) ? f(v) : v]));
    const z1 = model.forward(
      tf.square(xt),
      new StandardOps({ params: map((t) => tf.onesLike(t)), bn, activation: (t, s) => tf.mul(t, gates[s]) }),
    );
    const z2 = model.forward(tf.onesLike(xt), new StandardOps({ params: map((t) => tf.square(t)), bn, activation: (t) => t }));
    return { act: Array.from(act.dataSync()), z1: Array.from(z1.dataSync()), z2: Array.from(z2.dataSync()) };
  });
}

describe('PX intermediates (the three copies) match the official round-1 outputs', () => {
  for (const name of ['mlp', 'conv_nobn'] as const) {
    it(`${name}: act_logits, z1, z2`, () => {
      const f = load(name);
      const got = pxCopies(f.model, f.sd, f.x, f.shape, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'train');
      const want = f.j.px_intermediates_round1;
      for (const k of ['act', 'z1', 'z2'] as const) expect(relL2(got[k], want[k === 'act' ? 'act_logits' : k].data)).toBeLessThan(1e-5);
    });
  }
  it('conv (BN): official PX copies in train mode give z2 == fc.bias for every sample (the degeneracy)', () => {
    const f = load('conv');
    const got = pxCopies(f.model, f.sd, f.x, f.shape, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'train');
    const bias = f.sd.get('fc.bias')!;
    got.z2.forEach((v, i) => expect(Math.abs(v - bias[i % 10])).toBeLessThan(1e-6));
    expect(relL2(got.z1, f.j.px_intermediates_round1.z1.data)).toBeLessThan(1e-5);
  });
  it('conv (BN): px-official scores are float noise (≈0), px scores are not', async () => {
    const off = await run('conv', 'PX', 1, 'px-official');
    const px = await run('conv', 'PX', 1, 'px');
    const maxOff = Math.max(...flat(off.f.model, off.res.scores));
    const maxPx = Math.max(...flat(px.f.model, px.res.scores));
    expect(maxOff).toBeLessThan(1e-5); // official float32: max 4.7e-7, float64: 4e-16
    expect(maxPx).toBeGreaterThan(1e3 * Math.max(maxOff, 1e-30));
  });
});

describe('resnet20.json (official code, per-layer summaries)', () => {
  const j = readJsonFixture('resnet20');
  const model = buildModel('resnet20');
  const b64 = (s: string) => {
    const b = Buffer.from(s, 'base64');
    return new Float32Array(Uint8Array.from(b).buffer);
  };
  const sd: StateDict = new Map(
    Object.entries(j.initial_state_base64_f32le.tensors as Record<string, { b64: string }>).map(([k, v]) => [k, b64(v.b64)]),
  );
  const x = b64(j.inputs.b64_f32le);
  const y = Int32Array.from(j.inputs.labels as number[]);
  const job = (method: MethodId, rounds: number) =>
    runScoreJob({ model, stateDict: sd, x, xShape: [20, 3, 32, 32], y, method, density: 0.1, rounds });

  it('SynFlow R1: per-layer sums, maxima and first values within 1e-4; R10 kept per layer exact', async () => {
    const r1 = await job('synflow', 1);
    for (const s of j.scores.SynFlow as Array<{ name: string; sum: number; max: number; first8: number[] }>) {
      const got = r1.scores.get(s.name)!;
      expect(Math.abs(got.reduce((a, b) => a + b, 0) / s.sum - 1)).toBeLessThan(1e-4);
      expect(Math.abs(Math.max(...got) / s.max - 1)).toBeLessThan(1e-4);
      expect(relL2(Array.from(got.subarray(0, 8)), s.first8)).toBeLessThan(1e-4);
    }
    const r10 = await job('synflow', 10);
    expect(r10.rounds[9].keptPerLayer).toEqual((j.masks.SynFlow_R10.kept_per_layer as Array<{ kept: number }>).map((l) => l.kept));
  });

  it('px-official on ResNet-20 is degenerate as documented (scores ≈ 0)', async () => {
    const r = await job('px-official', 1);
    const max = Math.max(...model.prunable.map((l) => Math.max(...r.scores.get(l.weight)!)));
    expect(max).toBeLessThan(1e-2); // official float32: 8.9e-4, float64: 1.3e-12
  });
});

it('PX copies free their tensors', () => {
  const f = load('mlp');
  const before = tf.memory().numTensors;
  pxCopies(f.model, f.sd, f.x, f.shape, [0, 1, 2], 'eval');
  expect(tf.memory().numTensors).toBe(before);
  disposeMap({});
});
