// Normalisation and the shape adaptation rule (adapt.ts), on hand-made images.
import { describe, expect, it } from 'vitest';
import { describeAdaptation, makeAdapter, type Shape3 } from './adapt';
import { imageDataset, packedSplit, partsSplit } from './image-dataset';
import { NORMALIZATION, normalizationTables } from './normalization';

const grey = (h: number, w: number) => Uint8Array.from({ length: h * w }, (_, i) => (i * 7 + 3) % 256);
const run = (
  from: Shape3,
  to: Shape3,
  src: Uint8Array,
  stats = NORMALIZATION.mnist as { mean: readonly number[]; std: readonly number[]; source: string },
) => {
  const a = makeAdapter(from, to, stats);
  const out = new Float32Array(to[0] * to[1] * to[2]);
  a.write(src, out, 0);
  return { out, a };
};
const mnistNorm = (v: number) => (v / 255 - 0.1307) / 0.3081;

describe('normalisation', () => {
  it('uses torchvision MNIST/Fashion constants and the official CIFAR-10 ones', () => {
    expect(NORMALIZATION.mnist).toMatchObject({ mean: [0.1307], std: [0.3081] });
    expect(NORMALIZATION['fashion-mnist']).toMatchObject({ mean: [0.286], std: [0.353] });
    expect(NORMALIZATION.cifar10).toMatchObject({ mean: [0.491, 0.482, 0.447], std: [0.247, 0.243, 0.262] });
    const [t] = normalizationTables(NORMALIZATION.mnist);
    expect(t[0]).toBeCloseTo(-0.4242, 4);
    expect(t[255]).toBeCloseTo(2.8215, 4);
    const c = normalizationTables(NORMALIZATION.cifar10);
    expect(c[2][128]).toBeCloseTo((128 / 255 - 0.447) / 0.262, 6);
  });
});

describe('adaptation', () => {
  it('serves the same shape as is', () => {
    const src = grey(28, 28);
    const { out, a } = run([1, 28, 28], [1, 28, 28], src);
    expect(a.description).toBe('');
    for (const p of [0, 100, 783]) expect(out[p]).toBeCloseTo(mnistNorm(src[p]), 6);
  });

  it('MNIST on a 3×32×32 model: pads 2 pixels of normalised black and repeats the grey channel', () => {
    const src = grey(28, 28);
    const { out, a } = run([1, 28, 28], [3, 32, 32], src);
    expect(a.description).toBe('1×28×28 → 3×32×32: grey repeated to 3 channels, zero-padded 28×28→32×32');
    const at = (c: number, y: number, x: number) => out[c * 1024 + y * 32 + x];
    const pad = mnistNorm(0);
    expect(pad).toBeCloseTo(-0.42421, 4);
    expect(at(2, 0, 0)).toBeCloseTo(pad, 6); // pixel (0,0) of channel 2 is padding
    expect(at(0, 1, 31)).toBeCloseTo(pad, 6);
    expect(at(1, 31, 10)).toBeCloseTo(pad, 6);
    for (let c = 0; c < 3; c++) {
      expect(at(c, 2, 2)).toBeCloseTo(mnistNorm(src[0]), 6); // stored (0,0)
      expect(at(c, 29, 29)).toBeCloseTo(mnistNorm(src[783]), 6); // stored (27,27)
      expect(at(c, 15, 7)).toBeCloseTo(mnistNorm(src[13 * 28 + 5]), 6);
    }
  });

  it('CIFAR on a 1×28×28 model: luma of the normalised channels, centre crop', () => {
    const src = Uint8Array.from({ length: 3072 }, (_, i) => (i * 13) % 256);
    const stats = NORMALIZATION.cifar10;
    const { out, a } = run([3, 32, 32], [1, 28, 28], src, stats);
    expect(a.description).toBe('3×32×32 → 1×28×28: RGB to grey (ITU-R 601 luma), centre-cropped 32×32→28×28');
    const z = (c: number, y: number, x: number) => (src[c * 1024 + y * 32 + x] / 255 - stats.mean[c]) / stats.std[c];
    for (const [y, x] of [
      [0, 0],
      [27, 27],
      [10, 3],
    ]) {
      expect(out[y * 28 + x]).toBeCloseTo(0.299 * z(0, y + 2, x + 2) + 0.587 * z(1, y + 2, x + 2) + 0.114 * z(2, y + 2, x + 2), 5);
    }
  });

  it('flattens as is when the number of values agrees (an MLP declared on 3×32×32 or 1×1×784)', () => {
    const src = grey(28, 28);
    const { out, a } = run([1, 28, 28], [1, 1, 784], src);
    expect(a.description).toBe('1×28×28 values read as 1×1×784 (flattened as is)');
    expect(out[783]).toBeCloseTo(mnistNorm(src[783]), 6);
  });

  it('pads odd amounts with the extra pixel at the bottom/right, and refuses 2→3 channels', () => {
    const { out } = run([1, 2, 2], [1, 3, 5], Uint8Array.from([255, 255, 255, 255]));
    const on = mnistNorm(255);
    const off = mnistNorm(0);
    const rows = Array.from({ length: 3 }, (_, y) =>
      Array.from(out.subarray(y * 5, y * 5 + 5), (v) => (Math.abs(v - on) < 1e-5 ? 1 : Math.abs(v - off) < 1e-5 ? 0 : NaN)),
    );
    expect(rows).toEqual([
      [0, 1, 1, 0, 0],
      [0, 1, 1, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
    expect(() => makeAdapter([2, 4, 4], [3, 4, 4], { mean: [0, 0], std: [1, 1], source: '' })).toThrow(/channels 2→3/);
    expect(describeAdaptation([1, 32, 28], [1, 28, 30])).toBe('1×32×28 → 1×28×30: height centre-cropped 32→28, width zero-padded 28→30');
    expect(describeAdaptation([1, 28, 28], [1, 32, 30])).toBe('1×28×28 → 1×32×30: zero-padded 28×28→32×30');
  });
});

describe('imageDataset', () => {
  const images = Uint8Array.from({ length: 5 * 4 }, (_, i) => i * 10);
  const labels = Uint8Array.from([3, 1, 3, 0, 1]);
  const spec = (split = packedSplit(images, labels, 4)) => ({
    name: 'toy',
    title: 'Toy',
    sourceShape: [1, 2, 2] as Shape3,
    classes: 4,
    stats: { mean: [0], std: [1], source: '' },
    splits: { train: split, test: split },
  });

  it('serves labels and batches by index, also from parts', () => {
    const ds = imageDataset(spec(), { shape: [1, 2, 2], classes: 10 });
    expect(Array.from(ds.labels('train'))).toEqual([3, 1, 3, 0, 1]);
    const b = ds.batch('train', [4, 0]);
    expect(b.shape).toEqual([2, 1, 2, 2]);
    expect(Array.from(b.y)).toEqual([1, 3]);
    expect(b.x[0]).toBeCloseTo(160 / 255, 6);
    const parts = partsSplit(
      [
        { images: images.subarray(0, 8), labels: labels.subarray(0, 2) },
        { images: images.subarray(8), labels: labels.subarray(2) },
      ],
      4,
    );
    const ds2 = imageDataset(spec(parts), { shape: [1, 2, 2], classes: 4 });
    expect(ds2.batch('train', [4, 0, 2]).x).toEqual(ds.batch('train', [4, 0, 2]).x);
    expect(ds2.rawImage!('train', 3)).toEqual(images.subarray(12, 16));
  });

  it('rejects bad indices and models with fewer outputs than classes', () => {
    const ds = imageDataset(spec(), { shape: [1, 2, 2], classes: 4 });
    expect(() => ds.batch('train', [5])).toThrow(/example 5 outside 0\.\.4/);
    expect(() => imageDataset(spec(), { shape: [1, 2, 2], classes: 3 })).toThrow(/4 classes but the model has only 3 outputs/);
  });
});
