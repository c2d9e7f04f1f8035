// Where every sweep cell came from. A plan's id is the SHA-256 of its canonical JSON (every field
// that decides a cell's numbers and the grid: arch, dataset, recipe, methods, densities, seeds,
// pruning settings, weights); every cell record carries it. Merging (`px-lab sweep --merge`, a
// local sweep, the page's download) and reading a merged file (the page's drop) go through the
// same checks here: the schema (values in range), the plan id, one record per cell, totals that
// agree. Every refusal is one line naming the file (or entry) and the field.
import type { z } from 'zod';
import { canonicalJson, sha256Hex } from './sha256';
import { augmentationNamed } from './datasets';
import { cellId } from './trainSettings';
import {
  planCells,
  summariseResults,
  SweepCellFailureSchema,
  SweepCellResultSchema,
  SweepPlanSchema,
  SweepResultSchema,
  type SweepCell,
  type SweepCellFailure,
  type SweepCellRecord,
  type SweepCellResult,
  type SweepPlan,
  type SweepResult,
} from './train';

/** A plan's id: SHA-256 (hex) of the canonical JSON of the parsed plan (absent weights = "init";
 * an augmented MNIST plan also names MNIST's shift: see augmentationNamed). */
export function planId(plan: SweepPlan): string {
  const parsed = SweepPlanSchema.parse(plan);
  const augmentation = augmentationNamed(parsed.dataset, parsed.recipe.augment);
  return sha256Hex(canonicalJson({ ...parsed, weights: parsed.weights ?? 'init', ...augmentation }));
}

/** The first problem of a failed parse as "field: message" (one line). */
export function firstIssue(error: z.ZodError): string {
  const i = error.issues[0];
  const path = i?.path.map(String).join('.') ?? '';
  // "received undefined/null" reads as a bug, not as the file's problem
  const msg = (i?.message ?? 'invalid')
    .split('\n')[0]
    .replace(/, received undefined$/, ' (missing)')
    .replace(/, received null$/, ' (empty)');
  return `${path || 'value'}: ${msg}`;
}

/** A thrown refusal: one line, naming the file or entry. */
export class SweepRecordError extends Error {
  override name = 'SweepRecordError';
}

const short = (id: string) => `${id.slice(0, 12)}…`;
const describe = (c: SweepCell) => `cell ${c.index} (${c.method}${c.method === 'dense' ? '' : `, density ${c.density}`}, seed ${c.seed})`;

/** A plan file's JSON (as `--plan` writes it, or a bare plan); throws one line naming `source`. */
export function parsePlanFile(json: unknown, source: string): SweepPlan {
  const p = SweepPlanSchema.safeParse((json as { plan?: unknown } | null)?.plan ?? json);
  if (!p.success) throw new SweepRecordError(`${source}: not a sweep plan (${firstIssue(p.error)})`);
  return p.data;
}

/** A cell file's JSON as a result or a failure; throws one line naming `source` and the field. */
export function parseCellRecord(json: unknown, source: string): SweepCellRecord {
  const failed = !!json && typeof json === 'object' && (json as { status?: unknown }).status === 'failed';
  const p = failed ? SweepCellFailureSchema.safeParse(json) : SweepCellResultSchema.safeParse(json);
  if (!p.success) throw new SweepRecordError(`${source}: not a sweep cell record (${firstIssue(p.error)})`);
  return p.data;
}

export const isFailure = (r: SweepCellRecord): r is SweepCellFailure => (r as SweepCellFailure).status === 'failed';

/**
 * Why a record cannot stand for its cell of `plan` (another plan, a cell not in the plan), or
 * null when it can. `id` is planId(plan).
 */
export function foreignRecord(plan: SweepPlan, id: string, r: SweepCellRecord, cells: SweepCell[] = planCells(plan)): string | null {
  if (r.planId !== id) return `made for another plan (plan id ${short(r.planId)}, this plan's is ${short(id)})`;
  const c = cells[r.cell.index];
  if (!c || c.method !== r.cell.method || c.density !== r.cell.density || c.seed !== r.cell.seed)
    return `${describe(r.cell)} is not in this plan`;
  return null;
}

export interface MergeOptions {
  /** Names of the records (files), in order; default "result N". */
  sources?: string[];
  /** The architecture's prunable weights: every result's total must be this. */
  weightCount?: number;
}

function checkTotals(results: Array<{ r: SweepCellResult; source: string }>, weightCount: number | undefined): void {
  const first = results[0];
  for (const { r, source } of results) {
    if (weightCount !== undefined && r.total !== weightCount)
      throw new SweepRecordError(`${source}: total ${r.total} is not the architecture's ${weightCount} prunable weights`);
    if (first && r.total !== first.r.total)
      throw new SweepRecordError(`${source}: total ${r.total} differs from ${first.r.total} in ${first.source}`);
  }
}

/**
 * Collect cell records (raw JSON or parsed) into one sweep file: every cell of the plan exactly
 * once, a result or a failure, each made for this plan. Throws one line naming the file.
 */
export function mergeSweep(plan: SweepPlan, records: readonly unknown[], opts: MergeOptions = {}): SweepResult {
  const id = planId(plan);
  const cells = planCells(plan);
  const byIndex = new Map<number, { r: SweepCellRecord; source: string }>();
  records.forEach((raw, i) => {
    const source = opts.sources?.[i] ?? `result ${i + 1}`;
    const r = parseCellRecord(raw, source);
    const why = foreignRecord(plan, id, r, cells);
    if (why) throw new SweepRecordError(`${source}: ${why}`);
    const other = byIndex.get(r.cell.index);
    if (other) throw new SweepRecordError(`cell ${r.cell.index} is given twice: ${other.source} and ${source} (keep one)`);
    byIndex.set(r.cell.index, { r, source });
  });
  const missing = cells.filter((c) => !byIndex.has(c.index)).map((c) => c.index);
  if (missing.length)
    throw new SweepRecordError(
      `missing ${missing.length} of ${cells.length} cells: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`,
    );
  const done = cells.map((c) => byIndex.get(c.index)!).filter((e): e is { r: SweepCellResult; source: string } => !isFailure(e.r));
  checkTotals(done, opts.weightCount);
  const failed = cells.map((c) => byIndex.get(c.index)!.r).filter(isFailure);
  const results = done.map((e) => e.r);
  return { kind: 'px-lab-sweep', planId: id, plan, cells, results, failed, summary: summariseResults(results, failed) };
}

/**
 * The page's stored cells that are cells of `plan`, as cells of it (its index, its plan id). Only
 * for results stored under the plan's sweep key (src/shared/trainSettings.ts sweepKey), which
 * holds everything that decides a cell's numbers but the grid: such a cell is what `plan` would
 * compute for it.
 */
export function storedCellsOfPlan(plan: SweepPlan, stored: readonly SweepCellResult[]): SweepCellResult[] {
  const id = planId(plan);
  const byId = new Map(planCells(plan).map((c) => [cellId(c), c]));
  return stored.flatMap((r) => {
    const c = byId.get(cellId(r.cell));
    return c ? [{ ...r, planId: id, cell: c }] : [];
  });
}

/**
 * A merged sweep file (the page's drop): the schema, then the merge's checks on its own plan
 * (plan id, its cells, one record per cell, totals). Throws one line naming `source`.
 */
export function parseMergedSweep(json: unknown, source: string, opts: Pick<MergeOptions, 'weightCount'> = {}): SweepResult {
  const p = SweepResultSchema.safeParse(json);
  if (!p.success) throw new SweepRecordError(`${source}: not a px-lab sweep file (${firstIssue(p.error)})`);
  const f = p.data;
  const id = planId(f.plan);
  if (f.planId !== id)
    throw new SweepRecordError(`${source}: planId ${short(f.planId)} is not its plan's id ${short(id)} (the plan was edited)`);
  if (canonicalJson(f.cells) !== canonicalJson(planCells(f.plan))) throw new SweepRecordError(`${source}: cells are not its plan's cells`);
  const entries = [...f.results, ...f.failed];
  const sources = [...f.results.map((_, i) => `${source}: results[${i}]`), ...f.failed.map((_, i) => `${source}: failed[${i}]`)];
  try {
    return mergeSweep(f.plan, entries, { sources, weightCount: opts.weightCount });
  } catch (e) {
    throw new SweepRecordError((e as Error).message.replace(/^missing /, `${source}: missing `));
  }
}
