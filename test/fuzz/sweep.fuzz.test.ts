// Fuzz suite: mutated sweep cells, plans and merged files through the merge code path (the same
// functions `px-lab sweep --merge`, a local sweep and the page's drop call). Seeded (same cases
// every run). Every case is accepted with every value provably in range, or refused with one
// clear line naming the file (or entry) and the field. The oracle is independent of the code
// under test: node:crypto for the plan id, the plan's cells enumerated by hand.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/shared/sha256';
import { mergeSweep, parseMergedSweep, parsePlanFile } from '../../src/shared/sweep';
import type { SweepResult } from '../../src/shared/train';
import { isClearLine } from '../cliHarness';
import { makeFailure, makePlan, makeRecords, MLP_WEIGHTS } from '../sweepFixtures';

export const SWEEP_FUZZ_CASES = 1_000;

const plan = makePlan();
const other = makePlan({ recipe: { ...plan.recipe, lr: 0.001 } });
const sources = makeRecords(plan).map((_, i) => `cells/cell-${String(i).padStart(4, '0')}.json`);

const hostile = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    -1,
    -0,
    0,
    1,
    1.5,
    7.5,
    1e9,
    1e300,
    -1e-300,
    0.5,
    2 ** 31,
    266200,
    'NaN',
    '0.5',
    '',
    true,
    false,
    [],
    {},
    'x'.repeat(600),
    'dense',
    'px',
    'grasp',
  ),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 20 }),
);
const CELL_PATHS = [
  'planId',
  'status',
  'cell',
  'cell.index',
  'cell.method',
  'cell.density',
  'cell.seed',
  'testAccuracy',
  'testLoss',
  'trainLoss',
  'kept',
  'total',
  'epochs',
  'epochs.0.trainLoss',
  'epochs.0.testAccuracy',
  'epochs.0.testLoss',
  'epochs.0.lr',
  'epochs.0.seconds',
  'pruneSeconds',
  'trainSeconds',
  'backend',
  'error',
  'step',
];
const PLAN_PATHS = [
  'arch',
  'dataset',
  'methods',
  'methods.0',
  'densities',
  'densities.0',
  'seeds',
  'seeds.0',
  'dense',
  'rounds',
  'examplesPerClass',
  'pruneBatchSize',
  'ablation',
  'recipe',
  'recipe.lr',
  'recipe.steps',
  'recipe.epochs',
  'weights',
  'version',
];

function setPath(obj: unknown, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = obj as Record<string, unknown>;
  if (!o || typeof o !== 'object') return;
  for (const k of keys.slice(0, -1)) {
    if (!o || typeof o[k] !== 'object' || o[k] === null) return;
    o = o[k] as Record<string, unknown>;
  }
  if (value === undefined) delete o[keys.at(-1)!];
  else o[keys.at(-1)!] = value;
}

type Edit = { kind: 'set'; at: number; path: string; value: unknown } | { kind: 'dup' | 'drop' | 'foreign' | 'fail'; at: number };
const edit: fc.Arbitrary<Edit> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(4), path: fc.constantFrom(...CELL_PATHS), value: hostile }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constantFrom('dup' as const, 'drop' as const, 'foreign' as const, 'fail' as const), at: fc.nat(4) }),
  },
);

function applyEdits(edits: Edit[]): { records: unknown[]; names: string[] } {
  const records = makeRecords(plan);
  const names = [...sources];
  for (const e of edits) {
    if (e.kind === 'set') setPath(records[e.at], e.path, e.value);
    else if (e.kind === 'dup') (records.push(JSON.parse(JSON.stringify(records[e.at]))), names.push(`cells/cell-${e.at}.json`));
    else if (e.kind === 'drop') records[e.at] = null;
    else if (e.kind === 'foreign') records[e.at] = makeRecords(other)[e.at];
    else records[e.at] = makeFailure(plan, makeRecords(plan).map((r) => (r as { cell: never }).cell)[e.at]);
  }
  const kept = records.map((r, i) => [r, names[i]] as const).filter(([r]) => r !== null);
  return { records: kept.map(([r]) => r), names: kept.map(([, n]) => n) };
}

/** Independent check of an accepted merge: every number possible, every cell this plan's, once. */
function impossible(m: SweepResult, expectedPlan: unknown): string | null {
  const id = createHash('sha256')
    .update(canonicalJson({ ...(expectedPlan as object), weights: (expectedPlan as { weights?: string }).weights ?? 'init' }))
    .digest('hex');
  if (m.planId !== id) return 'plan id';
  const p = expectedPlan as typeof plan;
  const cells: Array<[string, number, number]> = [];
  for (const seed of p.seeds) {
    for (const method of p.methods) for (const d of p.densities) cells.push([method, d, seed]);
    if (p.dense) cells.push(['dense', 1, seed]);
  }
  const seen = [...m.results, ...m.failed].map((r) => r.cell.index).sort((a, b) => a - b);
  if (seen.join() !== cells.map((_, i) => i).join()) return 'cells not each once';
  for (const r of [...m.results, ...m.failed]) {
    const [method, d, seed] = cells[r.cell.index];
    if (r.planId !== id || r.cell.method !== method || r.cell.density !== d || r.cell.seed !== seed) return 'foreign cell';
  }
  for (const r of m.results) {
    const nums = [
      r.testAccuracy,
      r.testLoss,
      r.trainLoss,
      r.pruneSeconds,
      r.trainSeconds,
      ...r.epochs.flatMap((e) => [e.trainLoss, e.testLoss ?? 0, e.lr, e.seconds]),
    ];
    if (!nums.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0)) return 'non-finite or negative';
    if (!(r.testAccuracy <= 1) || r.epochs.some((e) => e.testAccuracy !== null && !(e.testAccuracy >= 0 && e.testAccuracy <= 1)))
      return 'accuracy out of [0, 1]';
    if (!Number.isInteger(r.kept) || r.kept < 0 || r.kept > r.total || r.total !== MLP_WEIGHTS) return 'kept/total';
  }
  return null;
}

/** One line, names a file, an entry or the missing cells, says which field or what is wrong. */
function clear(msg: string, names: string[]): boolean {
  return isClearLine(msg) && msg.length < 400 && (names.some((n) => msg.includes(n)) || /^missing \d+ of \d+ cells/.test(msg));
}

describe(`sweep merge fuzz: ${SWEEP_FUZZ_CASES} mutated cell sets, ${SWEEP_FUZZ_CASES} mutated plans, ${SWEEP_FUZZ_CASES} mutated merged files`, () => {
  const tally = { cases: 0, accepted: 0, refused: 0, impossibleAccepted: 0, unclear: 0 };
  const judge = (run: () => SweepResult, names: string[], expectedPlan: unknown): boolean => {
    tally.cases++;
    let m: SweepResult;
    try {
      m = run();
    } catch (e) {
      tally.refused++;
      if (clear((e as Error).message, names)) return true;
      tally.unclear++;
      throw new Error(`unclear refusal: ${(e as Error).message}`);
    }
    tally.accepted++;
    const why = impossible(JSON.parse(JSON.stringify(m)), expectedPlan);
    if (why) tally.impossibleAccepted++;
    return why === null;
  };

  it('mutated cells through mergeSweep', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        const { records, names } = applyEdits(edits);
        return judge(() => mergeSweep(plan, records, { sources: names, weightCount: MLP_WEIGHTS }), names, plan);
      }),
      { seed: 22, numRuns: SWEEP_FUZZ_CASES },
    );
  });

  it('mutated plans (parsed as --merge reads a plan file) against the original cells', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...PLAN_PATHS), hostile), { minLength: 1, maxLength: 3 }), (edits) => {
        const file = JSON.parse(JSON.stringify({ kind: 'px-lab-sweep-plan', plan }));
        for (const [path, value] of edits) setPath(file.plan, path, value);
        const names = ['plan.json', ...sources];
        return judge(
          () => mergeSweep(parsePlanFile(file, 'plan.json'), makeRecords(plan), { sources, weightCount: MLP_WEIGHTS }),
          names,
          plan,
        );
      }),
      { seed: 23, numRuns: SWEEP_FUZZ_CASES },
    );
  });

  it('mutated merged files through parseMergedSweep (the page reads dropped files with it)', () => {
    const good = JSON.parse(JSON.stringify(mergeSweep(plan, makeRecords(plan))));
    const FILE_PATHS = [
      'planId',
      'kind',
      'cells',
      'cells.0.index',
      'cells.2.method',
      'results',
      'failed',
      ...CELL_PATHS.map((p) => `results.1.${p}`),
      ...PLAN_PATHS.map((p) => `plan.${p}`),
    ];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...FILE_PATHS), hostile), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (edits, dup) => {
          const f = JSON.parse(JSON.stringify(good));
          for (const [path, value] of edits) setPath(f, path, value);
          if (dup && Array.isArray(f.results) && f.results.length) f.results.push(JSON.parse(JSON.stringify(f.results[0])));
          return judge(() => parseMergedSweep(f, 'sweep.json', { weightCount: MLP_WEIGHTS }), ['sweep.json'], plan);
        },
      ),
      { seed: 24, numRuns: SWEEP_FUZZ_CASES },
    );
    console.log(
      `sweep merge fuzz: ${tally.cases} cases (${SWEEP_FUZZ_CASES} cell sets, ${SWEEP_FUZZ_CASES} plans, ${SWEEP_FUZZ_CASES} merged files): ${tally.accepted} accepted, ${tally.refused} refused; impossible values accepted: ${tally.impossibleAccepted}, unclear messages: ${tally.unclear}`,
    );
    expect(tally.cases).toBeGreaterThanOrEqual(3 * SWEEP_FUZZ_CASES);
    expect(tally.impossibleAccepted).toBe(0);
    expect(tally.unclear).toBe(0);
  });
});
