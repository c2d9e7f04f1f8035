// Iterative magnitude pruning with rewinding on a case small enough to do by hand: a linear
// classifier (fc 2×3 with a bias), one batch of two examples, one SGD step a round (momentum's
// first step is the gradient itself). Round 1 trains from the initial weights and keeps the
// largest |W'|; round 2 REWINDS to the initial weights, trains under round 1's mask and keeps the
// largest |W''| among the survivors. The expected masks come from a float64 re-derivation here.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planId } from '../src/shared/sweep';
import { runCli } from './cliHarness';
import { openDatasetForCli } from '../src/cli/datasets';
import { pruneCell, runSweepCell } from '../src/core/train';
import { DEFAULT_CONFIG } from '../src/shared/config';
import { planCells } from '../src/shared/train';
import { DEFAULT_TRAIN_SETTINGS, sweepPlanOf, trainCommand, trainPlanOf } from '../src/shared/trainSettings';
import { runPruneJob } from '../src/core/job';
import { buildModel } from '../src/core/models';
import { initStateDict } from '../src/core/models/state';
import { IMP_SGD } from '../src/core/pruners/imp';
import { tf } from '../src/core/tf';

const model = buildModel({ kind: 'mlp', input: [1, 1, 3], hidden: [], classes: 2 });
const W0 = [0.3, -0.2, 0.5, -0.4, 0.1, 0.25]; // [2, 3] row-major (PyTorch layout)
const X = [
  [1, 2, -1],
  [0.5, -1, 2],
];
const Y = [0, 1];

/** One SGD step of mean cross-entropy from W0 (bias 0) under `mask`: W0 − lr·(∇W⊙mask + wd·W0). */
function stepByHand(mask: number[]): number[] {
  const grad = new Array(6).fill(0);
  X.forEach((x, i) => {
    const z = [0, 1].map((c) => [0, 1, 2].reduce((a, j) => a + W0[c * 3 + j] * mask[c * 3 + j] * x[j], 0));
    const e = z.map((v) => Math.exp(v - Math.max(...z)));
    const p = e.map((v) => v / (e[0] + e[1]));
    for (let c = 0; c < 2; c++) for (let j = 0; j < 3; j++) grad[c * 3 + j] += ((p[c] - (Y[i] === c ? 1 : 0)) * x[j]) / X.length;
  });
  return W0.map((w, k) => w - IMP_SGD.lr * (grad[k] * mask[k] + IMP_SGD.weightDecay * w));
}

/** Keep the `keep` largest |w|·mask (the official rule: prune the N − keep smallest). */
function keepLargest(w: number[], mask: number[], keep: number): number[] {
  const s = w.map((v, k) => Math.abs(v) * mask[k]);
  const order = [...s.keys()].sort((a, b) => s[b] - s[a]);
  // no near-tie at the cut: the masks below are exact
  expect(s[order[keep - 1]] - s[order[keep]]).toBeGreaterThan(1e-3);
  return s.map((_, k) => (order.indexOf(k) < keep ? 1 : 0));
}

/** IMP on X, Y from `sd` (two rounds to 25% unless told), with every round's mask in PyTorch
 * layout; checks that nothing is left allocated. */
async function runImp(
  sd: ReturnType<typeof initStateDict>,
  o: { batchSize: number; impRewind?: number; rounds?: number; density?: number },
) {
  const masks: number[][] = [];
  const before = tf.memory().numTensors;
  const res = await runPruneJob({
    model,
    stateDict: sd,
    method: 'imp',
    density: o.density ?? 0.25,
    rounds: o.rounds ?? 2,
    impRewind: o.impRewind,
    lossData: { x: Float32Array.from(X.flat()), shape: [2, 1, 1, 3], y: Int32Array.from(Y) },
    batchSize: o.batchSize,
    // the round's flat read is in tfjs layout ([in, out]): back to PyTorch's [out, in]
    onRound: async (_i, reads) => {
      const m = await reads.mask();
      masks.push(Array.from({ length: 6 }, (_, k) => m[(k % 3) * 2 + Math.floor(k / 3)]));
    },
  });
  expect(tf.memory().numTensors).toBe(before);
  return { res, masks };
}

describe('IMP with rewinding to initialisation', () => {
  it('two rounds to 25%: masks equal the hand derivation (round 2 retrains from W0, not from round 1)', async () => {
    const sd = initStateDict(model, 0);
    sd.set('fc.weight', Float32Array.from(W0));
    sd.set('fc.bias', new Float32Array(2));
    const ones = [1, 1, 1, 1, 1, 1];
    // round 1: density 0.25^(1/2) = 0.5 prunes int(0.5·6) = 3; round 2: 0.25 prunes int(0.75·6) = 4
    const m1 = keepLargest(stepByHand(ones), ones, 3);
    const m2 = keepLargest(stepByHand(m1), m1, 2);
    const { res, masks } = await runImp(sd, { batchSize: 2 });
    expect(masks[0]).toEqual(m1);
    expect(Array.from(res.masks.get('fc.weight')!)).toEqual(m2);
    // the training matters: magnitude at initialisation keeps another mask
    expect(keepLargest(W0, ones, 3)).not.toEqual(m1);
  });
});

// Rewinding to iteration j = 1 (Frankle et al. 2020) on the same classifier, now with two
// batches of one example (T = 2 steps a round): θ1 is W0, b0 after one dense step on batch 0;
// every round restarts at θ1 (fresh momentum), trains step 1 on batch 1 under the mask, keeps the
// largest |W|; the ticket is the last mask with θ1. Re-derived in float64 here.
describe('IMP with rewinding to iteration j = 1', () => {
  const B0 = [0.1, -0.3];
  type Net = { w: number[]; b: number[]; buf?: number[] };
  /** One step of torch.optim.SGD on example i under mask (buf: the momentum buffer, absent on a
   * fresh optimiser): g = ∇ + wd·θ, buf = g or m·buf + g, θ ← θ − lr·buf. */
  function step(net: Net, mask: number[], i: number): Net {
    const { w, b } = net;
    const x = X[i];
    const z = [0, 1].map((c) => b[c] + [0, 1, 2].reduce((a, j) => a + w[c * 3 + j] * mask[c * 3 + j] * x[j], 0));
    const e = z.map((v) => Math.exp(v - Math.max(...z)));
    const d = e.map((v, c) => v / (e[0] + e[1]) - (Y[i] === c ? 1 : 0)); // ∂loss/∂z
    const theta = [...w, ...b];
    const grad = [...w.map((_, k) => d[Math.floor(k / 3)] * x[k % 3] * mask[k]), ...d];
    const g = grad.map((v, k) => v + IMP_SGD.weightDecay * theta[k]);
    const buf = net.buf ? g.map((v, k) => IMP_SGD.momentum * net.buf![k] + v) : g;
    const next = theta.map((v, k) => v - IMP_SGD.lr * buf[k]);
    return { w: next.slice(0, 6), b: next.slice(6), buf };
  }
  const fresh = (n: Net): Net => ({ w: n.w, b: n.b });

  it('two rounds to 25%: masks and the ticket weights θ1 equal the hand derivation', async () => {
    const sd = initStateDict(model, 0);
    sd.set('fc.weight', Float32Array.from(W0));
    sd.set('fc.bias', Float32Array.from(B0));
    const ones = [1, 1, 1, 1, 1, 1];
    const theta1 = fresh(step({ w: W0, b: B0 }, ones, 0));
    const m1 = keepLargest(step(theta1, ones, 1).w, ones, 3);
    const m2 = keepLargest(step(theta1, m1, 1).w, m1, 2);
    const { res, masks } = await runImp(sd, { batchSize: 1, impRewind: 1 });
    expect(masks[0]).toEqual(m1);
    expect(Array.from(res.masks.get('fc.weight')!)).toEqual(m2);
    // the ticket's weights: θ1 (PyTorch layout), the same for every round
    const w = Array.from(res.weights!.get('fc.weight')!);
    const b = Array.from(res.weights!.get('fc.bias')!);
    w.forEach((v, k) => expect(v).toBeCloseTo(theta1.w[k], 6));
    b.forEach((v, c) => expect(v).toBeCloseTo(theta1.b[c], 6));
    expect(w).not.toEqual(W0);
    // rewinding to 0 on the same data: both steps every round (momentum carried), no ticket weights
    const { res: r0 } = await runImp(sd, { batchSize: 1 });
    expect(r0.weights).toBeUndefined();
    const r0m1 = keepLargest(step(step({ w: W0, b: B0 }, ones, 0), ones, 1).w, ones, 3);
    const r0m2 = keepLargest(step(step({ w: W0, b: B0 }, r0m1, 0), r0m1, 1).w, r0m1, 2);
    expect(Array.from(r0.masks.get('fc.weight')!)).toEqual(r0m2);
  });

  it('refuses a rewind point outside the round', async () => {
    const sd = initStateDict(model, 0);
    await expect(runImp(sd, { batchSize: 1, impRewind: 8 })).rejects.toThrow(/rewind step must be an integer in 0\.\.7/);
    await expect(runImp(sd, { batchSize: 1, impRewind: 2 })).rejects.toThrow(/more training batches than its rewind step 2/);
  });
});

describe('--imp-rewind in px-lab', () => {
  const dir = mkdtempSync(join(tmpdir(), 'imp-rewind-'));
  const grid = ['sweep', '--arch', 'mlp', '--dataset', 'mnist', '--methods', 'imp,snip', '--densities', '0.1'];
  const planOf = async (extra: string[], name: string) => {
    const r = await runCli([...grid, ...extra, '--plan', join(dir, name)]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(readFileSync(join(dir, name), 'utf8'));
  };

  it('enters the sweep plan and its id only when j > 0', async () => {
    const plain = await planOf([], 'p0.json');
    const zero = await planOf(['--imp-rewind', '0'], 'pz.json');
    const three = await planOf(['--imp-rewind', '3'], 'p3.json');
    expect(plain.plan.impRewind).toBeUndefined();
    expect(zero.planId).toBe(plain.planId);
    expect(three.plan.impRewind).toBe(3);
    expect(three.planId).not.toBe(plain.planId);
    expect(three.planId).toBe(planId(three.plan));
    // the page's Sweep tab builds the same plan from the same settings (its rewind input at 3, or 0)
    const cfg = { ...DEFAULT_CONFIG, model: 'mlp' as const, dataset: 'mnist' as const, seed: 0, rounds: 100, oneShotRounds: 1 };
    const page = (impRewind: number) =>
      sweepPlanOf(cfg, { ...DEFAULT_TRAIN_SETTINGS, sweepMethods: ['imp', 'snip'], sweepDensities: [0.1], sweepSeeds: 3, impRewind });
    expect(page(3)).toEqual(three.plan);
    expect(planId(page(0))).toBe(plain.planId);
  });

  it("px-lab train as the page's Train tab writes it (--imp-rewind J) trains the sweep cell's ticket: same accuracy and loss", async () => {
    const cfg = {
      ...DEFAULT_CONFIG,
      model: 'mlp' as const,
      dataset: 'mnist' as const,
      methods: ['imp' as const],
      density: 0.1,
      rounds: 2,
      seed: 3,
    };
    const settings = { ...DEFAULT_TRAIN_SETTINGS, budget: 'steps' as const, steps: 1, trainBatch: 64, dense: false, impRewind: 3 };
    const plan = trainPlanOf(cfg, settings);
    const command = trainCommand(plan, 'imp');
    expect(command).toContain('--imp-rewind 3');
    const log = join(dir, 'imp.json');
    const argv = command
      .replace(/^npx px-lab /, '')
      .replace('--out imp.safetensors --log imp.json', `--out ${join(dir, 'imp.safetensors')} --log ${log}`)
      .split(' ');
    const r = await runCli(argv);
    expect(r.code, r.stderr).toBe(0);
    const cli = JSON.parse(readFileSync(log, 'utf8'));
    expect(cli.imp_rewind).toBe(3);
    const mlp = buildModel('mlp');
    const dataset = await openDatasetForCli('mnist', mlp, 3);
    const cell = await runSweepCell({ plan, cell: planCells(plan)[0], model: mlp, dataset, backend: tf.getBackend() });
    expect([cli.test_accuracy, cli.test_loss]).toEqual([cell.testAccuracy, cell.testLoss]);
  }, 120_000);

  it('refuses a rewind outside 0..7 or without imp, in one line', async () => {
    const x = join(dir, 'x.json');
    for (const [argv, msg] of [
      [
        `sweep --arch mlp --dataset mnist --methods imp,snip --densities 0.1 --imp-rewind 8 --plan ${x}`,
        /--imp-rewind.*an integer in 0\.\.7/,
      ],
      [`sweep --arch mlp --dataset mnist --methods snip --imp-rewind 2 --plan ${x}`, /add imp to --methods/],
      [`prune --arch mlp --dataset mnist --method snip --density 0.1 --imp-rewind 2 --out ${join(dir, 'm.safetensors')}`, /imp setting/],
      [
        `train --arch mlp --dataset mnist --method snip --density 0.1 --epochs 1 --imp-rewind 2 --out ${join(dir, 't.safetensors')}`,
        /imp setting/,
      ],
      [
        `train --arch mlp --dataset mnist --method imp --density 0.1 --epochs 1 --imp-rewind 8 --out ${x}`,
        /--imp-rewind.*an integer in 0\.\.7/,
      ],
    ] as const) {
      const r = await runCli(argv.split(' '));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('a sweep cell trains the rewound ticket', () => {
  it('pruneCell hands out θ_j for imp with impRewind > 0 (not the initial weights), nothing at j = 0', async () => {
    const mlp = buildModel('mlp');
    const dataset = await openDatasetForCli('synthetic', mlp, 3);
    const settings = { ...DEFAULT_TRAIN_SETTINGS, budget: 'steps' as const, steps: 1, trainBatch: 32, dense: false };
    const base = trainPlanOf({ ...DEFAULT_CONFIG, dataset: 'synthetic', methods: ['imp'], rounds: 2, batchSize: 16, seed: 3 }, settings);
    const cell = planCells(base)[0];
    const init = initStateDict(mlp, cell.seed);
    const at0 = await pruneCell({ plan: base, cell, model: mlp, dataset }, init);
    const at2 = await pruneCell({ plan: { ...base, impRewind: 2 }, cell, model: mlp, dataset }, init);
    expect(at0!.weights).toBeUndefined();
    const w = at2!.weights!.get('l1.weight')!;
    const w0 = init.get('l1.weight')!;
    expect(w.length).toBe(w0.length);
    expect(w.some((v, i) => v !== w0[i])).toBe(true);
    expect(at2!.kept).toBe(at0!.kept);
  }, 120_000);
});
