// `px-lab transfer` through the real CLI (in process): a run on a checkpoint made by `px-lab train`
// writes the protocol's result and repeats exactly; bad weight files (wrong name, wrong shape,
// NaN, truncated body, another architecture) each fail with their own one-line message.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, parseArch } from '../src/core/models';
import { initStateDict } from '../src/core/models/state';
import { parseSafetensors, writeSafetensors, type TensorToWrite } from '../src/shared/safetensors';
import type { TransferResult } from '../src/shared/transfer';
import { isClearLine, runCli } from './cliHarness';

const tmp = mkdtempSync(join(tmpdir(), 'pxlab-transfer-'));
const SPEC = { kind: 'convnet', input: [1, 8, 8], channels: [4, 8], strides: [1, 2], batchnorm: true, bias: false, classes: 10 };
const specPath = join(tmp, 'spec.json');
const ckpt = join(tmp, 'ckpt.safetensors');

/** The checkpoint's tensors, edited, written without (or with) its metadata. */
function variant(file: string, edit: (t: Map<string, TensorToWrite>) => void, keepMeta = false): string {
  const f = parseSafetensors(new Uint8Array(readFileSync(ckpt)), ckpt);
  const ts = new Map<string, TensorToWrite>(
    [...f.tensors].map(([name, t]) => [name, { name, shape: [...t.shape], dtype: t.dtype, data: t.data.slice() }]),
  );
  edit(ts);
  const path = join(tmp, file);
  writeFileSync(path, writeSafetensors([...ts.values()], keepMeta ? f.metadata : {}));
  return path;
}

const transfer = (weights: string, out = join(tmp, 'r.json'), extra: string[] = []) =>
  runCli([
    'transfer',
    '--arch',
    specPath,
    '--weights',
    weights,
    '--dataset',
    'synthetic',
    '--method',
    'rand,snip,synflow',
    '--density',
    '0.5,0.2',
    '--rounds',
    '2',
    // one seed (a transfer's default is three; the 2-seed case is the shipped ConvNet's below)
    '--seed',
    '0',
    '--out',
    out,
    ...extra,
  ]);

beforeAll(async () => {
  writeFileSync(specPath, JSON.stringify(SPEC));
  const r = await runCli([
    'train',
    '--arch',
    specPath,
    '--dataset',
    'synthetic',
    '--method',
    'dense',
    '--steps',
    '4',
    '--seed',
    '0',
    '--out',
    ckpt,
  ]);
  expect(r.code, r.stderr).toBe(0);
});

describe('px-lab transfer', () => {
  it('runs the protocol on a px-lab train checkpoint and gives the same numbers twice', async () => {
    const a = await transfer(ckpt, join(tmp, 'a.json'));
    expect(a.code, a.stderr).toBe(0);
    const b = await transfer(ckpt, join(tmp, 'b.json'));
    expect(b.code, b.stderr).toBe(0);
    const ra = JSON.parse(readFileSync(join(tmp, 'a.json'), 'utf8')) as TransferResult;
    const rb = JSON.parse(readFileSync(join(tmp, 'b.json'), 'utf8')) as TransferResult;
    expect(ra.kind).toBe('px-lab-transfer');
    expect(ra.weightsSha256).toBe(createHash('sha256').update(readFileSync(ckpt)).digest('hex'));
    expect(ra.head).toEqual({ split: 'train', samples: 1000, features: 8, alpha: 1 });
    expect(ra.cells.map((c) => `${c.method}@${c.density}`)).toEqual([
      'rand@0.5',
      'rand@0.2',
      'snip@0.5',
      'snip@0.2',
      'synflow@0.5',
      'synflow@0.2',
    ]);
    const model = buildModel(parseArch(SPEC));
    const backboneTotal = model.prunable.filter((l) => l.module !== 'fc').reduce((s, l) => s + l.numel, 0);
    for (const c of ra.cells) {
      expect(c.total).toBe(backboneTotal);
      expect(c.zeroShotAccuracy).toBeGreaterThanOrEqual(0);
      expect(c.zeroShotAccuracy).toBeLessThanOrEqual(1);
    }
    expect(ra.dense.zeroShotAccuracy).toBeGreaterThan(0.1); // synthetic classes are separable by the head
    expect(rb.cells.map((c) => c.zeroShotAccuracy)).toEqual(ra.cells.map((c) => c.zeroShotAccuracy));
    expect(rb.dense).toEqual(ra.dense);
  });

  it('over 2 seeds: one cell per seed (seed-major), the JSON summary and every CSV row carry mean and std', async () => {
    const out = join(tmp, 'seeds.json');
    const csv = join(tmp, 'seeds.csv');
    const r = await transfer(ckpt, out, ['--seeds', '0,1', '--csv', csv]);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(out, 'utf8')) as TransferResult;
    expect(res.settings.seeds).toEqual([0, 1]);
    expect(res.cells.map((c) => `${c.seed}:${c.method}@${c.density}`)).toEqual(
      [0, 1].flatMap((seed) => ['rand', 'snip', 'synflow'].flatMap((m) => [0.5, 0.2].map((d) => `${seed}:${m}@${d}`))),
    );
    // the random masks of two seeds differ
    const rand = res.cells.filter((c) => c.method === 'rand' && c.density === 0.5);
    expect(rand[0].probeAccuracy === rand[1].probeAccuracy && rand[0].zeroShotAccuracy === rand[1].zeroShotAccuracy).toBe(false);
    const rows = readFileSync(csv, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const col = (name: string) => rows[0].indexOf(name);
    expect(rows[0].slice(-5)).toEqual(['zero_shot_mean', 'zero_shot_std', 'probe_mean', 'probe_std', 'n_seeds']);
    expect(rows.slice(2).map((x) => [x[0], Number(x[col('seed')]), Number(x[col('probe_accuracy')])])).toEqual(
      res.cells.map((c) => [c.method, c.seed, c.probeAccuracy]),
    );
    // the mean and sample std over the two seeds, recomputed here: in the JSON summary and every row
    for (const c of res.cells.slice(0, 6)) {
      const probes = res.cells.filter((x) => x.method === c.method && x.density === c.density).map((x) => x.probeAccuracy);
      const mean = (probes[0] + probes[1]) / 2;
      const std = Math.abs(probes[0] - probes[1]) / Math.SQRT2;
      const s = res.summary!.find((x) => x.method === c.method && x.density === c.density)!;
      expect(s.seeds).toEqual([0, 1]);
      expect(s.probe.values).toEqual(probes);
      expect(s.probe.mean).toBeCloseTo(mean, 12);
      expect(s.probe.std).toBeCloseTo(std, 12);
      for (const row of rows.filter((x) => x[0] === c.method && Number(x[1]) === c.density)) {
        expect(Number(row[col('probe_mean')])).toBeCloseTo(mean, 12);
        expect(Number(row[col('probe_std')])).toBeCloseTo(std, 12);
        expect(row[col('n_seeds')]).toBe('2');
      }
    }
  });

  it('fits the head on the test split when asked (the official choice) and fine-tunes', async () => {
    const r = await runCli([
      'transfer',
      '--arch',
      specPath,
      '--weights',
      ckpt,
      '--dataset',
      'synthetic',
      '--method',
      'rand',
      '--density',
      '0.5',
      '--head-split',
      'test',
      '--fine-tune-epochs',
      '1',
      '--seed',
      '0',
      '--out',
      join(tmp, 'ft.json'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(join(tmp, 'ft.json'), 'utf8')) as TransferResult;
    expect(res.head.samples).toBe(200);
    expect(res.cells[0].fineTunedAccuracy).not.toBeNull();
    expect(res.dense.fineTunedAccuracy).not.toBeNull();
  });

  it('the shipped ConvNet (Fashion-MNIST) on MNIST at 50%: the refitted probe beats the dense head; JSON and CSV carry both', async () => {
    const out = join(tmp, 'real.json');
    const csv = join(tmp, 'real.csv');
    const r = await runCli([
      'transfer',
      '--arch',
      'convnet',
      '--weights',
      'convnet-fashion-mnist',
      '--dataset',
      'mnist',
      '--method',
      'snip,rand',
      '--density',
      '0.5',
      '--train-examples',
      '1000',
      '--test-examples',
      '500',
      '--seed',
      '0',
      '--out',
      out,
      '--csv',
      csv,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(out, 'utf8')) as TransferResult;
    // pruning shifts the features; the dense head does not survive it, a probe refitted on them does
    // (measured on 1,000 / 500 images: snip zero-shot 15.0%, probe 66.6%; random 11.0%, 46.2%; dense 68.6%)
    for (const c of res.cells) expect(c.probeAccuracy, c.method).toBeGreaterThan(c.zeroShotAccuracy + 0.2);
    const rows = readFileSync(csv, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    expect(rows[0]).toEqual([
      'method',
      'density',
      'seed',
      'kept',
      'total',
      'head_split',
      'zero_shot_accuracy',
      'probe_accuracy',
      'fine_tuned_accuracy',
      'prune_seconds',
      'zero_shot_mean',
      'zero_shot_std',
      'probe_mean',
      'probe_std',
      'n_seeds',
    ]);
    expect(rows[1].slice(0, 8)).toEqual([
      'dense',
      '1',
      '',
      '',
      '',
      'train',
      String(res.dense.zeroShotAccuracy),
      String(res.dense.zeroShotAccuracy),
    ]);
    expect(rows.slice(2).map((x) => [x[0], Number(x[1]), Number(x[2]), Number(x[6]), Number(x[7])])).toEqual(
      res.cells.map((c) => [c.method, c.density, 0, c.zeroShotAccuracy, c.probeAccuracy]),
    );
  });

  const cases: Array<[string, () => string, RegExp]> = [
    [
      'a wrong name',
      () =>
        variant('name.safetensors', (t) => {
          const x = t.get('conv2.weight')!;
          t.delete('conv2.weight');
          t.set('conv2.weigth', { ...x, name: 'conv2.weigth' });
        }),
      /tensor names differ: missing "conv2\.weight" \[8,4,3,3\]; unexpected "conv2\.weigth"/,
    ],
    [
      'a wrong shape',
      () =>
        variant('shape.safetensors', (t) =>
          t.set('conv2.weight', { name: 'conv2.weight', shape: [8, 4, 1, 1], data: new Float32Array(32) }),
        ),
      /"conv2\.weight" has shape \[8,4,1,1\], ConvNet .* needs \[8,4,3,3\]/,
    ],
    [
      'NaN',
      () => variant('nan.safetensors', (t) => ((t.get('bn1.weight')!.data as Float32Array)[2] = NaN)),
      /tensor "bn1\.weight" holds NaN at index \[2\]/,
    ],
    [
      'a truncated body',
      () => {
        const bytes = readFileSync(ckpt);
        const p = join(tmp, 'trunc.safetensors');
        writeFileSync(p, bytes.subarray(0, bytes.length - 100));
        return p;
      },
      /trunc\.safetensors.*(data|bytes|short|truncat)/i,
    ],
    [
      'another zoo architecture (no metadata)',
      () => {
        const mlp = buildModel('mlp');
        const sd = initStateDict(mlp, 0);
        const p = join(tmp, 'mlp.safetensors');
        writeFileSync(p, writeSafetensors(mlp.params.map((q) => ({ name: q.name, shape: q.torchShape, data: sd.get(q.name)! }))));
        return p;
      },
      /looks like another architecture's state_dict/,
    ],
    [
      'another architecture (px-lab train metadata)',
      () => {
        const f = parseSafetensors(new Uint8Array(readFileSync(ckpt)), ckpt);
        const p = join(tmp, 'meta.safetensors');
        const ts = [...f.tensors].map(([name, t]) => ({ name, shape: t.shape, dtype: t.dtype, data: t.data }));
        writeFileSync(p, writeSafetensors(ts, { ...f.metadata, arch: JSON.stringify({ ...SPEC, channels: [4, 16] }) }));
        return p;
      },
      /made for another architecture \(convnet channels \[4,16\]/,
    ],
  ];
  const messages = new Set<string>();
  for (const [what, make, re] of cases) {
    it(`a weights file with ${what}: its own clear message, exit 2`, async () => {
      const r = await transfer(make(), join(tmp, 'never.json'));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(isClearLine(r.stderr)).toBe(true);
      messages.add(r.stderr.replace(/\/[^\s:]*\.safetensors/g, 'FILE'));
    });
  }
  it('the six messages all differ', () => expect(messages.size).toBe(cases.length));
});
