// The shipped results archive (results/archive/, docs/archive.md): sweeps made with `px-lab sweep`
// at the page's default budget, one plan per folder, merged into results/archive/archive.json by
// scripts/archive-index.ts. Here, what the page and the README ask of it: which archived rows
// stand for a plan's settings. Plain data, no tfjs.
import { z } from 'zod';
import { rankingLine } from './seedSpread';
import { firstIssue } from './sweep';
import { PlanIdSchema, summariseResults, SweepCellSchema, SweepPlanSchema, type SweepPlan } from './train';
import { sweepKey } from './trainSettings';

const ArchivedCellSchema = z.object({
  cell: SweepCellSchema,
  testAccuracy: z.number().min(0).max(1),
  kept: z.number().int().min(0),
  total: z.number().int().min(1),
  pruneSeconds: z.number().min(0),
  trainSeconds: z.number().min(0),
  backend: z.string().max(40),
});

/** One archived plan: its folder name, its plan and the cells that finished (the rest can be resumed). */
const ArchivedSweepSchema = z.object({
  name: z.string().min(1).max(200),
  planId: PlanIdSchema,
  plan: SweepPlanSchema,
  /** Cells in the plan (finished or not). */
  cellCount: z.number().int().min(0),
  results: z.array(ArchivedCellSchema),
});
export type ArchivedSweep = z.infer<typeof ArchivedSweepSchema>;

/** archive.json as scripts/archive-index.ts writes it; the page reads it through this schema. */
export const ResultsArchiveSchema = z.object({
  kind: z.literal('px-lab-archive'),
  version: z.literal(1),
  /** Commit the cells ran, how they were run, when, on what (docs/archive.md). */
  provenance: z
    .object({ commit: z.string().regex(/^[0-9a-f]{7,40}$/, 'not a commit hash'), date: z.string().min(1).max(40) })
    .catchall(z.string()),
  sweeps: z.array(ArchivedSweepSchema),
});
export type ResultsArchive = z.infer<typeof ResultsArchiveSchema>;

/** archive.json's content as a ResultsArchive; throws one line naming the first bad field. */
export function parseArchive(json: unknown): ResultsArchive {
  const p = ResultsArchiveSchema.safeParse(json);
  if (!p.success) throw new Error(`The results archive is unreadable (${firstIssue(p.error)}).`);
  return p.data;
}

/** One (method, density) of the archive: accuracy over its finished seeds (summariseResults' row). */
export type ArchiveRow = ReturnType<typeof summariseResults<string>>[number] & { sweep: string };

/**
 * The archive's rows for a plan: from every archived sweep whose settings decide the same numbers
 * (the sweep key: model, dataset, recipe but its seed, pruning settings, ablation, weights,
 * backend), the (method, density) pairs the plan asks for, over the archive's seeds. Empty when no
 * archived sweep matches (another budget, learning rate, ablation, …).
 */
export function archiveRowsFor(archive: ResultsArchive, plan: SweepPlan, backend = 'wasm'): ArchiveRow[] {
  const key = sweepKey(plan, backend, plan.weights ?? 'init');
  const wanted = (m: string, d: number) => (m === 'dense' ? plan.dense : plan.methods.some((x) => x === m) && plan.densities.includes(d));
  return archive.sweeps
    .filter((s) => sweepKey(s.plan, backend, s.plan.weights ?? 'init') === key)
    .flatMap((s) =>
      summariseResults(s.results.filter((r) => r.backend === backend && wanted(r.cell.method, r.cell.density))).map((row) => ({
        sweep: s.name,
        ...row,
      })),
    );
}

/** "archive: 3 seeds, commit 9fe9bdb, 2026-12-07": the seeds behind `rows` (a range while some
 * (method, density) has fewer finished seeds than others) and the archive's provenance. */
export function archiveCaption(archive: Pick<ResultsArchive, 'provenance'>, rows: readonly ArchiveRow[]): string {
  const ns = rows.map((r) => r.n);
  const lo = Math.min(...ns);
  const hi = Math.max(...ns);
  const seeds = lo === hi ? `${hi} seed${hi === 1 ? '' : 's'}` : `${lo}–${hi} seeds`;
  return `archive: ${seeds}, commit ${archive.provenance.commit.slice(0, 7)}, ${archive.provenance.date}`;
}

const pct = (x: number) => (100 * x).toFixed(2);

/** A sweep's finished cells as a Markdown table: one row per method (dense last), one column per
 * density, "mean ± std (n)" in percent; "–" where no seed has finished. */
export function archiveTable(s: ArchivedSweep): string {
  const rows = summariseResults(s.results);
  const at = (m: string, d: number) => rows.find((r) => r.method === m && (m === 'dense' || r.density === d));
  const cell = (m: string, d: number) => {
    const r = at(m, d);
    if (!r) return '–';
    return r.n > 1 ? `${pct(r.mean)} ± ${pct(r.std)} (${r.n})` : `${pct(r.mean)} (1)`;
  };
  const methods: string[] = [...s.plan.methods, ...(s.plan.dense ? ['dense'] : [])];
  const head = `| ${s.name} | ${s.plan.densities.map((d) => `${+(100 * d).toPrecision(2)}%`).join(' | ')} |`;
  const rule = `| --- | ${s.plan.densities.map(() => '---:').join(' | ')} |`;
  const body = methods.map((m) => `| ${m} | ${s.plan.densities.map((d) => cell(m, d)).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

/**
 * What an archived sweep says, one line per density, by the one ranking rule (seedSpread.ts: a
 * ">" only where every seed above beats every seed below): "1%: SynFlow ≈ PX — as published
 * (2024) (within noise) > SNIP; dense 95.35". With fewer than two seeds at a density it says
 * so instead of ranking.
 */
export function archiveClaims(s: ArchivedSweep, label: (method: string) => string = (m) => m): string[] {
  const rows = summariseResults(s.results);
  const dense = rows.find((r) => r.method === 'dense');
  const denseText = dense ? `; dense ${pct(dense.mean)}${dense.n > 1 ? ` ± ${pct(dense.std)}` : ''}` : '';
  return s.plan.densities.flatMap((d) => {
    const at = rows.filter((r) => r.method !== 'dense' && r.density === d);
    if (at.length < 2) return [];
    const pctText = `${+(100 * d).toPrecision(2)}%`;
    const seeds = Math.min(...at.map((r) => r.n));
    const labelled = at.map((r) => ({ ...r, label: `${label(r.method)} ${pct(r.mean)}` }));
    if (seeds < 2) {
      const listed = labelled.sort((a, b) => b.mean - a.mean).map((r) => r.label);
      return [`${pctText} (one seed, not ranked): ${listed.join(', ')}${denseText}`];
    }
    return [`${pctText} (${seeds} seeds): ${rankingLine(labelled)}${denseText}`];
  });
}

/** Each archived sweep with finished cells and its claims by density: the plain sweeps (the
 * README's block) or, with `ablations`, the sanity-check sweeps (docs/archive.md's). */
export function archiveClaimsMarkdown(archive: Pick<ResultsArchive, 'sweeps'>, opts: { ablations?: boolean } = {}): string {
  return archive.sweeps
    .filter((s) => s.results.length && (s.plan.ablation !== 'none') === Boolean(opts.ablations))
    .map((s) => [`**${s.name}** (${s.results.length} of ${s.cellCount} cells):`, '', ...archiveClaims(s).map((l) => `- ${l}`)].join('\n'))
    .join('\n\n');
}

/**
 * Why no archived sweep matches `plan`: the closest one with the same model and data (fewest
 * settings apart) and how it differs, as "mlp-mnist has rounds 100 (here 20)"; null when the
 * archive has no sweep of that model and data, or one matches.
 */
export function archiveDifference(archive: Pick<ResultsArchive, 'sweeps'>, plan: SweepPlan, backend = 'wasm'): string | null {
  const flat = (p: SweepPlan): Record<string, unknown> => {
    const { recipe, ...rest } = JSON.parse(sweepKey(p, backend, p.weights ?? 'init')) as Record<string, unknown> & {
      recipe: Record<string, unknown>;
    };
    return { ...rest, ...recipe };
  };
  const mine = flat(plan);
  const diffs = archive.sweeps
    .filter((s) => s.plan.arch === plan.arch && s.plan.dataset === plan.dataset)
    .map((s) => {
      const theirs = flat(s.plan);
      const keys = [...new Set([...Object.keys(mine), ...Object.keys(theirs)])];
      const apart = keys.filter((k) => JSON.stringify(mine[k]) !== JSON.stringify(theirs[k]));
      return { s, apart, theirs };
    })
    .sort((a, b) => a.apart.length - b.apart.length);
  const best = diffs[0];
  if (!best?.apart.length) return null;
  const say = (v: unknown) => (v === undefined ? 'none' : String(v));
  const listed = best.apart.slice(0, 3).map((k) => `${k} ${say(best.theirs[k])} (here ${say(mine[k])})`);
  return `${best.s.name} has ${listed.join(', ')}${best.apart.length > 3 ? ', …' : ''}`;
}
