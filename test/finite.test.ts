// Bad numbers never pass silently: NaN/Inf weights or inputs, tfjs errors without context and
// leaked tensors, labels that wrap, empty inputs. Each case goes through the real CLI (in process).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel, parseArch } from '../src/core/models';
import { toParamMap, type StateDict } from '../src/core/models/state';
import { makePruner } from '../src/core/pruners';
import { prune } from '../src/core/pruners/schedule';
import { Rng } from '../src/core/rng';
import { tf } from '../src/core/tf';
import { runScoreJob } from '../src/core/job';
import { parseSafetensors, toFloat32, writeSafetensors, type SafeFile, type TensorToWrite } from '../src/shared/safetensors';
import { isClearLine, runCli } from './cliHarness';
import { PUBLIC } from './fixtures';

const tmp = mkdtempSync(join(tmpdir(), 'pxlab-finite-'));
const CASE = join(PUBLIC, 'conv_bn');
const read = (p: string) => parseSafetensors(new Uint8Array(readFileSync(p)), p);

/** Rewrites a safetensors file with `edit` applied to a copy of its tensors. */
function rewrite(f: SafeFile, file: string, edit: (t: Map<string, TensorToWrite>) => void): string {
  const ts = new Map<string, TensorToWrite>(
    [...f.tensors].map(([name, t]) => [name, { name, shape: [...t.shape], dtype: t.dtype, data: t.data.slice() }]),
  );
  edit(ts);
  const path = join(tmp, file);
  writeFileSync(path, writeSafetensors([...ts.values()], f.metadata));
  return path;
}

const score = (weights: string, inputs: string, method: string, out = join(tmp, `${method}.safetensors`)) =>
  runCli([
    'score',
    '--arch',
    join(CASE, 'case.json'),
    '--weights',
    weights,
    '--inputs',
    inputs,
    '--method',
    method,
    '--density',
    '0.1',
    '--out',
    out,
  ]);

describe('non-finite weights and inputs are refused (defect 1)', () => {
  const w = read(join(CASE, 'weights.safetensors'));
  const x = read(join(CASE, 'inputs.safetensors'));
  const nanWeights = rewrite(w, 'nan-w.safetensors', (t) => ((t.get('conv1.weight')!.data as Float32Array)[0] = NaN));
  const infWeights = rewrite(w, 'inf-w.safetensors', (t) => ((t.get('conv2.weight')!.data as Float32Array)[5] = -Infinity));
  const nanX = rewrite(x, 'nan-x.safetensors', (t) => ((t.get('x')!.data as Float32Array)[7] = NaN));

  for (const method of ['snip', 'px', 'synflow', 'grasp', 'mag']) {
    it(`${method} on a NaN weight: exit 2, names the tensor and the index`, async () => {
      const r = await score(nanWeights, join(CASE, 'inputs.safetensors'), method);
      expect(r.code).toBe(2);
      expect(isClearLine(r.stderr)).toBe(true);
      expect(r.stderr).toMatch(/tensor "conv1\.weight" holds NaN at index \[0, 0, 0, 0\]/);
    });
  }
  it('an -Inf weight names its index', async () => {
    const r = await score(infWeights, join(CASE, 'inputs.safetensors'), 'px');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"conv2\.weight" holds -Infinity at index \[0, 0, 1, 2\]/);
  });
  it('px on a NaN pixel: exit 2, names "x" and the index', async () => {
    const r = await score(join(CASE, 'weights.safetensors'), nanX, 'px');
    expect(r.code).toBe(2);
    expect(isClearLine(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(/tensor "x" holds NaN at index \[0, 0, 0, 7\]/);
  });
  it('the page path (runScoreJob) refuses NaN inputs and weights too', async () => {
    const model = buildModel(parseArch(JSON.parse(readFileSync(join(CASE, 'case.json'), 'utf8')).arch));
    const sd: StateDict = new Map(model.params.map((p) => [p.name, toFloat32(w.tensors.get(p.name)!).slice()]));
    const xs = toFloat32(x.tensors.get('x')!).slice();
    const y = Int32Array.from(x.tensors.get('y')!.data as BigInt64Array, Number);
    const shape = x.tensors.get('x')!.shape as [number, number, number, number];
    xs[3] = Infinity;
    const before = tf.memory().numTensors;
    await expect(runScoreJob({ model, stateDict: sd, x: xs, xShape: shape, y, method: 'snip', density: 0.1, rounds: 1 })).rejects.toThrow(
      /inputs: x holds Infinity/,
    );
    xs[3] = 0;
    sd.get('fc.weight')![2] = NaN;
    await expect(runScoreJob({ model, stateDict: sd, x: xs, xShape: shape, y, method: 'px', density: 0.1, rounds: 1 })).rejects.toThrow(
      /"fc\.weight" holds NaN/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('scores are checked every round; tfjs errors get context and free their tensors (defects 1, 2)', () => {
  const w = read(join(CASE, 'weights.safetensors'));
  const model = buildModel(parseArch(JSON.parse(readFileSync(join(CASE, 'case.json'), 'utf8')).arch));
  const nanParams = () => {
    const sd: StateDict = new Map(model.params.map((p) => [p.name, toFloat32(w.tensors.get(p.name)!).slice()]));
    sd.get('conv1.weight')![0] = NaN;
    return toParamMap(model, sd);
  };
  for (const method of ['synflow', 'mag', 'rand'] as const) {
    it(`${method} straight on NaN parameters (no loader check): an error with method, round and layer; tf.memory() back to baseline`, async () => {
      const params = nanParams();
      const before = tf.memory().numTensors;
      let message = '';
      try {
        const res = await prune(
          makePruner(method),
          { model, params, lossBatches: [], subsetBatches: [], rng: Rng.derive(0, method) },
          { density: 0.1, rounds: 3, scope: 'global' },
        );
        [res.masks, res.scores].forEach((m) => Object.values(m).forEach((t) => t.dispose()));
      } catch (e) {
        message = (e as Error).message;
      }
      expect(tf.memory().numTensors).toBe(before);
      Object.values(params).forEach((t) => t.dispose());
      if (method === 'rand')
        expect(message).toBe(''); // random scores never read the weights
      else {
        expect(message).toMatch(new RegExp(`^${method} round 1/3`));
        if (!/gradient/.test(message)) expect(message).toMatch(/layer conv1\.weight: score NaN at flat index \d+/);
      }
    });
  }
});

describe('labels and empty inputs (defects 4, 5)', () => {
  const x = read(join(CASE, 'inputs.safetensors'));
  it('a label of 2^32 is refused before conversion (it wrapped to 0)', async () => {
    const p = rewrite(x, 'y-2e32.safetensors', (t) => ((t.get('y')!.data as BigInt64Array)[1] = 2n ** 32n));
    const r = await score(join(CASE, 'weights.safetensors'), p, 'px');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/tensor "y" holds label 4294967296 at 1, outside 0\.\.9/);
  });
  it('a negative label and a label ≥ classes are refused', async () => {
    const neg = rewrite(x, 'y-neg.safetensors', (t) => ((t.get('y')!.data as BigInt64Array)[0] = -1n));
    expect((await score(join(CASE, 'weights.safetensors'), neg, 'snip')).stderr).toMatch(/holds label -1 at 0, outside 0\.\.9/);
    const big = rewrite(x, 'y-10.safetensors', (t) => ((t.get('y')!.data as BigInt64Array)[2] = 10n));
    expect((await score(join(CASE, 'weights.safetensors'), big, 'snip')).stderr).toMatch(/holds label 10 at 2, outside 0\.\.9/);
  });
  it('empty inputs say the inputs are empty', async () => {
    const p = join(tmp, 'empty.safetensors');
    writeFileSync(
      p,
      writeSafetensors([
        { name: 'x', shape: [0, 3, 16, 16], data: new Float32Array(0) },
        { name: 'y', shape: [0], data: new BigInt64Array(0) },
      ]),
    );
    const r = await score(join(CASE, 'weights.safetensors'), p, 'px');
    expect(r.code).toBe(2);
    expect(isClearLine(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(/the inputs are empty/);
    expect(r.stderr).not.toMatch(/examples per class/);
  });
});
