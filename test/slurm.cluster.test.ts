// A real scheduler: a one-node Slurm cluster on localhost (test/slurmCluster.ts) runs a 6-cell MLP
// sweep as a job array submitted by `px-lab sweep --submit slurm`, with the commands of
// docs/clusters.md (read from it). One task is cancelled while it
// runs; `--status` must call it failed, `--resubmit` runs just that cell again, and the merged
// file must equal the same sweep run locally in one process (numbers equal, not close: cells are
// deterministic). Without Slurm the test fails in CI with the reason; elsewhere it is skipped
// with that one line only when the binaries are not installed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arraySpec } from '../src/cli/sweep-submit';
import { SweepResultSchema, type SweepCellResult } from '../src/shared/train';
import { commandWith, testedSweepCommands } from './docCommands';
import { slurmMissing, startSlurm, type SlurmCluster } from './slurmCluster';

const missing = slurmMissing();
const skip = missing !== null && !process.env.CI && missing.startsWith('Slurm is not installed');
if (skip) console.log(`slurm.cluster.test: skipped outside CI: ${missing}`);

const out = mkdtempSync(join(tmpdir(), 'pxlab-slurm-sweep-'));
const plan = join(out, 'plan.json');
const cells = join(out, 'cells');
const BIN = join(process.cwd(), 'bin', 'px-lab.mjs');
const merged = join(out, 'sweep.json');
const local = join(out, 'local.json');
const DOC = testedSweepCommands('test/slurm.cluster.test.ts');
const cmd = (flag: string | null) => commandWith(DOC, flag, { 'plan.json': plan, cells, 'sweep.json': merged });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a cell computed, without its wall-clock times. */
const numbers = (r: SweepCellResult) => ({ ...r, pruneSeconds: 0, trainSeconds: 0, epochs: r.epochs.map((e) => ({ ...e, seconds: 0 })) });

describe.skipIf(skip)('px-lab sweep on a one-node Slurm cluster', () => {
  let cluster: SlurmCluster | undefined;
  // bin/px-lab.mjs is what `npx px-lab` runs; node directly saves npx's seconds of start-up per call
  const pxlab = (args: string[]) =>
    spawnSync(process.execPath, [BIN, 'sweep', ...args], { encoding: 'utf8', env: cluster?.env ?? process.env });
  /** Array index → state, as squeue reports the job's tasks (finished ones included). */
  const tasks = (job: string) =>
    new Map(
      cluster!
        .run('squeue', ['-h', '-r', '-t', 'all', '-j', job, '-o', '%K|%T'])
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('|') as [string, string]),
    );
  const waitFor = async (job: string, done: (t: Map<string, string>) => boolean, what: string, seconds: number) => {
    for (let t0 = Date.now(); Date.now() - t0 < seconds * 1000; await sleep(200)) if (done(tasks(job))) return tasks(job);
    throw new Error(`Slurm job ${job}: ${what} not within ${seconds} s (tasks: ${JSON.stringify([...tasks(job)])})`);
  };
  const finished = (t: Map<string, string>) =>
    t.size > 0 && [...t.values()].every((s) => !['PENDING', 'RUNNING', 'COMPLETING', 'CONFIGURING'].includes(s));

  beforeAll(async () => {
    if (missing) throw new Error(missing);
    cluster = await startSlurm(cpus().length);
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('submits the plan as a job array, resubmits a cancelled cell, merges to the local result', async () => {
    const t0 = Date.now();
    const p = pxlab(cmd(null));
    expect(p.status, p.stderr).toBe(0);
    expect(JSON.parse(readFileSync(plan, 'utf8')).cells).toHaveLength(6);
    // the reference: the same grid in one local process, while the cluster works
    const grid = commandWith(DOC, null, { 'plan.json': local }).map((a) => (a === '--plan' ? '--out' : a));
    const localRun = new Promise<number | null>((resolve) =>
      spawn(process.execPath, [BIN, 'sweep', ...grid], { stdio: 'ignore' }).on('exit', resolve),
    );

    const s = pxlab(cmd('--submit'));
    expect(s.status, s.stderr).toBe(0);
    const job = s.stdout.trim();
    expect(job).toMatch(/^\d+$/);
    expect(readFileSync(join(cells, 'sweep.sbatch'), 'utf8')).toContain('#SBATCH --array=0-5');

    // cancel the first task seen running
    const running = await waitFor(job, (t) => [...t.values()].includes('RUNNING'), 'no task running', 60);
    const victim = [...running].find(([, st]) => st === 'RUNNING')![0];
    cluster!.run('scancel', [`${job}_${victim}`]);
    const first = await waitFor(job, finished, 'tasks still running', 90);
    expect(first.get(victim)).toBe('CANCELLED');

    const st = pxlab(cmd('--status'));
    expect(st.status, st.stderr).toBe(0);
    expect(st.stdout).toContain(`cell ${victim} (`);
    expect(st.stdout).toMatch(new RegExp(`cell ${victim} \\(.*\\): failed: Slurm job ${job}_${victim} CANCELLED`));
    expect(st.stdout).toContain(`done: ${arraySpec([0, 1, 2, 3, 4, 5].filter((i) => String(i) !== victim))}\n`);
    expect(st.stdout).toContain('6 cells: 5 done, 1 failed, 0 missing, 0 pending, 0 running');

    const r = pxlab(cmd('--resubmit'));
    expect(r.status, r.stderr).toBe(0);
    const again = r.stdout.trim();
    expect(again).toMatch(/^\d+$/);
    expect([...(await waitFor(again, finished, 'the resubmitted cell still running', 60))]).toEqual([[victim, 'COMPLETED']]);
    const log = readFileSync(join(cells, 'logs', `cell-${victim.padStart(4, '0')}.log`), 'utf8');
    expect(log).toMatch(/CANCELLED/); // one log per cell: the cancelled attempt, then the one that finished
    expect(log).toMatch(/test accuracy/);
    expect(pxlab(cmd('--status')).stdout).toContain('6 cells: 6 done, 0 failed, 0 missing, 0 pending, 0 running');

    const m = pxlab(cmd('--merge'));
    expect(m.status, m.stderr).toBe(0);
    expect(m.stderr).toMatch(/ran on: wasm × 6/);
    expect(await localRun).toBe(0);
    const fromSlurm = SweepResultSchema.parse(JSON.parse(readFileSync(merged, 'utf8')));
    const fromLocal = SweepResultSchema.parse(JSON.parse(readFileSync(local, 'utf8')));
    expect(fromSlurm.results).toHaveLength(6);
    expect(fromSlurm.results.map(numbers)).toEqual(fromLocal.results.map(numbers));
    expect(fromSlurm.plan).toEqual(fromLocal.plan);
    console.log(
      `slurm.cluster.test: 6-cell array, task ${victim} cancelled and resubmitted, merged = local, in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  }, 180_000);
});
