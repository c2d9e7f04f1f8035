// PX as released with the paper (px-2024) against the release itself (official commit 82ce2bf run
// with PyTorch 1.13 on CPU; test/fixtures/px2024/README.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScoreJob } from '../src/core/job';
import { buildModel } from '../src/core/models';
import { toFloat32, toInt32, type SafeFile } from '../src/shared/safetensors';
import { tf } from '../src/core/tf';
import { FIXTURES, readCase, readSafe, relL2 } from './fixtures';
import { px2024Squares } from '../src/core/pruners/px2024';
import { Rng } from '../src/core/rng';
import { initStateDict } from '../src/core/models/state';

const DIR = join(FIXTURES, 'px2024', 'public');

function job(weights: SafeFile, inputs: SafeFile) {
  const xs = inputs.tensors.get('x')!;
  return {
    stateDict: new Map([...weights.tensors].map(([k, v]) => [k, toFloat32(v)])),
    x: toFloat32(xs),
    xShape: xs.shape as [number, number, number, number],
    y: toInt32(inputs.tensors.get('y')!),
  };
}

describe('px-2024 reproduces the 2024 release (82ce2bf)', () => {
  it('ResNet-20 R1 at density 0.1 (public case, 20 images in one batch): scores within 1e-3, masks ≥ 99.9% equal', async () => {
    const c = readCase('resnet20');
    const model = buildModel(c.caseJson.arch);
    const before = tf.memory().numTensors;
    const res = await runScoreJob({ model, ...job(c.weights, c.inputs), method: 'px-2024', density: 0.1, rounds: 1 });
    expect(tf.memory().numTensors).toBe(before);
    const exp = readSafe(join(DIR, 'resnet20', 'px-2024_R1_d0.1.safetensors'));
    const got: number[] = [];
    const want: number[] = [];
    let same = 0;
    let total = 0;
    for (const l of model.prunable) {
      got.push(...res.scores.get(l.weight)!);
      want.push(...Array.from(exp.tensors.get(l.weight)!.data as Float32Array | Float64Array, Number));
      const wantMask = toFloat32(exp.tensors.get(`${l.module}.weight_mask`)!);
      const gotMask = res.masks.get(l.weight)!;
      for (let i = 0; i < wantMask.length; i++) same += Number(wantMask[i] === gotMask[i]);
      total += wantMask.length;
    }
    // the release itself moves by 7.4e-5 between float32 and float64 (px-2024.json)
    const err = relL2(got, want);
    expect(err).toBeLessThanOrEqual(1e-3);
    expect(same / total).toBeGreaterThanOrEqual(0.999);
    expect(res.kept).toBe(27090);
    expect(res.subsetIndices).toEqual([]);
    console.log(`px-2024 R1 ResNet-20: rel L2 ${err.toExponential(2)}, masks differ in ${total - same} of ${total}`);
  });

  it('ResNet-20, 256 Gaussian images in two batches of 128, 100 rounds to 0.018: no layer collapses, stages within ±25% and layers within ±50% (or ±20) of the release', async () => {
    const dir = join(DIR, 'resnet20_r100');
    const caseJson = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
    const model = buildModel(caseJson.arch);
    const t0 = performance.now();
    const res = await runScoreJob({
      model,
      ...job(readSafe(join(dir, 'weights.safetensors')), readSafe(join(dir, 'inputs.safetensors'))),
      method: 'px-2024',
      density: caseJson.density,
      rounds: caseJson.rounds,
      batchSize: 128,
      batchLimit: 2,
    });
    const want: Record<string, number> = caseJson.kept_per_layer_float32;
    const kept = res.rounds.at(-1)!.keptPerLayer;
    const rows = model.prunable.map((l, i) => ({ layer: l.weight, got: kept[i], want: want[l.weight] }));
    console.log(
      `px-2024 R100 ResNet-20 in ${((performance.now() - t0) / 1000).toFixed(0)} s:\n${rows.map((r) => `${r.layer} ${r.got} (release ${r.want})`).join('\n')}`,
    );
    // Per-layer counts after 100 training-mode rounds follow float32 rounding, not the recipe.
    // Measured (bench/suites/px-variants-drift.ts, bench/measured/px2024-r100-*): this run (images in
    // stored order) is −17%…+26% of the release (blocks.8.conv2 177 vs 140); the same run with the
    // images reversed inside each batch, which changes only the float32 summation order, is
    // −34%…+44% of the release and moves single layers against this run by −48%…+21%
    // (blocks.8.conv2 177 → 92). So the issue's per-layer ±25% (or ±20) is not a property of the
    // recipe: the per-layer bound is ±50% (the largest rounding-only move measured), and the
    // issue's ±25% holds for the three stages' totals (this run −8%…+6%, reversed −13%…+18%).
    const stage = (name: string) =>
      name.startsWith('blocks.') ? 1 + Math.floor(Number(name.split('.')[1]) / 3) : name === 'conv.weight' ? 1 : 4;
    for (const s of [1, 2, 3]) {
      const got = rows.filter((r) => stage(r.layer) === s).reduce((a, r) => a + r.got, 0);
      const wanted = rows.filter((r) => stage(r.layer) === s).reduce((a, r) => a + r.want, 0);
      expect(Math.abs(got - wanted), `stage ${s}: ${got} vs ${wanted}`).toBeLessThanOrEqual(0.25 * wanted);
    }
    for (const r of rows) {
      expect(r.want, r.layer).toBeGreaterThan(0);
      expect(r.got, r.layer).toBeGreaterThan(0);
      expect(Math.abs(r.got - r.want), r.layer).toBeLessThanOrEqual(Math.max(0.5 * r.want, 20));
    }
    expect(res.kept).toBe(caseJson.total_kept);
  }, 3_000_000);
});

describe('px-2024 on an analytic case', () => {
  it('the release name rule squares fc and the shortcut BatchNorm, not the bn* layers', () => {
    expect(
      ['fc.weight', 'fc.bias', 'l1.bias', 'conv.weight', 'blocks.3.shortcut.1.weight', 'blocks.0.shortcut.weight'].every(px2024Squares),
    ).toBe(true);
    expect(['bn.weight', 'blocks.0.bn1.running_var', 'conv1.weight_mask', 'fc.bias_mask'].some(px2024Squares)).toBe(false);
  });

  // One linear layer f(x) = Wx + b: z1 = f(x), z2 = W²x + b², so ∂Σz1·z2/∂(W²)_kj = Σ_n z1_nk x_nj
  // and the score is |Σ_n z1_nk x_nj| · |W_kj|⁵, summed over the first two batches only.
  it('linear net: score = |Σ_n f(x_n)_k x_nj| · |W_kj|⁵ over the first 2 batches of 3', async () => {
    const model = buildModel({ kind: 'mlp', input: [1, 2, 2], hidden: [], classes: 3 });
    const sd = initStateDict(model, 5);
    const rng = new Rng(11);
    const n = 9;
    const x = rng.fillNormal(new Float32Array(n * 4));
    const y = Int32Array.from({ length: n }, (_, i) => i % 3);
    const res = await runScoreJob({
      model,
      stateDict: sd,
      x,
      xShape: [n, 1, 2, 2],
      y,
      method: 'px-2024',
      density: 1,
      rounds: 1,
      batchSize: 3,
    });
    const W = sd.get('fc.weight')!; // [3, 4] PyTorch layout
    const b = sd.get('fc.bias')!;
    const want = new Float64Array(12);
    for (let k = 0; k < 3; k++) {
      for (let j = 0; j < 4; j++) {
        let g = 0;
        for (let i = 0; i < 6; i++) {
          let f = b[k];
          for (let t = 0; t < 4; t++) f += W[k * 4 + t] * x[i * 4 + t];
          g += f * x[i * 4 + j];
        }
        want[k * 4 + j] = Math.abs(g) * Math.abs(W[k * 4 + j]) ** 5;
      }
    }
    // float32 sums of 6 products: measured 8.6e-8, held to 1e-5
    expect(relL2(res.scores.get('fc.weight')!, want)).toBeLessThan(1e-5);
  });
});
