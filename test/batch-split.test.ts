// Whether a pruning batch may be split into micro-batches whose gradients are accumulated: the
// memory guard (src/worker/memory.ts) relies on the answer. Without BatchNorm every example's
// loss is its own, so the sum of micro-batch gradients is the full-batch gradient and the
// normalised scores of SNIP/GraSP (and the sum-reduced objective of PX as published) are the same
// as on one batch, to float32 rounding. With BatchNorm in training mode (how SNIP, GraSP and PX as
// published run, as the official code does) each example's output depends on the statistics of
// its whole batch, gradient included: a split batch gives other scores, so the guard never splits.
import { describe, expect, it } from 'vitest';
import { concatTyped } from '../src/core/concat';
import { runPruneJob } from '../src/core/job';
import { buildModel } from '../src/core/models';
import { initStateDict } from '../src/core/models/state';
import { syntheticDataset } from '../src/core/data/synthetic';
import type { MethodId } from '../src/shared/methods';

const BATCH = 8;
const PARTS = 2;

async function scores(spec: object, method: MethodId, batchSize: number): Promise<Float32Array> {
  const model = buildModel(spec as never);
  const ds = syntheticDataset({ shape: model.input as [number, number, number], classes: model.classes, train: BATCH, test: 4, seed: 3 });
  const loss = ds.batch(
    'train',
    Array.from({ length: BATCH }, (_, i) => i),
  );
  const res = await runPruneJob({
    model,
    stateDict: initStateDict(model, 5),
    method,
    density: 0.5,
    rounds: 1,
    lossData: loss,
    batchSize,
    batchLimit: BATCH / batchSize,
  });
  return concatTyped(Float32Array, [...res.scores.values()]);
}

/** Largest |a − b| relative to the largest |b|. */
function relErr(a: Float32Array, b: Float32Array): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / scale;
}

const NO_BN = { kind: 'convnet', input: [1, 6, 6], channels: [3, 4], strides: [1, 2], batchnorm: false, bias: false, classes: 4 };
const BN = { ...NO_BN, batchnorm: true };
// largest error relative to the largest score, 2 × 4 against 1 × 8 (wasm, as measured): without
// BatchNorm SNIP 1.6e-7, GraSP 1.4e-6 (float32 rounding: GraSP's Hg is a difference of products);
// with BatchNorm SNIP 0.086, GraSP 1.70
const SPLIT_TOL = 1e-5;

describe('a batch split in micro-batches, gradients accumulated', () => {
  for (const method of ['snip', 'grasp'] as const) {
    it(`${method}: without BatchNorm the scores equal one batch's`, async () => {
      const one = await scores(NO_BN, method, BATCH);
      const split = await scores(NO_BN, method, BATCH / PARTS);
      expect(relErr(split, one)).toBeLessThan(SPLIT_TOL);
    });
    it(`${method}: with BatchNorm in training mode they do not (batch statistics differ)`, async () => {
      const one = await scores(BN, method, BATCH);
      const split = await scores(BN, method, BATCH / PARTS);
      expect(relErr(split, one)).toBeGreaterThan(100 * SPLIT_TOL);
    });
  }
});
