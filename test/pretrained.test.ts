// The shipped pretrained weights (public/pretrained/, made by scripts/pretrain.mjs): the manifest
// lists exactly the checkpoints the page offers, every file has the manifest's sha256 and size,
// passes the shared validator for its architecture, and carries the recipe it was trained with.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../src/core/models';
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
    bytes: number;
    sha256: string;
    recipe: Record<string, unknown>;
  }>;
};

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
      expect(JSON.parse(metadata.recipe)).toMatchObject({
        epochs: c.epochs,
        seed: c.seed,
        lr: 0.1,
        momentum: 0.9,
        weightDecay: 1e-4,
        batchSize: 128,
      });
      expect(c.test_accuracy).toBeGreaterThan(0.5);
    });
  }
});
