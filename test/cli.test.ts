// The CLI as a user runs it: `npx px-lab score …` on the public safetensors set reproduces the
// official expected files; bad input exits non-zero with one clear line.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSafetensors, toFloat32 } from '../src/shared/safetensors';
import { PUBLIC, relL2 } from './fixtures';

const out = mkdtempSync(join(tmpdir(), 'pxlab-cli-'));
const npx = (args: string[]) => spawnSync('npx', ['px-lab', ...args], { encoding: 'utf8', cwd: process.cwd() });

const RUNS: Array<[string, string]> = [
  ['mlp', 'px_R10'],
  ['mlp', 'snip_R1'],
  ['mlp', 'synflow_R10'],
  ['mlp', 'px-official_R1'],
  ['conv_nobn', 'px_R1'],
  ['conv_nobn', 'grasp_R1'],
  ['conv_nobn', 'mag_R1'],
  ['conv_bn', 'px_R10'],
  ['conv_bn', 'synflow_R1'],
  ['conv_bn', 'snip_R1'],
  ['resnet20', 'px_R10'],
  ['resnet20', 'synflow_R1'],
];

describe('npx px-lab score reproduces the expected files', () => {
  for (const [name, f] of RUNS) {
    it(`${name} ${f}`, () => {
      const dir = join(PUBLIC, name);
      const [method, r] = f.split('_');
      const file = join(out, `${name}_${f}.safetensors`);
      const res = npx([
        'score',
        '--arch',
        join(dir, 'case.json'),
        '--weights',
        join(dir, 'weights.safetensors'),
        '--inputs',
        join(dir, 'inputs.safetensors'),
        '--method',
        method,
        '--density',
        '0.1',
        '--rounds',
        r.slice(1),
        '--out',
        file,
      ]);
      expect(res.status, res.stderr).toBe(0);
      const got = parseSafetensors(new Uint8Array(readFileSync(file)));
      const want = parseSafetensors(new Uint8Array(readFileSync(join(dir, 'expected', `${f}_d0.1.safetensors`))));
      expect(got.metadata.kept).toBe(want.metadata.kept_total);
      expect(got.metadata.total).toBe(want.metadata.total);
      expect([...got.tensors.keys()].sort()).toEqual([...want.tensors.keys()].sort());
      const g: number[] = [];
      const w: number[] = [];
      let mismatches = 0;
      for (const [k, t] of want.tensors) {
        const gt = got.tensors.get(k)!;
        expect(gt.shape).toEqual(t.shape);
        if (k.endsWith('_mask'))
          toFloat32(t).forEach((v, i) => {
            if (v !== (gt.data as Float32Array)[i]) mismatches++;
          });
        else {
          g.push(...(gt.data as Float32Array));
          w.push(...Array.from(t.data as Float32Array | Float64Array, Number));
        }
      }
      expect(mismatches).toBe(0);
      // true scores = stored × exp(score_log_scale) (PX on deep BN nets): compare up to one factor
      const unit = (a: number[]) => {
        let s = 0;
        for (const v of a) s += (v / 1e30) ** 2;
        const n = Math.sqrt(s);
        return a.map((v) => v / 1e30 / n);
      };
      expect(relL2(unit(g), unit(w))).toBeLessThan(1e-4);
      expect(Number(got.metadata.score_log_scale)).toBeGreaterThanOrEqual(0);
    });
  }
});

describe('px-lab errors are one clear line and a non-zero exit', () => {
  const dir = join(PUBLIC, 'mlp');
  const base = [
    'score',
    '--arch',
    join(dir, 'case.json'),
    '--weights',
    join(dir, 'weights.safetensors'),
    '--inputs',
    join(dir, 'inputs.safetensors'),
    '--method',
    'px',
    '--out',
    join(out, 'x.safetensors'),
  ];
  const bad = join(out, 'bad.safetensors');
  writeFileSync(bad, new Uint8Array([1, 2, 3]));
  const cases: Array<[string, string[], RegExp]> = [
    ['unknown arch', ['score', '--arch', 'resnet99', ...base.slice(3)], /unknown arch "resnet99"/],
    ['unknown method', [...base.slice(0, 7), '--method', 'foo', ...base.slice(9)], /unknown method "foo"/],
    ['density outside (0,1]', [...base, '--density', '0'], /--density must be in \(0, 1\]/],
    ['missing weights file', [...base.slice(0, 3), '--weights', join(out, 'nope.safetensors'), ...base.slice(5)], /weights file not found/],
    ['bad weights file', [...base.slice(0, 3), '--weights', bad, ...base.slice(5)], /not a safetensors file/],
    ['weights of another arch', ['score', '--arch', 'resnet20', ...base.slice(3)], /do not fit ResNet-20/],
    [
      'shape mismatch of inputs',
      [
        'score',
        '--arch',
        join(dir, 'case.json'),
        '--weights',
        join(dir, 'weights.safetensors'),
        '--inputs',
        join(PUBLIC, 'conv_bn', 'inputs.safetensors'),
        '--method',
        'px',
        '--out',
        join(out, 'y.safetensors'),
      ],
      /inputs are 3×16×16/,
    ],
    ['unknown command', ['frobnicate'], /unknown command "frobnicate"/],
  ];
  for (const [what, args, msg] of cases) {
    it(what, () => {
      const res = npx(args);
      expect(res.status).not.toBe(0);
      const lines = res.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('npm '));
      expect(lines.length).toBe(1);
      expect(lines[0]).toMatch(msg);
    });
  }

  it('prune on synthetic data writes masks and a summary', () => {
    const m = join(out, 'p.safetensors');
    const s = join(out, 'p.json');
    execFileSync(
      'npx',
      [
        'px-lab',
        'prune',
        '--arch',
        'mlp',
        '--dataset',
        'synthetic',
        '--method',
        'px',
        '--density',
        '0.05',
        '--rounds',
        '3',
        '--seed',
        '4',
        '--out',
        m,
        '--summary',
        s,
      ],
      {
        stdio: 'pipe',
      },
    );
    const summary = JSON.parse(readFileSync(s, 'utf8'));
    const f = parseSafetensors(new Uint8Array(readFileSync(m)));
    const kept = [...f.tensors.values()].reduce((a, t) => a + (t.data as Float32Array).reduce((x, y) => x + y, 0), 0);
    expect(kept).toBe(summary.kept);
    expect(summary.kept).toBe(summary.total - Math.trunc((1 - 0.05) * summary.total));
    expect(summary.subset_indices.length).toBe(100);
    expect([...f.tensors.keys()]).toEqual(['l1.weight_mask', 'l2.weight_mask', 'fc.weight_mask']);
  });
});
