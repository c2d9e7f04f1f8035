// Nothing silently wrong after training, through px-lab itself (in-process, test/cliHarness.ts):
// a diverged run is an error and writes nothing as a success; a sweep merge proves where every
// cell came from; user mistakes get one clear line, never raw Node or zod text.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SweepResultSchema } from '../src/shared/train';
import { isClearLine, runCli } from './cliHarness';

const tmp = mkdtempSync(join(tmpdir(), 'pxlab-integrity-'));
const grid = (lr: string) => [
  '--arch',
  'mlp',
  '--dataset',
  'synthetic',
  '--methods',
  'snip',
  '--densities',
  '0.5',
  // one seed: two cells (a sweep's default is three seeds)
  '--seeds',
  '0',
  '--steps',
  '5',
  '--batch-size',
  '32',
  '--lr',
  lr,
];
const lastLine = (s: string) => s.trim().split('\n').at(-1)!;
const json = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

async function plan(name: string, lr: string): Promise<string> {
  const p = join(tmp, name);
  const r = await runCli(['sweep', ...grid(lr), '--plan', p]);
  expect(r.code, r.stderr).toBe(0);
  return p;
}

async function refused(argv: string[], re: RegExp): Promise<string> {
  const r = await runCli(argv);
  expect(r.code, r.stderr).toBe(2);
  const line = lastLine(r.stderr);
  expect(line).toMatch(re);
  expect(isClearLine(line), line).toBe(true);
  expect(line).not.toMatch(/\bE[A-Z]{3,}\b|error: \[|ambiguous/);
  return line;
}

describe('divergence is a failure', () => {
  it('px-lab train --lr 100 exits non-zero naming the step, and writes neither weights nor log', async () => {
    const out = join(tmp, 't.safetensors');
    const log = join(tmp, 't.json');
    await refused(
      [
        'train',
        '--arch',
        'mlp',
        '--dataset',
        'synthetic',
        '--method',
        'dense',
        '--steps',
        '5',
        '--batch-size',
        '32',
        '--lr',
        '100',
        '--seed',
        '0',
        '--out',
        out,
        '--log',
        log,
      ],
      /^px-lab train: error: training diverged at step [1-5]\/5: .*lower the learning rate$/,
    );
    expect(existsSync(out)).toBe(false);
    expect(existsSync(log)).toBe(false);
  });

  it('a diverged --cell is recorded as failed (exit 2); --merge lists it under failed and exits 2', async () => {
    const p = await plan('diverge.json', '100');
    const cells = join(tmp, 'diverge-cells');
    await refused(
      ['sweep', '--plan', p, '--cell', '0', '--cells', cells],
      /training diverged at step \d\/5: .*recorded as failed in .*cell-0000\.json; re-run with px-lab sweep --plan .* --cell 0/,
    );
    const rec = json(join(cells, 'cell-0000.json'));
    expect(rec.status).toBe('failed');
    expect(rec.testAccuracy).toBeUndefined();
    expect((await runCli(['sweep', '--plan', p, '--cell', '1', '--cells', cells])).code).not.toBe(0); // dense at lr 100 diverges too
    const out = join(tmp, 'diverge-merged.json');
    await refused(
      ['sweep', '--plan', p, '--merge', '--cells', cells, '--out', out],
      /2 of 2 cells failed \(listed under "failed" in .*\); re-run them with px-lab sweep --plan/,
    );
    const merged = SweepResultSchema.parse(json(out));
    expect(merged.results).toEqual([]);
    expect(merged.failed.map((f) => f.cell.index)).toEqual([0, 1]);
  });

  it('a local sweep records diverged cells as failed in its output, never as an accuracy', async () => {
    const out = join(tmp, 'local-diverge.json');
    await refused(['sweep', ...grid('100'), '--out', out], /2 of 2 cells failed/);
    expect(SweepResultSchema.parse(json(out)).results).toEqual([]);
  });
});

describe('a sweep merge proves where every cell came from', () => {
  async function cellsOf(name: string, lr: string): Promise<{ p: string; dir: string }> {
    const p = await plan(`${name}.json`, lr);
    const dir = join(tmp, `${name}-cells`);
    for (const i of ['0', '1']) expect((await runCli(['sweep', '--plan', p, '--cell', i, '--cells', dir])).code).toBe(0);
    return { p, dir };
  }

  it('merges its own cells; refuses two files for one index, naming both', async () => {
    const { p, dir } = await cellsOf('own', '0.1');
    expect((await runCli(['sweep', '--plan', p, '--merge', '--cells', dir, '--out', join(tmp, 'own.json')])).code).toBe(0);
    const edited = json(join(dir, 'cell-0001.json'));
    edited.testAccuracy = 0.999;
    writeFileSync(join(dir, 'cell-01.json'), JSON.stringify(edited));
    await refused(
      ['sweep', '--plan', p, '--merge', '--cells', dir, '--out', join(tmp, 'x.json')],
      /cell 1 is given twice: .*cell-0001\.json and .*cell-01\.json/,
    );
  });

  it('refuses impossible values, naming the file and field', async () => {
    const { p, dir } = await cellsOf('bad', '0.1');
    for (const [field, value] of [
      ['testAccuracy', 7.5],
      ['kept', 1e9],
      ['testLoss', -3],
    ] as const) {
      const file = join(dir, 'cell-0000.json');
      const good = readFileSync(file, 'utf8');
      writeFileSync(file, JSON.stringify({ ...JSON.parse(good), [field]: value }));
      await refused(
        ['sweep', '--plan', p, '--merge', '--cells', dir, '--out', join(tmp, 'x.json')],
        new RegExp(`cell-0000\\.json: .*${field}`),
      );
      writeFileSync(file, good);
    }
  });

  it("refuses another plan's cells (MLP/synthetic cells under a ConvNet/MNIST plan)", async () => {
    const { dir } = await cellsOf('mlp', '0.1');
    const convnet = join(tmp, 'convnet.json');
    expect(
      (
        await runCli([
          'sweep',
          '--arch',
          'convnet',
          '--dataset',
          'mnist',
          '--methods',
          'snip',
          '--densities',
          '0.5',
          '--steps',
          '5',
          '--plan',
          convnet,
        ])
      ).code,
    ).toBe(0);
    await refused(
      ['sweep', '--plan', convnet, '--merge', '--cells', dir, '--out', join(tmp, 'x.json')],
      /cell-0000\.json: made for another plan/,
    );
  });

  it('a local sweep with --cells never reuses cells made with another recipe', async () => {
    const dir = join(tmp, 'resume');
    mkdirSync(dir);
    const { dir: fast } = await cellsOf('lr01', '0.1');
    copyFileSync(join(fast, 'cell-0000.json'), join(dir, 'cell-0000.json'));
    await refused(
      ['sweep', ...grid('0.001'), '--cells', dir, '--out', join(tmp, 'resumed.json')],
      /cell-0000\.json: made for another plan .*use another --cells folder/,
    );
    expect(existsSync(join(tmp, 'resumed.json'))).toBe(false);
  });
});

describe('clear messages', () => {
  it.each([
    [
      '--steps above the limit names it',
      ['train', '--arch', 'mlp', '--dataset', 'synthetic', '--method', 'dense', '--steps', '20000000', '--out', 'x'],
      /--steps must be an integer in 1\.\.10000000/,
    ],
    [
      '--merge --cells naming a file',
      ['sweep', '--plan', 'PLAN', '--merge', '--cells', 'PLAN', '--out', 'OUT'],
      /--cells .*: is a file, not a folder$/,
    ],
    [
      'train --out naming a folder',
      ['train', '--arch', 'mlp', '--dataset', 'synthetic', '--method', 'dense', '--steps', '2', '--out', 'TMP'],
      /--out .*: is a folder, not a file$/,
    ],
    [
      '--cell -1 gives the range',
      ['sweep', '--plan', 'PLAN', '--cell', '-1', '--cells', 'TMP'],
      /--cell must be an integer in 0\.\.1 \(the plan has 2 cells\) \(got "-1"\)/,
    ],
    [
      '--seeds 0x1 is not a decimal',
      ['sweep', '--arch', 'mlp', '--dataset', 'synthetic', '--seeds', '0x1', '--plan', 'OUT'],
      /--seeds: "0x1" is not an integer in 0\.\.2\^31-1/,
    ],
    [
      '--cell 0x1 is not a decimal',
      ['sweep', '--plan', 'PLAN', '--cell', '0x1', '--cells', 'TMP'],
      /--cell must be an integer in 0\.\.1 .*\(got "0x1"\)/,
    ],
    [
      '--cell refuses flags it would ignore',
      ['sweep', '--plan', 'PLAN', '--cell', '0', '--cells', 'TMP', '--epochs', '7', '--lr', '5'],
      /--cell runs the plan file's own settings: --epochs, --lr would be ignored/,
    ],
    [
      'a cell file that is not JSON',
      ['sweep', '--plan', 'PLAN', '--merge', '--cells', 'JUNK', '--out', 'OUT'],
      /cell-0000\.json: not JSON/,
    ],
  ])('%s', async (_what, args, re) => {
    const p = await plan('clear.json', '0.1');
    const junk = join(tmp, 'junk');
    mkdirSync(junk, { recursive: true });
    writeFileSync(join(junk, 'cell-0000.json'), '[');
    const argv = args.map((a) => ({ PLAN: p, TMP: tmp, OUT: join(tmp, 'o.json'), JUNK: junk })[a] ?? a);
    await refused(argv, re);
  });
});
