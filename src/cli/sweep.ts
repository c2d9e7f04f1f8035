// px-lab sweep: methods × densities × seeds (× dense) trained with one recipe. Every cell is
// independent, so a cluster runs them as a job array:
//   plan   px-lab sweep <grid> --plan plan.json                        (writes the plan and its cells)
//   cell   px-lab sweep --plan plan.json --cell I --cells DIR          (DIR/cell-I.json)
//   merge  px-lab sweep --plan plan.json --merge --cells DIR --out sweep.json [--csv sweep.csv]
//   local  px-lab sweep <grid> --out sweep.json [--csv sweep.csv] [--cells DIR to keep/resume cells]
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LabDataset } from '../core/data/dataset';
import { buildModel, parseArch, type Model } from '../core/models';
import { DivergedError, runSweepCell } from '../core/train';
import { METHOD_NAMES, type MethodId } from '../shared/methods';
import { foreignRecord, isFailure, mergeSweep, parseCellRecord, parsePlanFile, planId } from '../shared/sweep';
import {
  defaultAugment,
  planCells,
  summariseSweep,
  sweepCsv,
  type SweepCell,
  type SweepCellRecord,
  type SweepCellResult,
  type SweepPlan,
} from '../shared/train';
import { DEFAULT_SWEEP_METHODS, DEFAULT_SWEEP_SEEDS } from '../shared/trainSettings';
import { rankingLine } from '../shared/seedSpread';
import { FIELD_FACTS } from '../shared/fields';
import { checkOutPath, fsErrorLine, loadModel, log, writeFile } from './common';
import {
  asCliError,
  CliError,
  decimal,
  fieldArg,
  numberArg,
  required,
  roundsArg,
  scopeArg,
  switchFlags,
  valueFlags,
  type Args,
} from './args';
import { DATASET_HELP, openDatasetForCli } from './datasets';
import { ablationArg, RECIPE_OPTIONS, RECIPE_USAGE, recipeFromArgs } from './recipe-args';
import { backendsLine, planBackendArg, setupCellBackend } from './sweep-backend';
import { clusterCommand, isClusterCommand, SUBMIT_OPTIONS, SUBMIT_USAGE } from './sweep-submit';

const USAGE = `px-lab sweep --arch A --dataset <${DATASET_HELP}> [--methods ${DEFAULT_SWEEP_METHODS.join(',')}] [--densities 0.1,0.032,0.01,0.0032]
              [--seeds 0,1,2] [--no-dense] [--rounds 100] [--examples-per-class 10] [--prune-batch-size 128]
              ${RECIPE_USAGE}
              (--plan PLAN.json | --out SWEEP.json [--csv SWEEP.csv] [--cells DIR]) [--data PATH]
px-lab sweep --plan PLAN.json --cell I --cells DIR [--data PATH]       one cell → DIR/cell-I.json
px-lab sweep --plan PLAN.json --merge --cells DIR --out SWEEP.json [--csv SWEEP.csv]`;

// Shown by `px-lab sweep --help` only: the overview `px-lab --help` is a pinned output.
const MORE_USAGE = `  --one-shot-rounds 1    rounds of one-shot methods (SNIP, GraSP, magnitude, random; --rounds is the iterative ones')
  --scope global|local   where the pruners rank weights (default global), as the page's Scope
  --imp-rewind J         imp: rewind to step J of a round's 8 training steps (default 0, the initial weights);
                         the cell trains the ticket (mask + weights at step J) with the whole recipe from there`;

/** The grid's flags (with the recipe's, they decide a plan). */
const GRID_FLAGS = {
  ...valueFlags('arch', 'dataset', 'methods', 'densities', 'seeds'),
  ...switchFlags('no-dense'),
  ...valueFlags('rounds', 'examples-per-class', 'prune-batch-size', 'imp-rewind'),
};

const OPTIONS = {
  ...RECIPE_OPTIONS,
  ...SUBMIT_OPTIONS,
  ...GRID_FLAGS,
  ...valueFlags('data', 'one-shot-rounds', 'scope', 'plan', 'cell', 'cells', 'out', 'csv'),
  ...switchFlags('merge'),
};

function list(v: Record<string, unknown>, name: string, fallback: string): string[] {
  const s = (v[name] as string | undefined) ?? fallback;
  return s
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

function numbers(v: Record<string, unknown>, name: string, fallback: string, ok: (n: number) => boolean, what: string): number[] {
  return list(v, name, fallback).map((t) => {
    const n = decimal(t);
    if (!Number.isFinite(n) || !ok(n)) throw new CliError(`--${name}: ${JSON.stringify(t)} is not ${what}`);
    return n;
  });
}

function planFromArgs(v: Record<string, unknown>): SweepPlan {
  if (v.seed !== undefined) throw new CliError('a sweep takes --seeds S1,S2,… (each cell trains with its own seed), not --seed');
  const dataset = required(v, 'dataset');
  const arch = required(v, 'arch');
  loadModel(arch); // fail early on a bad arch
  const spec = arch.endsWith('.json') ? JSON.parse(readFileSync(arch, 'utf8')) : arch;
  const methods = list(v, 'methods', DEFAULT_SWEEP_METHODS.join(','));
  for (const m of methods)
    if (!(METHOD_NAMES as readonly string[]).includes(m))
      throw new CliError(`--methods: unknown method "${m}" (known: ${METHOD_NAMES.join(', ')})`);
  const impRewind = fieldArg(v, 'imp-rewind', FIELD_FACTS.impRewind, 0);
  if (impRewind > 0 && !methods.includes('imp')) throw new CliError('--imp-rewind is an imp setting: add imp to --methods');
  const plan: SweepPlan = {
    version: 1,
    arch: typeof spec === 'string' ? spec : (spec.arch ?? spec),
    dataset,
    methods: methods as MethodId[],
    densities: numbers(v, 'densities', '0.1,0.032,0.01,0.0032', (d) => d > 0 && d <= 1, 'in (0, 1]'),
    // three seeds by default: the summary's spread, and what a ranking needs (src/shared/seedSpread.ts)
    seeds: numbers(
      v,
      'seeds',
      DEFAULT_SWEEP_SEEDS.join(','),
      (s) => Number.isInteger(s) && s >= 0 && s < 2 ** 31,
      'an integer in 0..2^31-1',
    ),
    dense: !v['no-dense'],
    rounds: roundsArg(v, 100),
    oneShotRounds: roundsArg(v, 1, 'one-shot-rounds'),
    scope: scopeArg(v),
    examplesPerClass: fieldArg(v, 'examples-per-class', FIELD_FACTS.examplesPerClass, 10),
    pruneBatchSize: fieldArg(v, 'prune-batch-size', FIELD_FACTS.pruneBatch, 128),
    // only when set, so the plans (and plan ids) of rewind-to-init sweeps stay as they were
    ...(impRewind > 0 ? { impRewind } : {}),
    ablation: ablationArg(v),
    recipe: recipeFromArgs(v, { augment: defaultAugment(dataset) }),
    ...planBackendArg(v),
  };
  if (!planCells(plan).length) throw new CliError('the grid has no cells (give --methods and --densities, or keep the dense cell)');
  return plan;
}

function readPlan(path: string): SweepPlan {
  if (!existsSync(path)) throw new CliError(`plan file not found: ${path}`);
  return asCliError(() => parsePlanFile(readJson(path), path));
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(fsErrorLine(e) ?? `${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`${path}: not JSON (truncated or not a px-lab file)`);
  }
}

const cellFile = (dir: string, i: number) => join(dir, `cell-${String(i).padStart(4, '0')}.json`);
const describeCell = (cell: SweepCell, of: number) =>
  `cell ${cell.index + 1}/${of}: ${cell.method}${cell.method === 'dense' ? '' : ` density ${cell.density}`} seed ${cell.seed}`;

/** Flags that decide a plan: in --cell and --merge modes the plan file decides, so they are refused. */
const PLAN_FLAGS = [...Object.keys(RECIPE_OPTIONS), ...Object.keys(GRID_FLAGS)];

function refuseIgnored(v: Record<string, unknown>, mode: string, extra: string[]): void {
  const given = [...PLAN_FLAGS, ...extra].filter((k) => v[k] !== undefined);
  if (given.length)
    throw new CliError(
      `${mode} runs the plan file's own settings: ${given.map((k) => `--${k}`).join(', ')} would be ignored (make a new plan with --plan to change them)`,
    );
}

interface CellContext {
  model: Model;
  dataset: LabDataset;
  backend: string;
  /** The GPU adapter of a webgpu cell. */
  adapter?: string;
}

/** Run one cell; a diverged run becomes a failure record (never an accuracy). */
async function runCell(plan: SweepPlan, cell: SweepCell, ctx: CellContext, of: number): Promise<SweepCellRecord> {
  const what = describeCell(cell, of);
  log(`${what} …`);
  let r: SweepCellResult;
  try {
    r = await runSweepCell({ plan, cell, ...ctx });
    if (ctx.adapter) r = { ...r, adapter: ctx.adapter };
  } catch (e) {
    if (!(e instanceof DivergedError)) throw new CliError(`${what}: ${(e as Error).message}`);
    log(`${what}: FAILED: ${e.message}`);
    return { planId: planId(plan), status: 'failed', cell, error: e.message, step: e.step, backend: ctx.backend };
  }
  log(
    `${what}: test accuracy ${(100 * r.testAccuracy).toFixed(2)}% (prune ${r.pruneSeconds.toFixed(1)} s, train ${r.trainSeconds.toFixed(1)} s)`,
  );
  return r;
}

function planModel(plan: SweepPlan): Model {
  return asCliError(() => buildModel(parseArch(plan.arch)));
}

const weightCountOf = (model: Model) => model.prunable.reduce((a, l) => a + l.numel, 0);

async function openFor(plan: SweepPlan, v: Record<string, unknown>): Promise<CellContext> {
  const model = planModel(plan);
  const dataset = await openDatasetForCli(plan.dataset, model, plan.seeds[0], v.data as string | undefined);
  return { model, dataset, ...(await setupCellBackend(v, plan)) };
}

/** Merge, write OUT (and CSV), print the summary; failed cells are listed in OUT and fail the command. */
function writeMerged(
  plan: SweepPlan,
  records: SweepCellRecord[] | unknown[],
  sources: string[] | undefined,
  v: Record<string, unknown>,
  rerun: string,
): void {
  const sweep = asCliError(() => mergeSweep(plan, records, { sources, weightCount: weightCountOf(planModel(plan)) }));
  const out = required(v, 'out');
  writeFile(out, JSON.stringify(sweep, null, 1));
  if (v.csv) writeFile(v.csv as string, sweepCsv(sweep));
  for (const s of summariseSweep(sweep))
    log(
      `${s.method.padEnd(8)} density ${String(s.density).padEnd(7)} accuracy ${(100 * s.mean).toFixed(2)}%${s.n > 1 ? ` ± ${(100 * s.std).toFixed(2)} (n=${s.n}, range ${(100 * s.min).toFixed(2)}–${(100 * s.max).toFixed(2)})` : ' (1 seed)'}${s.failed ? `, ${s.failed} failed` : ''}`,
    );
  for (const line of rankingLines(summariseSweep(sweep))) log(line);
  log(backendsLine(sweep.results));
  log(`${sweep.results.length} cells → ${out}${v.csv ? ` and ${v.csv}` : ''}`);
  if (sweep.failed.length) {
    for (const f of sweep.failed) log(`${describeCell(f.cell, sweep.cells.length)}: failed: ${f.error}`);
    throw new CliError(`${sweep.failed.length} of ${sweep.cells.length} cells failed (listed under "failed" in ${out}); ${rerun}`);
  }
}

/** Per density, the methods ranked only where their seeds' ranges do not overlap; one line with one seed. */
function rankingLines(summary: ReturnType<typeof summariseSweep>): string[] {
  const pruned = summary.filter((s) => s.method !== 'dense');
  const lines = [...new Set(pruned.map((s) => s.density))].flatMap((d) => {
    const line = rankingLine(pruned.filter((s) => s.density === d).map((s) => ({ ...s, label: s.method })));
    return line ? [{ d, line }] : [];
  });
  if (pruned.some((s) => s.n < 2)) return lines.length ? [lines[0].line] : [];
  return lines.map(({ d, line }) => `density ${d}: ${line}`);
}

function cellsDir(dir: string): string[] {
  if (!existsSync(dir)) throw new CliError(`--cells ${dir}: no such folder`);
  if (!statSync(dir).isDirectory()) throw new CliError(`--cells ${dir}: is a file, not a folder`);
  return readdirSync(dir)
    .filter((f) => /^cell-\d+\.json$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

async function cellMode(v: Record<string, unknown>, planPath: string, plan: SweepPlan): Promise<void> {
  refuseIgnored(v, '--cell', ['out', 'csv']);
  const cells = planCells(plan);
  const dir = required(v, 'cells');
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new CliError(`--cells ${dir}: is a file, not a folder`);
  const i = numberArg(
    v,
    'cell',
    0,
    (n) => Number.isInteger(n) && n >= 0 && n < cells.length,
    `an integer in 0..${cells.length - 1} (the plan has ${cells.length} cells)`,
  );
  const r = await runCell(plan, cells[i], await openFor(plan, v), cells.length);
  writeFile(cellFile(dir, i), JSON.stringify(r, null, 1));
  if (isFailure(r))
    throw new CliError(
      `${describeCell(r.cell, cells.length)}: ${r.error} (recorded as failed in ${cellFile(dir, i)}; re-run with px-lab sweep --plan ${planPath} --cell ${i} --cells ${dir})`,
    );
}

/** A local sweep's stored cell: reused when it is a result of this plan, re-run when it failed. */
function storedCell(plan: SweepPlan, id: string, path: string): SweepCellRecord | null {
  let r: SweepCellRecord;
  try {
    r = parseCellRecord(readJson(path), path);
  } catch (e) {
    throw new CliError(`${(e as Error).message} (move it away to run that cell again)`);
  }
  const why = foreignRecord(plan, id, r);
  if (why) throw new CliError(`${path}: ${why}; use another --cells folder for this plan`);
  return isFailure(r) ? null : r;
}

async function sweepRun(v: Args): Promise<void> {
  if (isClusterCommand(v)) {
    refuseIgnored(v, v.submit !== undefined ? `--submit ${v.submit}` : v.status ? '--status' : '--resubmit', []);
    return clusterCommand(v, readPlan(required(v, 'plan')), v.plan as string, { cellFile, readJson });
  }
  if (v.cell !== undefined && v.merge) throw new CliError('give --cell I or --merge, not both');
  if (v.cell !== undefined || v.merge) {
    const planPath = required(v, 'plan');
    const plan = readPlan(planPath);
    if (!v.merge) return cellMode(v, planPath, plan);
    refuseIgnored(v, '--merge', ['data']);
    checkOutPath(required(v, 'out'), 'out');
    checkOutPath(v.csv as string | undefined, 'csv');
    const files = cellsDir(required(v, 'cells'));
    return writeMerged(
      plan,
      files.map(readJson),
      files,
      v,
      `re-run them with px-lab sweep --plan ${planPath} --cell I --cells ${v.cells as string}`,
    );
  }
  const plan = planFromArgs(v);
  const cells = planCells(plan);
  if (v.plan) {
    checkOutPath(v.plan as string, 'plan');
    writeFile(v.plan as string, JSON.stringify({ kind: 'px-lab-sweep-plan', planId: planId(plan), plan, cells }, null, 1));
    return void log(`${cells.length} cells → ${v.plan}; run each with: px-lab sweep --plan ${v.plan} --cell I --cells DIR`);
  }
  checkOutPath(required(v, 'out'), 'out');
  checkOutPath(v.csv as string | undefined, 'csv');
  const dir = v.cells as string | undefined;
  if (dir && existsSync(dir) && !statSync(dir).isDirectory()) throw new CliError(`--cells ${dir}: is a file, not a folder`);
  const id = planId(plan);
  const ctx = await openFor(plan, v);
  const records: SweepCellRecord[] = [];
  for (const c of cells) {
    const stored = dir && existsSync(cellFile(dir, c.index)) ? storedCell(plan, id, cellFile(dir, c.index)) : null;
    const r = stored ?? (await runCell(plan, c, ctx, cells.length));
    if (dir && !stored) writeFile(cellFile(dir, c.index), JSON.stringify(r, null, 1));
    records.push(r);
  }
  writeMerged(
    plan,
    records,
    undefined,
    v,
    dir ? `run the same command again to re-run them (the finished cells in ${dir} are kept)` : 'run it again with a lower --lr',
  );
}

export const sweepCommand = {
  usage: USAGE,
  // the scheduler forms are listed here only, so `px-lab --help` (a golden output) stays as it was
  help: `${USAGE}\n${MORE_USAGE}\n${SUBMIT_USAGE}`,
  options: OPTIONS,
  run: sweepRun,
};
