// Fuzz suite: mutated .safetensors files through the real reader, and a sample of them
// through `px-lab score` (in process). Each case must end in one clear error line or a correct
// result: never a stack trace, never a non-finite output reported as success, never a leaked
// tensor. Seeded: the same mutants every run.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { tf } from '../../src/core/tf';
import { parseSafetensors, SafetensorsError, toFloat32 } from '../../src/shared/safetensors';
import { isClearLine, runCli } from '../cliHarness';
import { PUBLIC } from '../fixtures';

const tmp = mkdtempSync(join(tmpdir(), 'pxlab-fuzz-st-'));
const MLP = join(PUBLIC, 'mlp');
const BASES = {
  weights: new Uint8Array(readFileSync(join(MLP, 'weights.safetensors'))),
  inputs: new Uint8Array(readFileSync(join(MLP, 'inputs.safetensors'))),
};
export const READER_CASES = 6000;
/** Every n-th mutant also goes through `px-lab score`. */
const CLI_EVERY = 10;

type Mutator = (b: Uint8Array, rng: Rng) => Uint8Array;

const headerLen = (b: Uint8Array) => Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
const withLen = (b: Uint8Array, n: bigint) => {
  const c = b.slice();
  new DataView(c.buffer).setBigUint64(0, n, true);
  return c;
};
/** Rewrites the JSON header with `edit` (data section unchanged, header re-padded). */
const editHeader = (
  b: Uint8Array,
  edit: (h: Record<string, { dtype: string; shape: number[]; data_offsets: number[] }>, rng: Rng) => void,
  rng: Rng,
) => {
  const n = headerLen(b);
  const h = JSON.parse(new TextDecoder().decode(b.subarray(8, 8 + n)));
  edit(h, rng);
  const json = new TextEncoder().encode(JSON.stringify(h));
  const out = new Uint8Array(8 + json.length + b.length - 8 - n);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(b.subarray(8 + n), 8 + json.length);
  return out;
};
const tensorNames = (h: object) => Object.keys(h).filter((k) => k !== '__metadata__');
const pick = <T>(a: T[], rng: Rng) => a[Math.floor(rng.uniform() * a.length)];
/** Writes a float into the data section of a tensor (F32 only). */
const poke =
  (value: number): Mutator =>
  (b, rng) => {
    const n = headerLen(b);
    const h = JSON.parse(new TextDecoder().decode(b.subarray(8, 8 + n)));
    const name = pick(
      tensorNames(h).filter((k) => h[k].dtype === 'F32'),
      rng,
    );
    const [s, e] = h[name].data_offsets;
    const c = b.slice();
    const at = 8 + n + s + 4 * Math.floor(rng.uniform() * ((e - s) / 4));
    new DataView(c.buffer).setFloat32(at, value, true);
    return c;
  };

const MUTATORS: Record<string, Mutator> = {
  truncate: (b, rng) => b.slice(0, Math.floor(rng.uniform() * b.length)),
  'header length +1': (b) => withLen(b, BigInt(headerLen(b) + 1)),
  'header length -1': (b) => withLen(b, BigInt(headerLen(b) - 1)),
  'header length huge': (b, rng) => withLen(b, pick([2n ** 63n, 2n ** 40n, 100n * 1024n * 1024n + 1n, BigInt(b.length)], rng)),
  'trailing junk': (b, rng) => {
    const c = new Uint8Array(b.length + 1 + Math.floor(rng.uniform() * 4096));
    c.set(b);
    return c;
  },
  'flip a header byte': (b, rng) => {
    const c = b.slice();
    c[8 + Math.floor(rng.uniform() * headerLen(b))] ^= 1 << Math.floor(rng.uniform() * 8);
    return c;
  },
  'flip data bytes': (b, rng) => {
    const c = b.slice();
    const n = headerLen(b);
    for (let i = 0; i < 4; i++) c[8 + n + Math.floor(rng.uniform() * (b.length - 8 - n))] ^= 0xff;
    return c;
  },
  'offsets overlap': (b, rng) =>
    editHeader(
      b,
      (h) => {
        const ks = tensorNames(h);
        const a = h[pick(ks, rng)];
        a.data_offsets = [a.data_offsets[0] + 4, a.data_offsets[1] + 4];
      },
      rng,
    ),
  'offsets out of range': (b, rng) =>
    editHeader(
      b,
      (h) => {
        const a = h[pick(tensorNames(h), rng)];
        a.data_offsets = [a.data_offsets[0], a.data_offsets[1] + 1e6];
      },
      rng,
    ),
  'offsets unsorted/swapped': (b, rng) =>
    editHeader(
      b,
      (h) => {
        const ks = tensorNames(h);
        const x = h[pick(ks, rng)],
          y = h[pick(ks, rng)];
        [x.data_offsets, y.data_offsets] = [y.data_offsets, x.data_offsets];
      },
      rng,
    ),
  'offsets missing or null': (b, rng) =>
    editHeader(
      b,
      (h) => {
        const a = h[pick(tensorNames(h), rng)] as Record<string, unknown>;
        a[pick(['data_offsets', 'dtype', 'shape'], rng)] = pick([undefined, null, 'x', [1]], rng);
      },
      rng,
    ),
  'dtype lie': (b, rng) =>
    editHeader(
      b,
      (h) => {
        h[pick(tensorNames(h), rng)].dtype = pick(['F64', 'I32', 'U8', 'F16', 'BF16', 'f32', ''], rng);
      },
      rng,
    ),
  'shape lie': (b, rng) =>
    editHeader(
      b,
      (h) => {
        const a = h[pick(tensorNames(h), rng)];
        a.shape = pick([[...a.shape, 2], a.shape.slice(1), [a.shape[0] + 1, ...a.shape.slice(1)], [-1], [1e300], [2 ** 53, 2 ** 53]], rng);
      },
      rng,
    ),
  'empty tensor': (b, rng) =>
    editHeader(
      b,
      (h) => {
        const a = h[pick(tensorNames(h), rng)];
        a.shape = [0, ...a.shape.slice(1)];
        a.data_offsets = [a.data_offsets[0], a.data_offsets[0]];
      },
      rng,
    ),
  'missing name': (b, rng) =>
    editHeader(
      b,
      (h) => {
        delete (h as Record<string, unknown>)[pick(tensorNames(h), rng)];
      },
      rng,
    ),
  'renamed with control characters': (b, rng) =>
    editHeader(
      b,
      (h) => {
        const k = pick(tensorNames(h), rng);
        (h as Record<string, unknown>)[`${k}\u0007\n\u001b[31m`] = h[k];
        delete (h as Record<string, unknown>)[k];
      },
      rng,
    ),
  NaN: poke(NaN),
  Infinity: poke(Infinity),
  '-Infinity': poke(-Infinity),
  'huge finite': poke(3e38),
  'ordinary value': poke(0.25),
  'metadata only changed': (b, rng) =>
    editHeader(
      b,
      (h) => {
        (h as Record<string, unknown>).__metadata__ = { note: String(rng.uniform()) };
      },
      rng,
    ),
};

interface Tally {
  cases: number;
  clearErrors: number;
  accepted: number;
  crashes: number;
  unclear: number;
  nonFiniteSuccess: number;
  leaks: number;
}

function finiteOutput(path: string): boolean {
  const f = parseSafetensors(new Uint8Array(readFileSync(path)), path);
  for (const [k, t] of f.tensors) {
    const v = toFloat32(t);
    if (!v.every(Number.isFinite)) return false;
    if (k.endsWith('_mask') && !v.every((x) => x === 0 || x === 1)) return false;
  }
  return f.metadata.kept !== undefined && Number(f.metadata.kept) <= Number(f.metadata.total);
}

describe(`safetensors fuzz: ${READER_CASES} mutants through the reader, every ${CLI_EVERY}th through px-lab score`, () => {
  it('one clear error or a correct result, every time', async () => {
    const rng = new Rng(14);
    const names = Object.keys(MUTATORS);
    const reader: Tally = { cases: 0, clearErrors: 0, accepted: 0, crashes: 0, unclear: 0, nonFiniteSuccess: 0, leaks: 0 };
    const cli: Tally = { ...reader };
    const methods = ['snip', 'px', 'synflow', 'grasp', 'mag'];
    for (let i = 0; i < READER_CASES; i++) {
      const which = Math.floor(i / 2) % 2 === 0 ? 'weights' : 'inputs';
      const mutation = names[Math.floor(i / 4) % names.length];
      let bytes: Uint8Array;
      try {
        bytes = MUTATORS[mutation](BASES[which], rng);
      } catch {
        continue; // a mutation that does not apply to this file (no F32 tensor): not a case
      }
      reader.cases++;
      try {
        parseSafetensors(bytes, 'fuzz.safetensors');
        reader.accepted++;
      } catch (e) {
        if (!(e instanceof SafetensorsError)) reader.crashes++;
        else if (!isClearLine(e.message)) {
          reader.unclear++;
          console.log(`[fuzz:safetensors] unclear (${mutation}): ${e.message}`);
        } else reader.clearErrors++;
      }
      if (i % CLI_EVERY !== 0) continue;
      const file = join(tmp, `m${i}.safetensors`);
      const out = join(tmp, `o${i}.safetensors`);
      writeFileSync(file, bytes);
      const before = tf.memory().numTensors;
      const r = await runCli([
        'score',
        '--arch',
        join(MLP, 'case.json'),
        '--weights',
        which === 'weights' ? file : join(MLP, 'weights.safetensors'),
        '--inputs',
        which === 'inputs' ? file : join(MLP, 'inputs.safetensors'),
        '--method',
        methods[(i / CLI_EVERY) % methods.length],
        '--density',
        '0.1',
        '--out',
        out,
      ]);
      cli.cases++;
      if (tf.memory().numTensors !== before) cli.leaks++;
      if (r.code === 0) {
        if (finiteOutput(out)) cli.accepted++;
        else cli.nonFiniteSuccess++;
      } else if (r.code !== 2) cli.crashes++;
      else if (!isClearLine(r.stderr)) {
        cli.unclear++;
        console.log(`[fuzz:safetensors] unclear CLI line (${mutation}): ${r.stderr}`);
      } else cli.clearErrors++;
      if (process.env.PXLAB_FUZZ_VERBOSE) console.log(mutation, r.code, r.stderr.trim());
    }
    console.log(`[fuzz:safetensors] reader ${JSON.stringify(reader)}; px-lab score ${JSON.stringify(cli)}`);
    for (const t of [reader, cli]) expect(t).toMatchObject({ crashes: 0, unclear: 0, nonFiniteSuccess: 0, leaks: 0 });
    expect(reader.cases).toBe(READER_CASES);
    expect(cli.accepted).toBeGreaterThan(0);
    expect(reader.clearErrors).toBeGreaterThan(reader.cases / 2);
  });
});
