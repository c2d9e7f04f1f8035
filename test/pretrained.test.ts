// The shipped pretrained weights (public/pretrained/, made by scripts/pretrain.mjs): the manifest
// lists exactly the checkpoints the page offers, every file has the manifest's sha256 and size,
// passes the shared validator for its architecture, and carries the recipe it was trained with;
// evaluated here on the page's test split, each gives the manifest's accuracy, at least its goal
// (trained to convergence: ConvNet 90% and ResNet-20 91% on Fashion-MNIST; the MLP on MNIST, see
// GOALS).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundledFromDisk } from '../src/cli/datasets';
import { packedDataset } from '../src/core/data/packed';
import { buildModel } from '../src/core/models';
import { evaluate } from '../src/core/train';
import { datasetSource } from '../src/core/train/data';
import { PRETRAINED } from '../src/shared/pretrained';
import { readWeights } from '../src/shared/weights';

const DIR = join(__dirname, '..', 'public', 'pretrained');
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as {
  kind: string;
  checkpoints: Array<{
    id: string;
    arch: string;
    dataset: string;
    file: string;
    seed: number;
    epochs: number;
    steps: number;
    test_accuracy: number;
    test_loss: number;
    epoch_accuracy: number[];
    bytes: number;
    sha256: string;
    recipe: Record<string, unknown>;
  }>;
};

/** Test accuracy each checkpoint must reach on the page's 2,000 test images. */
const GOALS: Record<string, number> = { 'mlp-mnist': 0.98, 'convnet-fashion-mnist': 0.9, 'resnet20-fashion-mnist': 0.91 };

describe('shipped pretrained weights', () => {
  it('the manifest lists the checkpoints the page offers', () => {
    expect(manifest.kind).toBe('px-lab-pretrained');
    expect(manifest.checkpoints.map((c) => [c.id, c.arch, c.dataset])).toEqual(PRETRAINED.map((p) => [p.id, p.model, p.dataset]));
  });
  for (const c of manifest.checkpoints) {
    it(`${c.id}: sha256, size, arch, finite values, recipe`, () => {
      const bytes = new Uint8Array(readFileSync(join(DIR, c.file)));
      expect(bytes.length).toBe(c.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(c.sha256);
      const model = buildModel(c.arch);
      const { stateDict, metadata } = readWeights(model, bytes, c.file);
      expect(stateDict.size).toBe(model.params.length);
      expect(JSON.parse(metadata.arch)).toEqual(model.spec);
      expect(metadata.method).toBe('dense');
      // the file carries the recipe the manifest lists: the official one, weight decay per checkpoint
      expect(JSON.parse(metadata.recipe)).toEqual(c.recipe);
      expect(c.recipe).toMatchObject({ epochs: c.epochs, seed: c.seed, lr: 0.1, momentum: 0.9, batchSize: 128 });
      expect(c.epoch_accuracy).toHaveLength(c.epochs);
      expect(c.epoch_accuracy.at(-1)).toBe(c.test_accuracy);
    });
    it(`${c.id}: evaluated on the test split, the manifest's accuracy and at least ${GOALS[c.id]}`, async () => {
      const model = buildModel(c.arch);
      const { stateDict } = readWeights(model, new Uint8Array(readFileSync(join(DIR, c.file))), c.file);
      const data = packedDataset(await loadBundledFromDisk(c.dataset as 'mnist' | 'fashion-mnist'), {
        shape: model.input,
        classes: model.classes,
      });
      const got = await evaluate(model, stateDict, null, datasetSource(data, 'test'));
      expect(got.accuracy).toBe(c.test_accuracy);
      expect(got.loss).toBeCloseTo(c.test_loss, 4);
      expect(got.accuracy).toBeGreaterThanOrEqual(GOALS[c.id]);
    }, 120_000);
  }
});
