// The scheduler forms of `px-lab sweep` without a scheduler: the Kubernetes Indexed Job validated
// against the official batch/v1 Job schema (kubernetes-models' OpenAPI validator) and equal to the
// docs' example; the Slurm script equal to the docs' example; --status and --resubmit judged from
// the cells folder alone; --backend webgpu refusing in one line where there is no GPU. The real
// scheduler run is test/slurm.cluster.test.ts.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { describe, expect, it } from 'vitest';
import { backendsLine } from '../src/cli/sweep-backend';
import { arraySpec, specIndices } from '../src/cli/sweep-submit';
import { SweepPlanSchema } from '../src/shared/train';
import { runCli } from './cliHarness';
import { commandWith, docBlock, testedSweepCommands } from './docCommands';

const BIN = join(process.cwd(), 'bin', 'px-lab.mjs');
const out = mkdtempSync(join(tmpdir(), 'pxlab-submit-'));
/** px-lab in `out`, so the doc's relative names (plan.json, cells) are what the command sees. */
const pxlab = (args: string[]) => spawnSync(process.execPath, [BIN, 'sweep', ...args], { encoding: 'utf8', cwd: out });
/** px-lab in this process (quicker), with paths made absolute. */
const inProcess = async (args: string[], env: Record<string, string> = {}) => {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const r = await runCli(['sweep', ...args.map((a) => (/^[\w-]+(\.json|cells)$/.test(a) && !a.startsWith('-') ? join(out, a) : a))]);
    return { status: r.code, stdout: r.stdout, stderr: r.stderr };
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
};
const SLURM_DOC = testedSweepCommands('test/slurm.cluster.test.ts');
const K8S_DOC = testedSweepCommands('test/sweep.submit.test.ts');

function planned(): void {
  if (existsSync(join(out, 'plan.json'))) return;
  const p = pxlab(commandWith(SLURM_DOC, null, {}));
  expect(p.status, p.stderr).toBe(0);
}

describe('px-lab sweep --submit k8s', () => {
  it('writes the docs example: an Indexed Job with one completion per cell that passes the batch/v1 Job schema', () => {
    planned();
    const k = pxlab(commandWith(K8S_DOC, '--submit', {}));
    expect(k.status, k.stderr).toBe(0);
    const text = readFileSync(join(out, 'job.json'), 'utf8');
    const manifest = JSON.parse(text);
    // the docs' example is this manifest (compared as JSON: prettier lays out the doc's copy)
    expect(JSON.parse(docBlock('json', '<!-- tested: test/sweep.submit.test.ts -->'))).toEqual(manifest);
    expect(() => new Job(manifest).validate()).not.toThrow();
    const cells = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')).cells.length;
    expect(manifest.spec).toMatchObject({ completionMode: 'Indexed', completions: cells });
    const pod = manifest.spec.template.spec;
    expect(pod.containers[0].command.join(' ')).toContain(
      'node /app/bin/px-lab.mjs sweep --plan /work/plan.json --cell "$JOB_COMPLETION_INDEX" --cells /work/cells',
    );
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'work', mountPath: '/work' }]);
    expect(pod.volumes[0].persistentVolumeClaim.claimName).toBe('pxlab-work');
    // the validator can fail: the same manifest with a broken field does not pass
    expect(() => new Job({ ...manifest, spec: { ...manifest.spec, completions: String(cells) } }).validate()).toThrow(/completions/);
    expect(() => new Job({ ...manifest, spec: { ...manifest.spec, completionMode: 'ByIndex' } }).validate()).toThrow(/completionMode/);
  });

  it('asks for the GPU a webgpu plan needs, and refuses bad options in one line', async () => {
    planned();
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
    writeFileSync(join(out, 'gpu-plan.json'), JSON.stringify({ ...plan, plan: { ...plan.plan, backend: 'webgpu' } }));
    const k = await inProcess(['--plan', 'gpu-plan.json', '--submit', 'k8s', '--image', 'reg/px:1', '--parallelism', '2']);
    expect(k.status, k.stderr).toBe(0);
    const job = JSON.parse(k.stdout);
    expect(() => new Job(job).validate()).not.toThrow();
    expect(job.spec.parallelism).toBe(2);
    expect(job.spec.template.spec.containers[0].resources).toEqual({ limits: { 'nvidia.com/gpu': 1 } });
    for (const [args, msg] of [
      [['--submit', 'k8s'], /needs --image/],
      [['--submit', 'k8s', '--image', 'a b'], /needs --image/],
      [['--submit', 'k8s', '--image', 'i', '--job-name', 'Bad_Name'], /--job-name must be/],
      [['--submit', 'k8s', '--image', 'i', '--claim', 'UPPER'], /--claim must be/],
      [['--submit', 'pbs', '--cells', 'c'], /--submit must be slurm or k8s/],
      [['--submit', 'slurm', '--cells', 'c', '--gpus-per-task=-1', '--dry-run'], /--gpus-per-task must be/],
      [['--status', '--resubmit', '--cells', 'c'], /give one of/],
      [['--status', '--cells', 'plan.json'], /--cells .*plan\.json: is a file, not a folder/],
      [['--status', '--cells', 'c', '--arch', 'mlp'], /--status runs the plan file's own settings: --arch would be ignored/],
    ] as const) {
      const r = await inProcess(['--plan', 'plan.json', ...args]);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
  });
});

describe('px-lab sweep --submit slurm / --status / --resubmit without a scheduler', () => {
  it('--dry-run writes the docs example script and submits nothing', () => {
    planned();
    const s = pxlab([...commandWith(SLURM_DOC, '--submit', {}), '--dry-run']);
    expect(s.status, s.stderr).toBe(0);
    expect(s.stdout).toBe('');
    const script = readFileSync(join(out, 'cells', 'sweep.sbatch'), 'utf8');
    expect(script).toContain(`PXLAB=${BIN} `);
    expect(script.replace(BIN, '/path/to/px-lab/bin/px-lab.mjs')).toBe(docBlock('bash', 'The script `--submit slurm` wrote'));
    expect(existsSync(join(out, 'cells', 'slurm-jobs.json'))).toBe(false);
  });

  it('judges cells from the folder: done, failed (unreadable or another cell), missing; resubmits just those', async () => {
    planned();
    const dir = join(out, 'status-cells');
    const c = await inProcess(['--plan', 'plan.json', '--cell', '0', '--cells', dir]);
    expect(c.status, c.stderr).toBe(0);
    copyFileSync(join(dir, 'cell-0000.json'), join(dir, 'cell-0001.json')); // cell 0's result under cell 1's name
    writeFileSync(join(dir, 'cell-0002.json'), '{"cell": {"index": 2'); // a task killed while writing
    // no Slurm on PATH: the files alone decide
    const env = { PATH: '/nonexistent' };
    const st = await inProcess(['--plan', 'plan.json', '--status', '--cells', dir], env);
    expect(st.status, st.stderr).toBe(0);
    const lines = st.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^cell 1 \(rand density 0\.1 seed 3\): failed: .*cell-0001\.json holds another cell$/);
    expect(lines[1]).toMatch(/^cell 2 \(dense seed 3\): failed: .*cell-0002\.json: not JSON/);
    expect(lines[2]).toBe('cell 3 (snip density 0.1 seed 4): missing: never submitted');
    expect(lines.slice(-2)).toEqual(['done: 0', '6 cells: 1 done, 2 failed, 3 missing, 0 pending, 0 running']);
    const r = await inProcess(['--plan', 'plan.json', '--resubmit', '--cells', dir, '--dry-run'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`sbatch --array=1-5 ${join(dir, 'sweep.sbatch')}`);
    const noSbatch = await inProcess(['--plan', 'plan.json', '--resubmit', '--cells', dir], env);
    expect(noSbatch.status).toBe(2);
    expect(noSbatch.stderr).toMatch(/^px-lab sweep: error: sbatch: not found/);
    // the unreadable cell was kept aside, not lost
    expect(existsSync(join(dir, 'cell-0002.json.rejected'))).toBe(true);
  });

  it('array specs: runs become ranges and read back to the same indices', () => {
    expect(arraySpec([7, 0, 1, 2, 3, 5, 8])).toBe('0-3,5,7-8');
    expect(arraySpec([4])).toBe('4');
    for (const idx of [[0], [0, 1], [0, 2, 4], [3, 4, 5, 9, 10, 12]]) expect(specIndices(arraySpec(idx))).toEqual(idx);
    expect(specIndices('0-5%2')).toEqual([0, 1, 2, 3, 4, 5]);
    expect(specIndices('0-1e12,x,3')).toEqual([3]); // a hand-edited record does not hang --status
  });
});

describe('px-lab sweep --backend webgpu', () => {
  it('the plan records the backend; a cell refuses in one line where there is no GPU and writes nothing', async () => {
    const grid = commandWith(SLURM_DOC, null, { 'plan.json': 'webgpu-plan.json' });
    const p = await inProcess([...grid, '--backend', 'webgpu']);
    expect(p.status, p.stderr).toBe(0);
    expect(SweepPlanSchema.parse(JSON.parse(readFileSync(join(out, 'webgpu-plan.json'), 'utf8')).plan).backend).toBe('webgpu');
    const c = await inProcess(['--plan', 'webgpu-plan.json', '--cell', '0', '--cells', 'gpu-cells']);
    expect(c.status).toBe(2);
    expect(
      c.stderr
        .trim()
        .split('\n')
        .filter((l) => l.includes('error')),
    ).toHaveLength(1);
    expect(c.stderr).toMatch(
      /px-lab sweep: error: --backend webgpu: (the optional `webgpu` package \(Dawn for Node\) is not installed|no GPU adapter here)/,
    );
    expect(existsSync(join(out, 'gpu-cells', 'cell-0000.json'))).toBe(false);
    const other = await inProcess(['--plan', 'webgpu-plan.json', '--cell', '0', '--cells', 'gpu-cells', '--backend', 'wasm']);
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/--backend wasm: the plan's cells run on webgpu/);
    const bad = await inProcess([...grid, '--backend', 'webgl']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--backend must be wasm, cpu, webgpu for a sweep/);
    const script = await inProcess(['--plan', 'webgpu-plan.json', '--submit', 'slurm', '--cells', 'gpu-cells', '--dry-run']);
    expect(script.status, script.stderr).toBe(0);
    expect(readFileSync(join(out, 'gpu-cells', 'sweep.sbatch'), 'utf8')).toContain('#SBATCH --gpus-per-task=1\n');
  });

  it('the merge names the backends and adapters the cells ran on', () => {
    expect(backendsLine([{ backend: 'wasm' }, { backend: 'wasm' }])).toBe('ran on: wasm × 2');
    expect(
      backendsLine([
        { backend: 'webgpu', adapter: 'nvidia / hopper / NVIDIA H100' },
        { backend: 'wasm' },
        { backend: 'webgpu', adapter: 'nvidia / hopper / NVIDIA H100' },
      ]),
    ).toBe('ran on: webgpu (nvidia / hopper / NVIDIA H100) × 2, wasm × 1');
  });
});
