// Iterative magnitude pruning with rewinding on a case small enough to do by hand: a linear
// classifier (fc 2×3 with a bias), one batch of two examples, one SGD step a round (momentum's
// first step is the gradient itself). Round 1 trains from the initial weights and keeps the
// largest |W'|; round 2 REWINDS to the initial weights, trains under round 1's mask and keeps the
// largest |W''| among the survivors. The expected masks come from a float64 re-derivation here.
import { describe, expect, it } from 'vitest';
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

describe('IMP with rewinding to initialisation', () => {
  it('two rounds to 25%: masks equal the hand derivation (round 2 retrains from W0, not from round 1)', async () => {
    const sd = initStateDict(model, 0);
    sd.set('fc.weight', Float32Array.from(W0));
    sd.set('fc.bias', new Float32Array(2));
    const ones = [1, 1, 1, 1, 1, 1];
    // round 1: density 0.25^(1/2) = 0.5 prunes int(0.5·6) = 3; round 2: 0.25 prunes int(0.75·6) = 4
    const m1 = keepLargest(stepByHand(ones), ones, 3);
    const m2 = keepLargest(stepByHand(m1), m1, 2);
    const masks: Float32Array[] = [];
    const before = tf.memory().numTensors;
    const res = await runPruneJob({
      model,
      stateDict: sd,
      method: 'imp',
      density: 0.25,
      rounds: 2,
      lossData: { x: Float32Array.from(X.flat()), shape: [2, 1, 1, 3], y: Int32Array.from(Y) },
      batchSize: 2,
      onRound: async (_i, reads) => void masks.push(await reads.mask()),
    });
    expect(tf.memory().numTensors).toBe(before);
    // the round's flat read is in tfjs layout ([in, out]): back to PyTorch's [out, in]
    expect(Array.from({ length: 6 }, (_, k) => masks[0][(k % 3) * 2 + Math.floor(k / 3)])).toEqual(m1);
    expect(Array.from(res.masks.get('fc.weight')!)).toEqual(m2);
    // the training matters: magnitude at initialisation keeps another mask
    expect(keepLargest(W0, ones, 3)).not.toEqual(m1);
  });
});
