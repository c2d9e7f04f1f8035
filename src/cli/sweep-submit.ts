// px-lab sweep on a scheduler: the plan's cells as a Slurm job array (or a Kubernetes Indexed Job,
// sweep-k8s.ts), the state of every cell from the cells folder and the scheduler, and a new array
// of just the failed or missing cells. Every task runs `px-lab sweep --plan P --cell I`, so what a
// cluster computes is exactly what the local run computes, cell by cell.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { foreignRecord, isFailure, parseCellRecord, planId } from '../shared/sweep';
import { planCells, type SweepCell, type SweepPlan } from '../shared/train';
import { log, writeFile } from './common';
import { CliError, required, switchFlags, valueFlags } from './args';
import { cpusArg, gpusArg, jobNameArg, shellWord } from './sweep-job-args';
import { k8sCommand } from './sweep-k8s';

export const SUBMIT_OPTIONS = {
  ...valueFlags('submit', 'job-name', 'partition', 'time', 'cpus-per-task', 'gpus-per-task', 'image', 'parallelism', 'claim'),
  ...switchFlags('status', 'resubmit', 'dry-run'),
};

export const SUBMIT_USAGE = `px-lab sweep <grid> --backend wasm|cpu|webgpu --plan PLAN.json   every cell on that backend (webgpu: a GPU, or it refuses)
px-lab sweep --plan PLAN.json --submit slurm --cells DIR [--partition P] [--time T] [--cpus-per-task N] [--gpus-per-task N]
              [--job-name pxlab-sweep] [--data PATH] [--dry-run]          array script DIR/sweep.sbatch, sbatch, prints the job id
px-lab sweep --plan PLAN.json --status --cells DIR                    done, failed, missing (and the scheduler's state) per cell
px-lab sweep --plan PLAN.json --resubmit --cells DIR [slurm options]  an array of just the failed and missing cells
px-lab sweep --plan PLAN.json --submit k8s --image IMAGE [--cells DIR] [--parallelism N] [--claim pxlab-work]
              [--cpus-per-task N] [--gpus-per-task N] [--job-name pxlab-sweep] [--data PATH] [--out JOB.json]`;

/** Whether argv asks for one of the scheduler forms (the dispatcher's hook). */
export const isClusterCommand = (v: Record<string, unknown>) => v.submit !== undefined || Boolean(v.status) || Boolean(v.resubmit);

/** How sweep.ts names and reads cell files (reused, so the scheduler forms judge cells as --merge does). */
export interface CellIo {
  cellFile: (dir: string, i: number) => string;
  readJson: (path: string) => unknown;
}

/** Indices as a Slurm array spec: runs become ranges ("0-3,5,7-8"). */
export function arraySpec(indices: readonly number[]): string {
  const s = [...indices].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length;) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j++;
    parts.push(j === i ? `${s[i]}` : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** This checkout's px-lab: tasks run it directly (one node process, not npx, which would look px-lab up in the registry when run elsewhere). */
export const PXLAB_BIN = fileURLToPath(new URL('../../bin/px-lab.mjs', import.meta.url));

/** The array script: one task per cell, one log per cell (attempts appended). */
export function slurmScript(plan: SweepPlan, planPath: string, dir: string, v: Record<string, unknown>): string {
  const n = planCells(plan).length;
  const gpus = gpusArg(v, plan);
  const cpus = cpusArg(v);
  const directives = [
    `--job-name=${jobNameArg(v)}`,
    `--array=0-${n - 1}`,
    `--output=${join(dir, 'logs', 'cell-%4a.log')}`,
    '--open-mode=append',
    ...(v.partition ? [`--partition=${v.partition}`] : []),
    ...(v.time ? [`--time=${v.time}`] : []),
    ...(cpus ? [`--cpus-per-task=${cpus}`] : []),
    ...(gpus ? [`--gpus-per-task=${gpus}`] : []),
  ];
  for (const d of directives) if (/\s/.test(d)) throw new CliError(`a Slurm option cannot hold white space: ${JSON.stringify(d)}`);
  const cell = [
    'node',
    '"$PXLAB"',
    'sweep',
    '--plan',
    shellWord(planPath),
    '--cell',
    '"$SLURM_ARRAY_TASK_ID"',
    '--cells',
    shellWord(dir),
    ...(v.data ? ['--data', shellWord(v.data as string)] : []),
  ];
  return [
    '#!/bin/bash',
    `# ${n} cells of ${planPath}, one array task each (px-lab sweep --submit slurm)`,
    ...directives.map((d) => `#SBATCH ${d}`),
    'set -euo pipefail',
    `PXLAB=${shellWord(PXLAB_BIN)} # px-lab in the checkout that wrote this script (a file system the nodes share)`,
    'cd "$SLURM_SUBMIT_DIR"',
    `exec ${cell.join(' ')}`,
    '',
  ].join('\n');
}

const jobsFile = (dir: string) => join(dir, 'slurm-jobs.json');

interface JobRecord {
  job: string;
  array: string;
  submitted: string;
}

function readJobs(dir: string): JobRecord[] {
  if (!existsSync(jobsFile(dir))) return [];
  try {
    const j = JSON.parse(readFileSync(jobsFile(dir), 'utf8'));
    return Array.isArray(j) ? j.filter((r) => typeof r?.job === 'string' && typeof r?.array === 'string') : [];
  } catch {
    return [];
  }
}

/** Indices an array spec covers ("0-3,5" → 0,1,2,3,5; a "%K" throttle is ignored). */
export function specIndices(spec: string): number[] {
  const out: number[] = [];
  for (const part of spec.split('%')[0].split(',')) {
    const [a, b] = part.split('-').map(Number);
    const last = b ?? a;
    if (!Number.isInteger(a) || !Number.isInteger(last) || last - a > 100_000) continue; // not a spec this command wrote
    for (let i = a; i <= last; i++) out.push(i);
  }
  return out;
}

/** Write the script, run sbatch (or only say what it would run), record the job. */
function sbatch(plan: SweepPlan, planPath: string, dir: string, v: Record<string, unknown>, indices?: number[]): void {
  const script = join(dir, 'sweep.sbatch');
  mkdirSync(join(dir, 'logs'), { recursive: true });
  writeFile(script, slurmScript(plan, planPath, dir, v));
  const args = ['--parsable', ...(indices ? [`--array=${arraySpec(indices)}`] : []), script];
  if (v['dry-run']) return void log(`wrote ${script}; submit it with: sbatch ${args.slice(1).join(' ')}`);
  const r = spawnSync('sbatch', args, { encoding: 'utf8' });
  if (r.error)
    throw new CliError(
      `sbatch: ${(r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found (is this a Slurm login node?)' : r.error.message}`,
    );
  if (r.status !== 0) throw new CliError(`sbatch failed: ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
  const job = r.stdout.trim().split(';')[0];
  if (!/^\d+$/.test(job)) throw new CliError(`sbatch printed no job id (got ${JSON.stringify(r.stdout.trim())})`);
  const array = indices ? arraySpec(indices) : `0-${planCells(plan).length - 1}`;
  writeFile(jobsFile(dir), JSON.stringify([...readJobs(dir), { job, array, submitted: new Date().toISOString() }], null, 1));
  log(`submitted Slurm job ${job}: cells ${array} of ${planPath} → ${dir} (logs in ${join(dir, 'logs')})`);
  process.stdout.write(`${job}\n`);
}

/** Scheduler state per array index of a job (squeue while Slurm remembers it, else sacct); empty without Slurm. */
function schedulerStates(job: string): Map<number, string> {
  const states = new Map<number, string>();
  const add = (index: string, state: string) => {
    if (/^\d+$/.test(index) && state) states.set(Number(index), state.split(' ')[0]);
  };
  const sq = spawnSync('squeue', ['-h', '-r', '-t', 'all', '-j', job, '-o', '%K|%T'], { encoding: 'utf8' });
  if (!sq.error && sq.status === 0) for (const line of sq.stdout.trim().split('\n')) add(...(line.split('|') as [string, string]));
  if (states.size) return states;
  const sa = spawnSync('sacct', ['-n', '-P', '-X', '-j', job, '-o', 'JobID,State'], { encoding: 'utf8' });
  if (!sa.error && sa.status === 0)
    for (const line of sa.stdout.trim().split('\n')) {
      const [id, state] = line.split('|');
      add(id?.split('_')[1] ?? '', state ?? '');
    }
  return states;
}

export type CellState = 'done' | 'failed' | 'missing' | 'pending' | 'running';
export interface CellStatus {
  cell: SweepCell;
  state: CellState;
  why: string;
}

const ACTIVE = new Set([
  'PENDING',
  'CONFIGURING',
  'RUNNING',
  'COMPLETING',
  'REQUEUED',
  'REQUEUE_HOLD',
  'REQUEUE_FED',
  'RESIZING',
  'SUSPENDED',
  'STAGE_OUT',
  'SIGNALING',
]);

/** A cell's file judged as --merge judges it: null when it is this cell's result, else why not. */
function cellFileProblem(plan: SweepPlan, id: string, cell: SweepCell, path: string, io: CellIo): string | null {
  try {
    const r = parseCellRecord(io.readJson(path), path);
    const foreign = foreignRecord(plan, id, r);
    if (foreign) return `${path}: ${foreign}`;
    if (r.cell.index !== cell.index) return `${path} holds another cell`;
    return isFailure(r) ? `${path}: ${r.error}` : null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Each cell: its file in DIR (read as --merge reads it), else what the latest Slurm job holding it says. */
export function cellStatuses(plan: SweepPlan, dir: string, io: CellIo): CellStatus[] {
  const latest = new Map<number, { job: string; state?: string }>();
  for (const rec of readJobs(dir)) {
    const states = schedulerStates(rec.job);
    for (const i of specIndices(rec.array)) latest.set(i, { job: rec.job, state: states.get(i) });
  }
  const id = planId(plan);
  return planCells(plan).map((cell): CellStatus => {
    const path = io.cellFile(dir, cell.index);
    if (existsSync(path)) {
      const problem = cellFileProblem(plan, id, cell, path, io);
      return problem ? { cell, state: 'failed', why: problem } : { cell, state: 'done', why: path };
    }
    const s = latest.get(cell.index);
    const task = s ? `Slurm job ${s.job}_${cell.index}` : '';
    if (!s?.state) return { cell, state: 'missing', why: s ? `${task}: no longer known to the scheduler` : 'never submitted' };
    if (s.state === 'PENDING') return { cell, state: 'pending', why: `${task} PENDING` };
    if (ACTIVE.has(s.state)) return { cell, state: 'running', why: `${task} ${s.state}` };
    return { cell, state: 'failed', why: `${task} ${s.state}${s.state === 'COMPLETED' ? ' without writing its cell' : ''}` };
  });
}

const describe = (c: SweepCell) => `${c.method}${c.method === 'dense' ? '' : ` density ${c.density}`} seed ${c.seed}`;

function printStatus(statuses: CellStatus[]): void {
  for (const s of statuses)
    if (s.state !== 'done') process.stdout.write(`cell ${s.cell.index} (${describe(s.cell)}): ${s.state}: ${s.why}\n`);
  const done = statuses.filter((s) => s.state === 'done').map((s) => s.cell.index);
  if (done.length) process.stdout.write(`done: ${arraySpec(done)}\n`);
  const count = (st: CellState) => statuses.filter((s) => s.state === st).length;
  process.stdout.write(
    `${statuses.length} cells: ${(['done', 'failed', 'missing', 'pending', 'running'] as const).map((st) => `${count(st)} ${st}`).join(', ')}\n`,
  );
}

/** The failed and missing cells as a new array; cell files that failed to read are kept aside, not lost. */
function resubmit(plan: SweepPlan, planPath: string, dir: string, v: Record<string, unknown>, io: CellIo): void {
  const todo = cellStatuses(plan, dir, io).filter((s) => s.state === 'failed' || s.state === 'missing');
  if (!todo.length) return void log('nothing to resubmit: every cell is done, pending or running');
  for (const s of todo) {
    const path = io.cellFile(dir, s.cell.index);
    if (existsSync(path) && !v['dry-run']) renameSync(path, `${path}.rejected`);
  }
  sbatch(
    plan,
    planPath,
    dir,
    v,
    todo.map((s) => s.cell.index),
  );
}

/** The scheduler forms of `px-lab sweep` (after the plan is read). */
export async function clusterCommand(v: Record<string, unknown>, plan: SweepPlan, planPath: string, io: CellIo): Promise<void> {
  const modes = [v.submit !== undefined, Boolean(v.status), Boolean(v.resubmit)].filter(Boolean).length;
  if (modes > 1 || v.cell !== undefined || v.merge) throw new CliError('give one of --submit, --status, --resubmit, --cell, --merge');
  if (v.submit === 'k8s') return k8sCommand(v, plan, planPath);
  const dir = required(v, 'cells');
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new CliError(`--cells ${dir}: is a file, not a folder`);
  if (v.status) {
    if (!existsSync(dir)) throw new CliError(`--cells ${dir}: no such folder`);
    return printStatus(cellStatuses(plan, dir, io));
  }
  if (v.resubmit) return resubmit(plan, planPath, dir, v, io);
  if (v.submit !== 'slurm') throw new CliError(`--submit must be slurm or k8s (got ${JSON.stringify(v.submit)})`);
  sbatch(plan, planPath, dir, v);
}
