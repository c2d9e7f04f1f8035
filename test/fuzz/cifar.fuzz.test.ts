// Fuzz suite: mutated CIFAR-10 files (.tar.gz, .tar, .bin) through the loader. Each
// case must end in one clear CifarFormatError line or a correct result: a mutation of gzip data
// (checksummed by CRC32/ISIZE) that loads must give exactly the original images and labels.
// Seeded: the same mutants every run.
import { gunzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CifarFormatError, parseCifarFiles, type CifarData } from '../../src/core/data/cifar10';
import { cifarFixtureFiles, cifarFixtureTarGz } from '../cifar10Fixture';
import { Rng } from '../../src/core/rng';
import { isClearLine } from '../cliHarness';

export const CIFAR_CASES = 1500;
const opts = { train: [60, 40], test: 20, seed: 3 };
const TGZ = cifarFixtureTarGz(opts);
const TAR = gunzipSync(TGZ);
const BINS = cifarFixtureFiles(opts);

type Mutator = (b: Uint8Array, rng: Rng) => Uint8Array;
const at = (b: Uint8Array, rng: Rng) => Math.floor(rng.uniform() * b.length);
const xorRange =
  (len: number): Mutator =>
  (b, rng) => {
    const c = b.slice();
    const s = at(b, rng);
    for (let i = s; i < Math.min(c.length, s + len); i++) c[i] ^= 0xff;
    return c;
  };
/** Rewrites the size field of the first tar header (checksum recomputed): a lie about the entry size. */
const tarSize =
  (size: number): Mutator =>
  (b) => {
    const c = b.slice();
    const field = new TextEncoder().encode(`${size.toString(8).padStart(11, '0')}\0`);
    c.set(field.subarray(0, 12), 124);
    c.fill(0x20, 148, 156);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += c[i];
    c.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
    return c;
  };

const COMMON: Record<string, Mutator> = {
  truncate: (b, rng) => b.slice(0, at(b, rng)),
  'append junk': (b, rng) => {
    const c = new Uint8Array(b.length + 1 + Math.floor(rng.uniform() * 700));
    c.set(b);
    c.fill(0x5a, b.length);
    return c;
  },
  'flip one bit': (b, rng) => {
    const c = b.slice();
    c[at(b, rng)] ^= 1 << Math.floor(rng.uniform() * 8);
    return c;
  },
  'xor 200 bytes': xorRange(200),
  'xor 8 bytes': xorRange(8),
};
const KINDS: Array<{ name: string; base: Uint8Array; file: string; gzip: boolean; mutators: Record<string, Mutator> }> = [
  {
    name: 'tar.gz',
    base: TGZ,
    file: 'cifar-10-binary.tar.gz',
    gzip: true,
    mutators: {
      ...COMMON,
      'CRC32 flipped': (b) => {
        const c = b.slice();
        c[c.length - 8] ^= 0x01;
        return c;
      },
      'ISIZE flipped': (b) => {
        const c = b.slice();
        c[c.length - 2] ^= 0x40;
        return c;
      },
      'gzip header byte': (b, rng) => {
        const c = b.slice();
        c[Math.floor(rng.uniform() * 10)] ^= 0xff;
        return c;
      },
    },
  },
  {
    name: 'tar',
    base: TAR,
    file: 'cifar-10-binary.tar',
    gzip: false,
    mutators: {
      ...COMMON,
      'entry declares 6 GB': tarSize(6 * 1024 ** 3),
      'entry declares 300 MB': tarSize(300 * 1024 ** 2),
      'entry declares 1 record more': tarSize(61 * 3073),
      'header byte': (b, rng) => {
        const c = b.slice();
        c[Math.floor(rng.uniform() * 512)] ^= 0x11;
        return c;
      },
    },
  },
  {
    name: 'bin',
    base: BINS[0].bytes,
    file: 'data_batch_1.bin',
    gzip: false,
    mutators: {
      ...COMMON,
      'label byte 10..255': (b, rng) => {
        const c = b.slice();
        c[3073 * Math.floor(rng.uniform() * 60)] = 10 + Math.floor(rng.uniform() * 246);
        return c;
      },
    },
  },
];

describe(`CIFAR-10 fuzz: ${CIFAR_CASES} mutated .tar.gz / .tar / .bin files through the loader`, () => {
  it('one clear error or a correct result, every time', async () => {
    const original = await parseCifarFiles([{ name: 'cifar-10-binary.tar.gz', bytes: TGZ }]);
    const sameAsOriginal = (d: CifarData) =>
      d.train.count === original.train.count &&
      d.test.count === original.test.count &&
      d.batches.every(
        (b, i) =>
          b.labels.every((v, j) => v === original.batches[i].labels[j]) && b.images.every((v, j) => v === original.batches[i].images[j]),
      );
    const rng = new Rng(14);
    const tally = { cases: 0, clearErrors: 0, accepted: 0, crashes: 0, unclear: 0, silentlyWrong: 0 };
    const perKind: Record<string, number> = {};
    for (let i = 0; i < CIFAR_CASES; i++) {
      const kind = KINDS[i % KINDS.length];
      const names = Object.keys(kind.mutators);
      const mutation = names[Math.floor(i / KINDS.length) % names.length];
      const bytes = kind.mutators[mutation](kind.base, rng);
      tally.cases++;
      perKind[kind.name] = (perKind[kind.name] ?? 0) + 1;
      try {
        const d = await parseCifarFiles([{ name: kind.file, bytes }], { chunkBytes: 4096 + Math.floor(rng.uniform() * 60000) });
        // checksummed (gzip) data that loads must be the original; tar/bin have no checksum, so a
        // changed pixel is what the file says, but labels are always in 0..9
        if ((kind.gzip && !sameAsOriginal(d)) || d.batches.some((b) => b.labels.some((v) => v > 9))) {
          tally.silentlyWrong++;
          console.log(`[fuzz:cifar] silently wrong (${kind.name}, ${mutation})`);
        } else tally.accepted++;
      } catch (e) {
        if (!(e instanceof CifarFormatError)) {
          tally.crashes++;
          console.log(`[fuzz:cifar] crash (${kind.name}, ${mutation}): ${(e as Error).name}: ${(e as Error).message}`);
        } else if (!isClearLine(e.message)) {
          tally.unclear++;
          console.log(`[fuzz:cifar] unclear (${kind.name}, ${mutation}): ${e.message}`);
        } else tally.clearErrors++;
      }
    }
    console.log(`[fuzz:cifar] ${JSON.stringify({ ...tally, perKind })}`);
    expect(tally).toMatchObject({ cases: CIFAR_CASES, crashes: 0, unclear: 0, silentlyWrong: 0 });
  });
});
