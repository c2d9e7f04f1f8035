// The one pruning driver (core/job.ts runPruneJob) and the one example selection
// (core/examples.ts) that the CLI, sweep cells and the page's worker share.
import { describe, expect, it } from 'vitest';
import { syntheticDataset } from '../src/core/data/synthetic';
import { pruneExamples, requestExamples } from '../src/core/examples';
import { runPruneJob } from '../src/core/job';
import { buildModel } from '../src/core/models';
import { initStateDict, torchToTf } from '../src/core/models/state';
import { tf } from '../src/core/tf';

const model = buildModel({
  kind: 'convnet',
  input: [1, 6, 6],
  channels: [3, 4],
  strides: [1, 2],
  batchnorm: true,
  bias: false,
  classes: 4,
});
const ds = syntheticDataset({ shape: [1, 6, 6], classes: 4, train: 40, test: 8, seed: 0 });
const settings = { seed: 5, batchSize: 8, examplesPerClass: 2 };

describe('runPruneJob hands every round its masks and scores, and frees them', () => {
  for (const method of ['synflow', 'px', 'snip'] as const) {
    it(`${method}: the last round's reads are the result; flatOnly gives the same mask`, async () => {
      const ex = pruneExamples(ds, method, settings);
      const job = {
        model,
        stateDict: initStateDict(model, 1),
        method,
        density: 0.3,
        rounds: 3,
        seed: 2,
        batchSize: settings.batchSize,
        lossData: ex.lossData,
        subsetData: ex.subsetData,
      };
      const before = tf.memory().numTensors;
      let last: { mask: Float32Array; scores: Float32Array } | null = null;
      const seen: number[] = [];
      const full = await runPruneJob({
        ...job,
        onRound: async (info, reads) => {
          seen.push(info.round);
          last = { mask: await reads.mask(), scores: await reads.scores() };
        },
      });
      const flat = await runPruneJob({ ...job, flatOnly: true });
      expect(tf.memory().numTensors).toBe(before);
      expect(seen).toEqual([0, 1, 2]);
      expect(Array.from(last!.mask)).toEqual(Array.from(full.flatMask));
      expect(Array.from(flat.flatMask)).toEqual(Array.from(full.flatMask));
      expect(flat.masks.size).toBe(0);
      // the flat mask is the PyTorch-layout masks in tfjs layout, model order; scores likewise
      let off = 0;
      for (const l of model.prunable) {
        expect(Array.from(torchToTf(l, full.masks.get(l.weight)!))).toEqual(Array.from(full.flatMask.subarray(off, off + l.numel)));
        expect(Array.from(torchToTf(l, full.scores.get(l.weight)!))).toEqual(Array.from(last!.scores.subarray(off, off + l.numel)));
        off += l.numel;
      }
      expect(full.kept).toBe(full.flatMask.reduce((a, b) => a + b, 0));
    });
  }
});

describe('one example selection for the CLI and the page', () => {
  it('a request reads the loss batches, subset and indices each of its methods would read alone', () => {
    const req = requestExamples(ds, { ...settings, methods: ['snip', 'px-2024', 'px'], ntkSamples: 3 });
    const snip = pruneExamples(ds, 'snip', settings);
    const px2024 = pruneExamples(ds, 'px-2024', settings);
    const px = pruneExamples(ds, 'px', settings);
    expect(req.lossIndices).toEqual(px2024.lossIndices);
    expect(px2024.lossIndices.length).toBe(2 * settings.batchSize);
    expect(req.lossIndices.slice(0, settings.batchSize)).toEqual(snip.lossIndices);
    expect(new Set(req.lossIndices).size).toBe(req.lossIndices.length);
    expect(req.subsetIndices).toEqual(px.subsetIndices);
    expect(px.lossData).toBeUndefined();
    expect(snip.subsetData).toBeUndefined();
    // the subset is the first examplesPerClass of each class, classes in order of appearance
    const labels = ds.labels('train');
    const firstOf = (c: number) =>
      Array.from(labels.keys())
        .filter((i) => labels[i] === c)
        .slice(0, 2);
    const order = [...new Set(Array.from(labels))];
    expect(req.subsetIndices).toEqual(order.flatMap(firstOf));
    expect(req.ntkData.shape[0]).toBe(3);
    expect(Array.from(req.lossData.y)).toEqual(req.lossIndices.map((i) => labels[i]));
  });
});
