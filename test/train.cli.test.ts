// `npx px-lab train` in its exact form on every public training fixture reproduces the official
// PyTorch float32 run: per tensor ‖got−want‖/‖want‖ ≤ max(1e-4, 10 × that tensor's own
// float32-vs-float64 distance) with masked weights compared as weight·mask, per-step losses
// within 1e-4 relative. Then the dataset form, the sweep's plan → cells → merge round trip, and
// one-line errors.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSafetensors, toFloat32 } from '../src/shared/safetensors';
import { SweepResultSchema } from '../src/shared/train';
import { FIXTURES, relL2 } from './fixtures';

const TRAIN = join(FIXTURES, 'train', 'public');
const out = mkdtempSync(join(tmpdir(), 'pxlab-train-'));
const npx = (args: string[]) => spawnSync('npx', ['px-lab', ...args], { encoding: 'utf8', cwd: process.cwd() });
const read = (p: string) => parseSafetensors(new Uint8Array(readFileSync(p)), p);

describe('npx px-lab train (exact form) reproduces the official training steps', () => {
  for (const name of readdirSync(TRAIN).sort()) {
    it(name, () => {
      const dir = join(TRAIN, name);
      const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
      const file = join(out, `${name}.safetensors`);
      const res = npx([
        'train',
        '--arch',
        join(dir, 'case.json'),
        '--weights',
        join(dir, 'weights.safetensors'),
        '--masks',
        join(dir, 'masks.safetensors'),
        '--inputs',
        join(dir, 'inputs.safetensors'),
        '--batch-size',
        String(c.batch_size),
        '--steps',
        String(c.steps),
        '--lr',
        String(c.lr),
        '--momentum',
        String(c.momentum),
        '--weight-decay',
        String(c.weight_decay),
        ...(c.nesterov ? ['--nesterov'] : []),
        '--no-shuffle',
        '--no-augment',
        '--out',
        file,
      ]);
      expect(res.status, res.stderr).toBe(0);
      const got = read(file);
      const want = read(join(dir, 'expected', 'state.safetensors'));
      const masks = read(join(dir, 'masks.safetensors'));
      const losses = JSON.parse(got.metadata.losses) as number[];
      expect(losses).toHaveLength(c.steps);
      losses.forEach((l, i) => expect(Math.abs(l - c.losses[i]) / Math.abs(c.losses[i]), `loss of step ${i}`).toBeLessThanOrEqual(1e-4));
      const errors: Record<string, number> = {};
      for (const [k, t] of want.tensors) {
        const g = got.tensors.get(k);
        expect(g, k).toBeDefined();
        expect(g!.shape).toEqual(t.shape);
        const m = masks.tensors.get(`${k}_mask`);
        const mv = m ? toFloat32(m) : null;
        const a = toFloat32(g!).map((v, i) => (mv ? v * mv[i] : v));
        const b = toFloat32(t).map((v, i) => (mv ? v * mv[i] : v));
        errors[k] = relL2(a, b);
        expect(errors[k], k).toBeLessThanOrEqual(Math.max(1e-4, 10 * c.float32_vs_float64_rel_l2[k]));
      }
      // the trained state carries every model entry (Identity shortcuts included) and the masks
      expect(got.tensors.size).toBeGreaterThanOrEqual(want.tensors.size);
      const ratio = Math.max(...Object.entries(errors).map(([k, e]) => e / Math.max(1e-4, 10 * c.float32_vs_float64_rel_l2[k])));
      console.log(
        `${name}: worst tensor error ${Math.max(...Object.values(errors)).toExponential(2)} (worst error/tolerance ${ratio.toFixed(3)}), worst loss error ${Math.max(...losses.map((l, i) => Math.abs(l - c.losses[i]) / c.losses[i])).toExponential(2)}`,
      );
    });
  }
});

describe('npx px-lab sweep: plan → cells → merge', () => {
  it('runs every cell of a plan into its own file and merges them into one JSON and CSV', () => {
    const plan = join(out, 'plan.json');
    const cells = join(out, 'cells');
    const grid = [
      '--arch',
      join(TRAIN, 'mlp', 'case.json'),
      '--dataset',
      'synthetic',
      '--methods',
      'snip,rand',
      '--densities',
      '0.5,0.1',
      '--seeds',
      '3',
      '--steps',
      '3',
      '--batch-size',
      '16',
      '--eval-batch-size',
      '64',
    ];
    const p = npx(['sweep', ...grid, '--plan', plan]);
    expect(p.status, p.stderr).toBe(0);
    const planned = JSON.parse(readFileSync(plan, 'utf8'));
    expect(planned.cells).toHaveLength(5); // 2 methods × 2 densities + dense
    for (const i of [0, 1, 2, 3, 4]) {
      const r = npx(['sweep', '--plan', plan, '--cell', String(i), '--cells', cells]);
      expect(r.status, r.stderr).toBe(0);
    }
    const incomplete = npx(['sweep', '--plan', plan, '--merge', '--cells', join(out, 'nowhere'), '--out', join(out, 'x.json')]);
    expect(incomplete.status).toBe(2);
    const merged = join(out, 'sweep.json');
    const m = npx(['sweep', '--plan', plan, '--merge', '--cells', cells, '--out', merged, '--csv', join(out, 'sweep.csv')]);
    expect(m.status, m.stderr).toBe(0);
    const sweep = SweepResultSchema.parse(JSON.parse(readFileSync(merged, 'utf8')));
    expect(sweep.results.map((r) => [r.cell.method, r.cell.density])).toEqual([
      ['snip', 0.5],
      ['snip', 0.1],
      ['rand', 0.5],
      ['rand', 0.1],
      ['dense', 1],
    ]);
    for (const r of sweep.results) {
      expect(r.kept / r.total).toBeCloseTo(r.cell.density, 2);
      expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(r.epochs.at(-1)!.step).toBe(3);
    }
    const csv = readFileSync(join(out, 'sweep.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(6);
    // the same grid run locally in one go gives the same numbers (cells are deterministic)
    const local = join(out, 'local.json');
    const l = npx(['sweep', ...grid, '--out', local]);
    expect(l.status, l.stderr).toBe(0);
    const again = SweepResultSchema.parse(JSON.parse(readFileSync(local, 'utf8')));
    expect(again.results.map((r) => r.testAccuracy)).toEqual(sweep.results.map((r) => r.testAccuracy));
    expect(again.results.map((r) => r.trainLoss)).toEqual(sweep.results.map((r) => r.trainLoss));
  });
});

describe('npx px-lab train: dataset form and errors', () => {
  it('prunes, trains and logs per epoch on a dataset', () => {
    const file = join(out, 'ds.safetensors');
    const log = join(out, 'ds.json');
    const r = npx([
      'train',
      '--arch',
      join(TRAIN, 'mlp', 'case.json'),
      '--dataset',
      'synthetic',
      '--method',
      'snip',
      '--density',
      '0.2',
      '--epochs',
      '2',
      '--batch-size',
      '64',
      '--seed',
      '1',
      '--out',
      file,
      '--log',
      log,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(log, 'utf8'));
    expect(j.epochs).toHaveLength(2);
    expect(j.kept / j.total).toBeCloseTo(0.2, 2);
    for (const e of j.epochs) expect(e.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(read(file).tensors.has('l1.weight_mask')).toBe(true);
  });

  const dir = join(TRAIN, 'mlp');
  const exact = [
    'train',
    '--arch',
    join(dir, 'case.json'),
    '--weights',
    join(dir, 'weights.safetensors'),
    '--inputs',
    join(dir, 'inputs.safetensors'),
    '--out',
    join(out, 'e.safetensors'),
  ];
  const cases: Array<[string, string[], RegExp]> = [
    ['no --steps in exact form', exact, /missing --steps/],
    ['bad --lr', [...exact, '--steps', '1', '--lr', '0'], /--lr must be/],
    ['bad --schedule', [...exact, '--steps', '1', '--schedule', 'step'], /--schedule must be/],
    ['unknown flag', [...exact, '--steps', '1', '--bogus'], /bogus/],
    [
      'missing weights file',
      [
        'train',
        '--arch',
        'mlp',
        '--weights',
        join(out, 'none.safetensors'),
        '--inputs',
        join(dir, 'inputs.safetensors'),
        '--steps',
        '1',
        '--out',
        join(out, 'e.safetensors'),
      ],
      /not found/,
    ],
    [
      'dataset form without masks or method',
      ['train', '--arch', 'mlp', '--dataset', 'synthetic', '--out', join(out, 'e.safetensors')],
      /--masks/,
    ],
    [
      'inversion without a method to invert',
      [
        'train',
        '--arch',
        'mlp',
        '--dataset',
        'synthetic',
        '--method',
        'dense',
        '--ablation',
        'invert-scores',
        '--out',
        join(out, 'e.safetensors'),
      ],
      /invert-scores inverts a method's scores when pruning: give --method X --density d/,
    ],
    ['sweep cell out of range', ['sweep', '--plan', join(out, 'plan.json'), '--cell', '99', '--cells', join(out, 'c')], /--cell must be/],
  ];
  for (const [what, args, msg] of cases) {
    it(what, () => {
      const r = npx(args);
      expect(r.status).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines[lines.length - 1]).toMatch(msg);
      expect(existsSync(join(out, 'e.safetensors'))).toBe(false);
    });
  }
});
