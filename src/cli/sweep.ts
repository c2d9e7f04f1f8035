// px-lab sweep: methods × densities × seeds (× dense) trained with one recipe. Every cell is
// independent, so a cluster runs them as a job array:
//   plan   px-lab sweep <grid> --plan plan.json                        (writes the plan and its cells)
//   cell   px-lab sweep --plan plan.json --cell I --cells DIR          (DIR/cell-I.json)
//   merge  px-lab sweep --plan plan.json --merge --cells DIR --out sweep.json [--csv sweep.csv]
//   local  px-lab sweep <grid> --out sweep.json [--csv sweep.csv] [--cells DIR to keep/resume cells]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LabDataset } from '../core/data/dataset';
import { buildModel, parseArch, type Model } from '../core/models';
import { runSweepCell } from '../core/train';
import { METHOD_NAMES, type MethodId } from '../shared/methods';
import { defaultAugment, mergeSweep, planCells, summariseSweep, sweepCsv, SweepCellResultSchema, SweepPlanSchema, type SweepCell, type SweepCellResult, type SweepPlan } from '../shared/train';
import { DEFAULT_SWEEP_METHODS } from '../shared/trainSettings';
import { FIELD_FACTS } from '../shared/fields';
import { CliError, fieldArg, loadModel, log, numberArg, parse, required, roundsArg, scopeArg, setupBackend, writeFile } from './common';
import { DATASET_HELP, openDatasetForCli } from './datasets';
import { ablationArg, RECIPE_OPTIONS, RECIPE_USAGE, recipeFromArgs } from './recipe-args';

export const USAGE = `px-lab sweep --arch A --dataset <${DATASET_HELP}> [--methods ${DEFAULT_SWEEP_METHODS.join(',')}] [--densities 0.1,0.032,0.01,0.0032]
              [--seeds 0] [--no-dense] [--rounds 100] [--examples-per-class 10] [--prune-batch-size 128]
              ${RECIPE_USAGE}
              (--plan PLAN.json | --out SWEEP.json [--csv SWEEP.csv] [--cells DIR]) [--data PATH]
px-lab sweep --plan PLAN.json --cell I --cells DIR [--data PATH]       one cell → DIR/cell-I.json
px-lab sweep --plan PLAN.json --merge --cells DIR --out SWEEP.json [--csv SWEEP.csv]`;

// Shown by `px-lab sweep --help` only: the overview `px-lab --help` is a pinned output.
const MORE_USAGE = `  --one-shot-rounds 1    rounds of one-shot methods (SNIP, GraSP, magnitude, random; --rounds is the iterative ones')
  --scope global|local   where the pruners rank weights (default global), as the page's Scope`;

const OPTIONS = {
  ...RECIPE_OPTIONS,
  arch: { type: 'string' },
  dataset: { type: 'string' },
  data: { type: 'string' },
  methods: { type: 'string' },
  densities: { type: 'string' },
  seeds: { type: 'string' },
  'no-dense': { type: 'boolean' },
  rounds: { type: 'string' },
  'one-shot-rounds': { type: 'string' },
  scope: { type: 'string' },
  'examples-per-class': { type: 'string' },
  'prune-batch-size': { type: 'string' },
  plan: { type: 'string' },
  cell: { type: 'string' },
  merge: { type: 'boolean' },
  cells: { type: 'string' },
  out: { type: 'string' },
  csv: { type: 'string' },
} as const;

function list(v: Record<string, unknown>, name: string, fallback: string): string[] {
  const s = (v[name] as string | undefined) ?? fallback;
  return s
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

function numbers(v: Record<string, unknown>, name: string, fallback: string, ok: (n: number) => boolean, what: string): number[] {
  return list(v, name, fallback).map((t) => {
    const n = Number(t);
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
  for (const m of methods) if (!(METHOD_NAMES as readonly string[]).includes(m)) throw new CliError(`--methods: unknown method "${m}" (known: ${METHOD_NAMES.join(', ')})`);
  const plan: SweepPlan = {
    version: 1,
    arch: typeof spec === 'string' ? spec : (spec.arch ?? spec),
    dataset,
    methods: methods as MethodId[],
    densities: numbers(v, 'densities', '0.1,0.032,0.01,0.0032', (d) => d > 0 && d <= 1, 'in (0, 1]'),
    seeds: numbers(v, 'seeds', '0', (s) => Number.isInteger(s) && s >= 0 && s < 2 ** 31, 'an integer in 0..2^31-1'),
    dense: !v['no-dense'],
    rounds: roundsArg(v, 100),
    oneShotRounds: roundsArg(v, 1, 'one-shot-rounds'),
    scope: scopeArg(v),
    examplesPerClass: fieldArg(v, 'examples-per-class', FIELD_FACTS.examplesPerClass, 10),
    pruneBatchSize: fieldArg(v, 'prune-batch-size', FIELD_FACTS.pruneBatch, 128),
    ablation: ablationArg(v),
    recipe: recipeFromArgs(v, { augment: defaultAugment(dataset) }),
  };
  if (!planCells(plan).length) throw new CliError('the grid has no cells (give --methods and --densities, or keep the dense cell)');
  return plan;
}

function readPlan(path: string): SweepPlan {
  if (!existsSync(path)) throw new CliError(`plan file not found: ${path}`);
  try {
    const j = JSON.parse(readFileSync(path, 'utf8'));
    return SweepPlanSchema.parse(j.plan ?? j);
  } catch (e) {
    throw new CliError(`${path}: not a sweep plan (${(e as Error).message.split('\n')[0]})`);
  }
}

const cellFile = (dir: string, i: number) => join(dir, `cell-${String(i).padStart(4, '0')}.json`);

function readCell(path: string): SweepCellResult {
  try {
    return SweepCellResultSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (e) {
    throw new CliError(`${path}: not a sweep cell result (${(e as Error).message.split('\n')[0]})`);
  }
}

async function runCell(plan: SweepPlan, cell: SweepCell, ctx: { model: Model; dataset: LabDataset; backend: string }, of: number): Promise<SweepCellResult> {
  const what = `cell ${cell.index + 1}/${of}: ${cell.method}${cell.method === 'dense' ? '' : ` density ${cell.density}`} seed ${cell.seed}`;
  log(`${what} …`);
  let r: SweepCellResult;
  try {
    r = await runSweepCell({ plan, cell, ...ctx });
  } catch (e) {
    throw new CliError(`${what}: ${(e as Error).message}`);
  }
  log(`${what}: test accuracy ${(100 * r.testAccuracy).toFixed(2)}% (prune ${r.pruneSeconds.toFixed(1)} s, train ${r.trainSeconds.toFixed(1)} s)`);
  return r;
}

async function openFor(plan: SweepPlan, v: Record<string, unknown>) {
  let model: Model;
  try {
    model = buildModel(parseArch(plan.arch));
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const dataset = await openDatasetForCli(plan.dataset, model, plan.seeds[0], v.data as string | undefined);
  const backend = await setupBackend(v);
  return { model, dataset, backend };
}

function writeMerged(plan: SweepPlan, results: SweepCellResult[], v: Record<string, unknown>): void {
  let sweep;
  try {
    sweep = mergeSweep(plan, results);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const out = required(v, 'out');
  writeFile(out, JSON.stringify(sweep, null, 1));
  if (v.csv) writeFile(v.csv as string, sweepCsv(sweep));
  for (const s of summariseSweep(sweep))
    log(`${s.method.padEnd(8)} density ${String(s.density).padEnd(7)} accuracy ${(100 * s.mean).toFixed(2)}%${s.n > 1 ? ` ± ${(100 * s.std).toFixed(2)} (n=${s.n})` : ''}`);
  log(`${sweep.results.length} cells → ${out}${v.csv ? ` and ${v.csv}` : ''}`);
}

export async function sweepCommand(argv: string[]): Promise<void> {
  const v = parse(argv, OPTIONS);
  if (v.help) return void console.log(`${USAGE}\n${MORE_USAGE}`);
  if (v.cell !== undefined || v.merge) {
    const plan = readPlan(required(v, 'plan'));
    const cells = planCells(plan);
    const dir = required(v, 'cells');
    if (v.merge) {
      if (!existsSync(dir)) throw new CliError(`--cells ${dir}: no such folder`);
      const files = readdirSync(dir).filter((f) => /^cell-\d+\.json$/.test(f));
      return writeMerged(
        plan,
        files.map((f) => readCell(join(dir, f))),
        v,
      );
    }
    const i = numberArg(v, 'cell', 0, (n) => Number.isInteger(n) && n >= 0 && n < cells.length, `an integer in 0..${cells.length - 1} (the plan has ${cells.length} cells)`);
    const r = await runCell(plan, cells[i], await openFor(plan, v), cells.length);
    writeFile(cellFile(dir, i), JSON.stringify(r, null, 1));
    return;
  }
  const plan = planFromArgs(v);
  const cells = planCells(plan);
  if (v.plan) {
    writeFile(v.plan as string, JSON.stringify({ kind: 'px-lab-sweep-plan', plan, cells }, null, 1));
    return void log(`${cells.length} cells → ${v.plan}; run each with: px-lab sweep --plan ${v.plan} --cell I --cells DIR`);
  }
  required(v, 'out');
  const ctx = await openFor(plan, v);
  const dir = v.cells as string | undefined;
  const results: SweepCellResult[] = [];
  for (const c of cells) {
    if (dir && existsSync(cellFile(dir, c.index))) {
      results.push(readCell(cellFile(dir, c.index)));
      continue;
    }
    const r = await runCell(plan, c, ctx, cells.length);
    if (dir) writeFile(cellFile(dir, c.index), JSON.stringify(r, null, 1));
    results.push(r);
  }
  writeMerged(plan, results, v);
}
