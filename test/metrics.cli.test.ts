// `px-lab ntk` and `px-lab layers` end to end (node bin/px-lab.mjs, as a user runs them).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PUBLIC } from './fixtures';
import { topEigenRelError } from './ntkFixtures';

const run = promisify(execFile);
const ROOT = join(PUBLIC, '..', '..', '..', '..');
const CASE = join(PUBLIC, 'mlp');
const OUT = mkdtempSync(join(tmpdir(), 'px-lab-metrics-'));
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

function pxLab(args: string[]) {
  return run(process.execPath, [join(ROOT, 'bin', 'px-lab.mjs'), ...args], { cwd: ROOT, env: { ...process.env, PXLAB_BACKEND: 'wasm' } });
}

describe('px-lab CLI', () => {
  it('ntk on the public mlp case with the PX R10 masks matches the fixture', async () => {
    const out = join(OUT, 'ntk.json');
    await pxLab([
      'ntk',
      '--arch',
      join(CASE, 'case.json'),
      '--weights',
      join(CASE, 'weights.safetensors'),
      '--inputs',
      join(CASE, 'inputs.safetensors'),
      '--masks',
      join(CASE, 'expected', 'px_R10_d0.1.safetensors'),
      '--n',
      '8',
      '--out',
      out,
    ]);
    const got = JSON.parse(readFileSync(out, 'utf8'));
    const want = JSON.parse(readFileSync(join(CASE, 'expected', 'ntk_px_R10_d0.1.json'), 'utf8'));
    expect(Object.keys(got)).toEqual(expect.arrayContaining(['eigenvalues_desc', 'trace', 'condition', 'trace_by_layer', 'n', 'classes']));
    expect(got.n).toBe(8);
    expect(got.classes).toBe(10);
    expect(got.eigenvalues_desc).toHaveLength(80);
    expect(topEigenRelError(got.eigenvalues_desc, want.eigenvalues_desc, 20)).toBeLessThan(1e-3);
    expect(Math.abs(got.trace - want.trace) / want.trace).toBeLessThan(1e-4);
    expect(Object.keys(got.trace_by_layer)).toEqual(['l1.weight', 'l2.weight', 'fc.weight']);
    const sum = Object.values(got.trace_by_layer as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - got.trace) / got.trace).toBeLessThan(1e-12);
    expect(got.condition).toBeGreaterThan(1);
    expect(got.condition).toBeCloseTo(got.eigenvalues_desc[0] / got.min_positive_eigenvalue, 6);
  });

  it('layers writes JSON and CSV; bad masks give a one-line error and exit code 2', async () => {
    const masks = join(CASE, 'expected', 'synflow_R10_d0.1.safetensors');
    const json = join(OUT, 'layers.json');
    const csv = join(OUT, 'layers.csv');
    await pxLab(['layers', '--arch', join(CASE, 'case.json'), '--masks', masks, '--out', json]);
    await pxLab(['layers', '--arch', join(CASE, 'case.json'), '--masks', masks, '--csv', '--out', csv]);
    const t = JSON.parse(readFileSync(json, 'utf8'));
    expect(t.layers.map((l: { layer: string }) => l.layer)).toEqual(['l1', 'l2', 'fc']);
    expect(t.network.kept).toBe(2576);
    expect(t.network.total).toBe(25760);
    expect(t.network.disconnected).toBe(false);
    expect(t.layers[0]).toHaveProperty('effective_width');
    expect(t.network.effective).toBeLessThanOrEqual(t.network.kept);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0].startsWith('layer,weight,kind,total,kept,density')).toBe(true);
    const bad = await pxLab(['layers', '--arch', join(CASE, 'case.json'), '--masks', join(CASE, 'weights.safetensors')]).then(
      () => null,
      (e) => e,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/weight_mask/);
  });
});
