// CIFAR-10 parsing from generated files in the official binary format (test/cifar10Fixture.ts).
import { gunzipSync, gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  cifarDataset,
  parseCifarFiles,
  requireBothSplits,
  CifarFormatError,
  type CifarData,
  type CifarInput,
  type CifarProgress,
} from '../src/core/data/cifar10';
import { cifarBatchBytes, cifarFixtureFiles, cifarFixtureTarGz } from './cifar10Fixture';
import { balancedSubset } from '../src/core/data/subset';
import { writeTar } from '../src/core/data/tar';

const opts = { train: [300, 300], test: 100, seed: 1 };
const tgz = cifarFixtureTarGz(opts);
const bins = cifarFixtureFiles(opts);

const fail = async (files: CifarInput[], re: RegExp) => {
  const err = await parseCifarFiles(files).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CifarFormatError);
  expect((err as Error).message).toMatch(re);
  return (err as Error).message;
};
const same = (a: CifarData, b: CifarData) => {
  for (const s of ['train', 'test'] as const) {
    expect(a[s].count).toBe(b[s].count);
    expect(a[s].labels).toEqual(b[s].labels);
    for (const i of [0, 1, a[s].count - 1]) expect(a[s].image(i)).toEqual(b[s].image(i));
  }
};

describe('parseCifarFiles', () => {
  it('reads a generated cifar-10-binary.tar.gz: counts, labels, pixels, order, progress', async () => {
    const progress: CifarProgress[] = [];
    const d = await parseCifarFiles([{ name: 'cifar-10-binary.tar.gz', bytes: tgz }], {
      onProgress: (p) => progress.push(p),
      chunkBytes: 64 * 1024,
    });
    expect([d.train.count, d.test.count]).toEqual([600, 100]);
    expect(d.batches.map((b) => `${b.split}:${b.file}`)).toEqual([
      'train:data_batch_1.bin',
      'train:data_batch_2.bin',
      'test:test_batch.bin',
    ]);
    expect(d.batches[0].from).toBe('cifar-10-binary.tar.gz: cifar-10-batches-bin/data_batch_1.bin');
    const counts = new Array(10).fill(0);
    for (const y of d.train.labels) counts[y]++;
    expect(counts).toEqual(new Array(10).fill(60));
    // record r of data_batch_2 is train example 300 + r: label byte, then 3072 CHW pixel bytes
    const raw = bins[1].bytes;
    expect(d.train.labels[300 + 7]).toBe(raw[7 * 3073]);
    expect(d.train.image(300 + 7)).toEqual(raw.subarray(7 * 3073 + 1, 8 * 3073));
    expect(d.test.image(99)).toEqual(bins[2].bytes.subarray(99 * 3073 + 1));
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.every((p, i) => i === 0 || p.loaded >= progress[i - 1].loaded)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ fraction: 1, records: 700, total: tgz.length });
  });

  it('gives the same data from the .tar, from .bin files in any order, and from File objects in small chunks', async () => {
    const ref = await parseCifarFiles([{ name: 'cifar-10-binary.tar.gz', bytes: tgz }]);
    same(ref, await parseCifarFiles([{ name: 'cifar-10-binary.tar', bytes: gunzipSync(tgz).buffer }]));
    same(ref, await parseCifarFiles([bins[2], bins[1], bins[0]]));
    const files = bins.map((b) => new File([b.bytes], b.name));
    same(ref, await parseCifarFiles(files, { chunkBytes: 5000 })); // record boundaries inside chunks
    same(ref, await parseCifarFiles([new File([tgz], 'cifar-10-binary.tar.gz')], { chunkBytes: 4099 }));
  });

  it('builds the scoring subset from the training batches, classes in order of first appearance', async () => {
    const d = await parseCifarFiles([{ name: 'x.tar.gz', bytes: tgz }]);
    const sub = balancedSubset(d.train.labels, 10);
    expect(sub.length).toBe(100);
    const firstSeen = [...new Set(d.train.labels)];
    expect(firstSeen).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]); // the fixture shuffles labels
    expect(sub.filter((_, k) => k % 10 === 0).map((i) => d.train.labels[i])).toEqual(firstSeen);
  });

  it('serves normalised batches with the official CIFAR-10 mean/std, and adapts to the MLP', async () => {
    const d = await parseCifarFiles([{ name: 'x.tar.gz', bytes: tgz }]);
    const ds = cifarDataset(d, { shape: [3, 32, 32], classes: 10 });
    expect(ds.label).toBe('CIFAR-10 (x.tar.gz), 600 train / 100 test');
    const b = ds.batch('train', [5]);
    const img = d.train.image(5);
    for (const [c, p] of [
      [0, 0],
      [1, 500],
      [2, 1023],
    ])
      expect(b.x[c * 1024 + p]).toBeCloseTo((img[c * 1024 + p] / 255 - [0.491, 0.482, 0.447][c]) / [0.247, 0.243, 0.262][c], 5);
    const mlp = cifarDataset(d, { shape: [1, 28, 28], classes: 10 });
    expect(mlp.batch('test', [0, 1]).shape).toEqual([2, 1, 28, 28]);
    expect(mlp.adaptation).toMatch(/luma.*centre-cropped 32×32→28×28/);
  });
});

describe('parseCifarFiles errors', () => {
  it('truncated or corrupted archives', async () => {
    await fail(
      [{ name: 'cifar-10-binary.tar.gz', bytes: tgz.subarray(0, Math.floor(tgz.length * 0.6)) }],
      /^cifar-10-binary\.tar\.gz (is truncated|ends inside .*): the (gzip data ends early|file is truncated)/,
    );
    const bad = tgz.slice();
    for (let i = 100000; i < 100064; i++) bad[i] ^= 0x5a;
    await fail([{ name: 'cifar-10-binary.tar.gz', bytes: bad }], /^cifar-10-binary\.tar\.gz.*(corrupted|label)/);
    const tar = gunzipSync(tgz);
    await fail(
      [{ name: 'c.tar', bytes: tar.subarray(0, 700000) }],
      /c\.tar ends inside cifar-10-batches-bin\/data_batch_1\.bin \(\d+ of 921900 bytes\): the file is truncated/,
    );
    const hdr = tar.slice();
    hdr[512 + 3]++; // the second header (batches.meta.txt) no longer matches its checksum
    await fail([{ name: 'c.tar', bytes: hdr }], /c\.tar is corrupted: the tar header at byte 512 fails its checksum/);
  });

  it('batch files that are truncated or hold impossible labels', async () => {
    const msg = await fail([{ name: 'data_batch_1.bin', bytes: bins[0].bytes.subarray(0, 3073 * 10 + 100) }], /not a multiple of 3073/);
    expect(msg).toMatch(/^data_batch_1\.bin has 30830 bytes/);
    const labels = bins[0].bytes.slice();
    labels[3 * 3073] = 200;
    await fail([{ name: 'data_batch_1.bin', bytes: labels }], /data_batch_1\.bin: record 3 has label 200, but CIFAR-10 labels are 0–9/);
  });

  it('anything else: empty, unrelated, wrong release, renamed, duplicated, unnamed', async () => {
    await fail([], /no file given/);
    await fail([{ name: 'data_batch_1.bin', bytes: new Uint8Array(0) }], /data_batch_1\.bin is empty/);
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(600).fill(1)]);
    await fail(
      [{ name: 'cat.png', bytes: png }],
      /^cat\.png is not a CIFAR-10 file: expected the official binary release, cifar-10-binary\.tar\.gz/,
    );
    await fail([{ name: 'cifar-10-binary.tar.gz', bytes: png }], /is not gzip data/);
    await fail([{ name: 'empty.tar.gz', bytes: gzipSync(writeTar([])) }], /empty\.tar\.gz is an empty tar archive/);
    await fail([{ name: 'page.gz', bytes: gzipSync(png) }], /page\.gz is not a tar archive/);
    const python = gzipSync(
      writeTar([
        { name: 'cifar-10-batches-py/data_batch_1', data: new Uint8Array(100) },
        { name: 'cifar-10-batches-py/batches.meta', data: new Uint8Array(10) },
      ]),
    );
    await fail(
      [{ name: 'cifar-10-python.tar.gz', bytes: python }],
      /no CIFAR-10 batch files.*\(it holds data_batch_1, batches\.meta\).*Python\/MATLAB versions/,
    );
    await fail([{ name: 'cifar-10-binary.tar.gz', bytes: tgz }, bins[0]], /data_batch_1\.bin was given twice/);
    await fail([{ name: 'my_images.bin', bytes: cifarBatchBytes(10, 0, 'x') }], /my_images\.bin: not a CIFAR-10 batch name/);
    const onlyTest = await parseCifarFiles([bins[2]]);
    expect(() => cifarDataset(onlyTest, { shape: [3, 32, 32], classes: 10 })).toThrow(/no training batch/);
  });

  it('stops when aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(parseCifarFiles([{ name: 'x.tar.gz', bytes: tgz }], { signal: ac.signal })).rejects.toThrow(/abort/i);
  });
});

describe('checksums and declared sizes (issue 14, defects 9 and 10)', () => {
  const xor = (b: Uint8Array, from: number, to: number) => {
    const c = b.slice();
    for (let i = from; i < to; i++) c[i] ^= 0xff;
    return c;
  };
  it('a .tar.gz with bytes 200–399 XOR 0xFF is refused (it loaded before)', async () => {
    await fail(
      [{ name: 'cifar-10-binary.tar.gz', bytes: xor(tgz, 200, 400) }],
      /cifar-10-binary\.tar\.gz is corrupted|gunzip failed|checksum|label/,
    );
    // corrupted data that still inflates (pixels changed, stream valid, the original trailer):
    // only the CRC32 tells, and this loaded before
    const tar = gunzipSync(tgz);
    tar[5000] ^= 0xff;
    const bad = gzipSync(tar);
    bad.set(tgz.subarray(tgz.length - 8), bad.length - 8);
    await fail([{ name: 'cifar-10-binary.tar.gz', bytes: bad }], /cifar-10-binary\.tar\.gz is corrupted: the gzip CRC32 check failed/);
  });
  it('a flipped CRC32 or ISIZE trailer is refused', async () => {
    await fail(
      [{ name: 'c.tar.gz', bytes: xor(tgz, tgz.length - 8, tgz.length - 7) }],
      /c\.tar\.gz is corrupted: the gzip CRC32 check failed \(stored 0x[0-9a-f]{8}, data gives 0x[0-9a-f]{8}\)/,
    );
    await fail(
      [{ name: 'c.tar.gz', bytes: xor(tgz, tgz.length - 1, tgz.length) }],
      /c\.tar\.gz is corrupted: the gzip trailer says \d+ bytes|declares|ends inside/,
    );
  });
  const withSize = (tar: Uint8Array, size: number) => {
    const c = tar.slice();
    c.set(new TextEncoder().encode(`${size.toString(8).padStart(11, '0')}\0`), 124);
    c.fill(0x20, 148, 156);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += c[i];
    c.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
    return c;
  };
  const tar = writeTar([{ name: 'cifar-10-batches-bin/data_batch_1.bin', data: cifarBatchBytes(20, 1, 'a') }]);
  it('a tar entry declaring 6 GB is refused before anything is allocated (was "Invalid typed array length")', async () => {
    const msg = await fail(
      [{ name: 'c.tar', bytes: withSize(tar, 6 * 1024 ** 3) }],
      /c\.tar ends inside cifar-10-batches-bin\/data_batch_1\.bin \(\d+ of 6442450944 bytes\)/,
    );
    expect(msg).not.toMatch(/typed array/i);
    await fail([{ name: 'c.tar.gz', bytes: gzipSync(withSize(tar, 6 * 1024 ** 3)) }], /ends inside .* of 6442450944 bytes/);
  });
  it('an entry over the stated limit is refused even when the archive is that large', async () => {
    const { TarReader } = await import('../src/core/data/tar');
    const r = new TarReader('big.tar', () => null, { archiveBytes: 2 ** 40, maxEntryBytes: 256 * 1024 * 1024 });
    expect(() => r.push(withSize(tar, 300 * 1024 ** 2).subarray(0, 512))).toThrow(
      /declares 314572800 bytes, more than the 268435456 accepted/,
    );
  });
});

describe('the lab needs both splits (issue 14, defects 6 and 7)', () => {
  it('a lone test_batch.bin and train-only files are refused at load with what to add', async () => {
    const onlyTest = await parseCifarFiles([bins[2]]);
    expect(() => requireBothSplits(onlyTest)).toThrow(
      /test_batch\.bin: no training batch \(data_batch_N\.bin\) among these files \(100 test images\)/,
    );
    const onlyTrain = await parseCifarFiles([bins[0], bins[1]]);
    expect(() => requireBothSplits(onlyTrain)).toThrow(
      /no test batch \(test_batch\.bin\) among these files \(600 training images\); the NTK spectrum reads the test split/,
    );
    expect(() => requireBothSplits(onlyTrain)).toThrow(CifarFormatError);
    const both = await parseCifarFiles(bins);
    expect(() => requireBothSplits(both)).not.toThrow();
  });
});
