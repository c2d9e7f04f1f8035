// Invariants every pruner must keep, analytic small cases, and the shared masking rule.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runPruneJob } from '../src/core/job';
import type { ArrayData } from '../src/core/examples';
import { buildModel } from '../src/core/models';
import { initStateDict, toParamMap, disposeMap } from '../src/core/models/state';
import { kthSmallest, maskFromScores, prunedCount } from '../src/core/pruners/masking';
import { METHOD_NAMES as METHODS, type MethodId } from '../src/shared/methods';
import { syntheticDataset } from '../src/core/data/synthetic';
import { balancedSubset } from '../src/core/data/subset';
import { Rng } from '../src/core/rng';
import { tf } from '../src/core/tf';
import { NtkSapPruner } from '../src/core/pruners/ntksap';

const SPEC = { kind: 'convnet', input: [1, 6, 6], channels: [3, 4], strides: [1, 2], batchnorm: true, bias: false, classes: 4 } as const;

function data(seed = 0): { loss: ArrayData; subset: ArrayData } {
  const ds = syntheticDataset({ shape: [1, 6, 6], classes: 4, train: 40, test: 8, seed });
  const sub = balancedSubset(ds.labels('train'), 2);
  return {
    loss: ds.batch(
      'train',
      Array.from({ length: 16 }, (_, i) => i),
    ),
    subset: ds.batch('train', sub),
  };
}

describe('every method, on a small BN conv net', () => {
  const model = buildModel(SPEC as never);
  const total = model.prunable.reduce((a, l) => a + l.numel, 0);
  for (const method of METHODS) {
    it(`${method}: kept = N − k every round, masks only shrink, scores finite, tensors freed`, async () => {
      const { loss, subset } = data();
      const before = tf.memory().numTensors;
      let prevKept = total;
      const res = await runPruneJob({
        model,
        stateDict: initStateDict(model, 1),
        method,
        density: 0.2,
        rounds: 5,
        seed: 7,
        lossData: loss,
        subsetData: subset,
        onRound: (r) => {
          // ties at the threshold are pruned, so kept ≤ N − k
          expect(r.kept).toBeLessThanOrEqual(total - prunedCount(r.density, total));
          expect(r.kept).toBeLessThanOrEqual(prevKept);
          prevKept = r.kept;
        },
      });
      expect(tf.memory().numTensors).toBe(before);
      for (const s of res.scores.values()) for (const v of s) expect(Number.isFinite(v)).toBe(true);
      // GraSP is one-shot in the literature: over several rounds its pruned weights score 0, the
      // threshold can reach 0 and (ties pruned) everything goes, exactly as the official code does
      if (method !== 'grasp') expect(res.kept).toBeGreaterThan(0);
      if (method.startsWith('px') || method === 'synflow' || method === 'ntksap' || method === 'snip' || method === 'mag') {
        for (const s of res.scores.values()) for (const v of s) expect(v).toBeGreaterThanOrEqual(0);
      }
    });
  }

  it('the same seed gives the same masks; another seed changes random and NTK-SAP masks', async () => {
    const { loss, subset } = data();
    const masks = async (method: MethodId, seed: number) =>
      (
        await runPruneJob({
          model,
          stateDict: initStateDict(model, 1),
          method,
          density: 0.3,
          rounds: 2,
          seed,
          lossData: loss,
          subsetData: subset,
        })
      ).masks;
    for (const method of ['rand', 'ntksap', 'px', 'px-2024'] as const) {
      const a = await masks(method, 1);
      const b = await masks(method, 1);
      for (const l of model.prunable) expect(Array.from(a.get(l.weight)!)).toEqual(Array.from(b.get(l.weight)!));
    }
    for (const method of ['rand', 'ntksap'] as const) {
      const a = await masks(method, 1);
      const c = await masks(method, 2);
      expect(model.prunable.some((l) => a.get(l.weight)!.some((v, i) => v !== c.get(l.weight)![i]))).toBe(true);
    }
  });

  it('local scope keeps N_l − int((1−d)·N_l) in every layer', async () => {
    const { loss, subset } = data();
    const res = await runPruneJob({
      model,
      stateDict: initStateDict(model, 1),
      method: 'synflow',
      density: 0.25,
      rounds: 1,
      scope: 'local',
      lossData: loss,
      subsetData: subset,
    });
    model.prunable.forEach((l, i) => expect(res.rounds[0].keptPerLayer[i]).toBe(l.numel - prunedCount(0.25, l.numel)));
  });

  it('weights pruned in earlier rounds score exactly 0 later (SynFlow, PX, NTK-SAP)', async () => {
    const { loss, subset } = data();
    for (const method of ['synflow', 'px', 'ntksap'] as const) {
      const res = await runPruneJob({
        model,
        stateDict: initStateDict(model, 1),
        method,
        density: 0.1,
        rounds: 3,
        lossData: loss,
        subsetData: subset,
        seed: 3,
      });
      let zeros = 0;
      let prunedAndZero = true;
      for (const l of model.prunable) {
        const m = res.masks.get(l.weight)!;
        res.scores.get(l.weight)!.forEach((v, i) => {
          if (v === 0) {
            zeros++;
            if (m[i] !== 0) prunedAndZero = false;
          }
        });
      }
      expect(zeros).toBeGreaterThanOrEqual(total - res.rounds[1].kept);
      expect(prunedAndZero).toBe(true);
    }
  });
});

describe('NTK-SAP on a one-layer linear net (analytic)', () => {
  it('score = |∂ Σ‖(εΔ⊙m)ᵀx‖² / ∂m| = 2ε²|Δ_jk x_k Σ_l Δ_jl m_jl x_l| summed over samples', async () => {
    const model = buildModel({ kind: 'mlp', input: [1, 1, 3], hidden: [], classes: 2 });
    const params = toParamMap(model, initStateDict(model, 0));
    const masks = {
      'fc.weight': tf.tensor([
        [1, 0],
        [1, 1],
        [0, 1],
      ]),
    }; // tfjs layout [in, out]
    const eps = 0.5;
    const seed = 11;
    const x0 = tf.zeros([2, 1, 3, 1]) as tf.Tensor4D;
    const out = await new NtkSapPruner({ epsilon: eps, draws: 1 }).score({
      model,
      params,
      masks,
      lossBatches: [{ x: x0, y: tf.tensor1d([0, 1], 'int32') as tf.Tensor1D }],
      subsetBatches: [],
      rng: new Rng(seed),
      round: 0,
    });
    // replay the draws: fresh weights [in,out] (3×2, std √(2/3)), perturbation (ε), inputs N(0,1) of the batch shape
    const rng = new Rng(seed);
    rng.fillNormal(new Float32Array(6), Math.sqrt(2 / 3));
    const delta = rng.fillNormal(new Float32Array(6), eps);
    const x = rng.fillNormal(new Float32Array(6));
    const m = [1, 0, 1, 1, 0, 1];
    const want = new Float64Array(6);
    for (let s = 0; s < 2; s++) {
      for (let o = 0; o < 2; o++) {
        let diff = 0; // (Δ⊙m)ᵀx for output o (the bias cancels)
        for (let i = 0; i < 3; i++) diff += delta[i * 2 + o] * m[i * 2 + o] * x[s * 3 + i];
        for (let i = 0; i < 3; i++) want[i * 2 + o] += 2 * diff * delta[i * 2 + o] * x[s * 3 + i];
      }
    }
    const got = out.scores['fc.weight'].dataSync();
    for (let i = 0; i < 6; i++) expect(got[i]).toBeCloseTo(m[i] ? Math.abs(want[i]) : 0, 4);
    disposeMap(out.scores);
    disposeMap(params);
    masks['fc.weight'].dispose();
  });
});

describe('masking rule (official): k = int((1−d)·N) smallest pruned, ties at the threshold pruned', () => {
  it('kthSmallest equals sorting (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true }), { minLength: 1, maxLength: 200 }), fc.nat(), (vals, r) => {
        const a = Float32Array.from(vals);
        const k = (r % a.length) + 1;
        const sorted = Float32Array.from(a).sort();
        expect(kthSmallest(a, k)).toBe(sorted[k - 1]);
      }),
    );
  });
  it('distinct scores keep exactly N − k; ties at the threshold are all pruned (property)', async () => {
    const model = buildModel({ kind: 'mlp', input: [1, 1, 4], hidden: [3], classes: 2 });
    const n = 4 * 3 + 3 * 2;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: n, maxLength: n }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        async (vals, d) => {
          const scores = { 'l1.weight': tf.tensor(vals.slice(0, 12), [4, 3]), 'fc.weight': tf.tensor(vals.slice(12), [3, 2]) };
          const ones = { 'l1.weight': tf.ones([4, 3]), 'fc.weight': tf.ones([3, 2]) };
          const res = await maskFromScores(model, scores, ones, d, 'global');
          const k = prunedCount(d, n);
          const kept = [...res.masks['l1.weight'].dataSync(), ...res.masks['fc.weight'].dataSync()].reduce((a, b) => a + b, 0);
          if (k < 1) expect(kept).toBe(n);
          else {
            const thr = Float32Array.from(vals).sort()[k - 1];
            expect(kept).toBe(vals.filter((v) => v > thr).length);
            expect(kept).toBeLessThanOrEqual(n - k);
          }
          disposeMap(scores);
          disposeMap(ones);
          disposeMap(res.masks);
        },
      ),
      { numRuns: 60 },
    );
  });
});
