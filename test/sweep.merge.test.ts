// Merging sweep cells and reading merged files (src/shared/sweep.ts): the CLI's --merge, a local
// sweep and the page's dropped file all go through these checks. Independent truth: node:crypto
// for SHA-256, hand-made records whose faults are known.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../src/shared/sha256';
import { mergeSweep, parseMergedSweep, planId, storedCellsOfPlan } from '../src/shared/sweep';
import { planCells, SweepPlanSchema, type SweepCellResult, type SweepPlan } from '../src/shared/train';
import { sweepKey } from '../src/shared/trainSettings';
import { makeFailure, makePlan, makeRecords, makeResult, MLP_WEIGHTS } from './sweepFixtures';

const oneLine = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    const m = (e as Error).message;
    expect(m.split('\n')).toHaveLength(1);
    return m;
  }
  throw new Error('expected a refusal');
};

describe('plan id', () => {
  it('sha256Hex agrees with node:crypto on short, block-edge and multi-byte text', () => {
    for (const s of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'é€𝄞'.repeat(300)])
      expect(sha256Hex(s)).toBe(createHash('sha256').update(s).digest('hex'));
  });
  it('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });
  it('changes with every field that decides a cell, and only with content', () => {
    const plan = makePlan();
    const id = planId(plan);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(planId(JSON.parse(JSON.stringify(plan)))).toBe(id);
    expect(planId({ ...plan, weights: 'init' })).toBe(id);
    const variants = [
      { arch: 'convnet' },
      { dataset: 'mnist' },
      { methods: ['snip' as const] },
      { densities: [0.5] },
      { seeds: [1] },
      { dense: false },
      { rounds: 11 },
      { examplesPerClass: 11 },
      { pruneBatchSize: 64 },
      { ablation: 'reinit' as const },
      { recipe: { ...plan.recipe, lr: 0.001 } },
      { weights: `file:${'a'.repeat(64)}:w.safetensors` },
    ];
    const ids = variants.map((v) => planId({ ...plan, ...v }));
    expect(new Set([id, ...ids]).size).toBe(variants.length + 1);
  });

  it("an augmented MNIST plan names MNIST's shift (its cells never mix with ones augmented with flips before); crop + flip plans keep their ids", () => {
    const mnist = { ...makePlan(), dataset: 'mnist', recipe: { ...makePlan().recipe, augment: true } };
    const asBefore = (p: SweepPlan) => sha256Hex(canonicalJson({ ...SweepPlanSchema.parse(p), weights: 'init' }));
    expect(planId(mnist)).not.toBe(asBefore(mnist));
    expect(sweepKey(mnist, 'wasm', 'init')).toContain('"augmentation":{"pad":2,"flip":false}');
    for (const dataset of ['cifar10', 'fashion-mnist']) {
      const p = { ...mnist, dataset };
      expect(planId(p)).toBe(asBefore(p));
      expect(sweepKey(p, 'wasm', 'init')).not.toContain('augmentation');
    }
    const plain = { ...mnist, recipe: { ...mnist.recipe, augment: false } };
    expect(planId(plain)).toBe(asBefore(plain));
  });
});

describe('mergeSweep refuses what it cannot prove', () => {
  const plan = makePlan();
  const files = planCells(plan).map((c) => `cells/cell-000${c.index}.json`);

  it('merges a complete set, in cell order, stamped with the plan id', () => {
    const m = mergeSweep(plan, makeRecords(plan).reverse(), { sources: [...files].reverse(), weightCount: MLP_WEIGHTS });
    expect(m.planId).toBe(planId(plan));
    expect(m.results.map((r) => r.cell.index)).toEqual([0, 1, 2, 3, 4]);
    expect(m.failed).toEqual([]);
  });

  it('two files for one cell index: refused, naming both files', () => {
    const recs = makeRecords(plan);
    const edited = { ...(recs[2] as SweepCellResult), testAccuracy: 0.99 };
    const msg = oneLine(() => mergeSweep(plan, [...recs, edited], { sources: [...files, 'cells/cell-02.json'] }));
    expect(msg).toBe('cell 2 is given twice: cells/cell-0002.json and cells/cell-02.json (keep one)');
  });

  it.each([
    ['testAccuracy', 7.5, /cells\/cell-0001\.json: .*testAccuracy: Too big/],
    ['kept', 1e9, /cells\/cell-0001\.json: .*kept/],
    ['testLoss', -3, /cells\/cell-0001\.json: .*testLoss: Too small/],
    ['trainLoss', null, /cells\/cell-0001\.json: .*trainLoss: .*\(empty\)/],
  ])('an impossible %s (%s) is refused, naming the file and field', (field, value, re) => {
    const recs = makeRecords(plan);
    (recs[1] as Record<string, unknown>)[field] = value;
    expect(oneLine(() => mergeSweep(plan, recs, { sources: files, weightCount: MLP_WEIGHTS }))).toMatch(re);
  });

  it("a total that is not the architecture's weight count is refused", () => {
    const recs = planCells(plan).map((c) => makeResult(plan, c, 1_000_000_000));
    expect(oneLine(() => mergeSweep(plan, recs, { sources: files, weightCount: MLP_WEIGHTS }))).toBe(
      `cells/cell-0000.json: total 1000000000 is not the architecture's ${MLP_WEIGHTS} prunable weights`,
    );
  });

  it("another plan's cells (MLP/synthetic under a ConvNet/MNIST plan) are refused", () => {
    const theirs = makePlan();
    const ours = makePlan({ arch: 'convnet', dataset: 'mnist' });
    expect(oneLine(() => mergeSweep(ours, makeRecords(theirs), { sources: files }))).toMatch(
      /^cells\/cell-0000\.json: made for another plan \(plan id [0-9a-f]{12}…, this plan's is [0-9a-f]{12}…\)$/,
    );
  });

  it('a cell whose method, density or seed is not its index in the plan is refused', () => {
    const recs = makeRecords(plan);
    (recs[0] as SweepCellResult).cell.method = 'grasp';
    expect(oneLine(() => mergeSweep(plan, recs, { sources: files }))).toBe(
      'cells/cell-0000.json: cell 0 (grasp, density 0.5, seed 0) is not in this plan',
    );
  });

  it('a failed cell is listed under failed, never as an accuracy', () => {
    const recs = makeRecords(plan);
    recs[3] = makeFailure(plan, planCells(plan)[3]);
    const m = mergeSweep(plan, recs, { sources: files });
    expect(m.results.map((r) => r.cell.index)).toEqual([0, 1, 2, 4]);
    expect(m.failed.map((f) => f.cell.index)).toEqual([3]);
  });
});

describe('parseMergedSweep (the page reads dropped sweep files with it)', () => {
  const plan = makePlan();
  const good = () => JSON.parse(JSON.stringify(mergeSweep(plan, makeRecords(plan))));

  it('reads a file px-lab sweep --merge wrote', () => {
    expect(parseMergedSweep(good(), 'sweep.json', { weightCount: MLP_WEIGHTS }).results).toHaveLength(5);
  });
  it('"SNIP 750.00%": an accuracy above 1 is refused', () => {
    const f = good();
    f.results[0].testAccuracy = 7.5;
    expect(oneLine(() => parseMergedSweep(f, 'sweep.json'))).toMatch(
      /^sweep\.json: not a px-lab sweep file \(results\.0\.testAccuracy: Too big/,
    );
  });
  it('a cell not in the plan is refused, not shown as another row', () => {
    const f = good();
    f.results[1].cell = { index: 1, method: 'grasp', density: 0.1, seed: 0 };
    expect(oneLine(() => parseMergedSweep(f, 'sweep.json'))).toBe(
      'sweep.json: results[1]: cell 1 (grasp, density 0.1, seed 0) is not in this plan',
    );
  });
  it('6 results for 5 cells are refused, naming both entries', () => {
    const f = good();
    f.results.push({ ...f.results[2], testAccuracy: 0.1 });
    expect(oneLine(() => parseMergedSweep(f, 'sweep.json'))).toBe(
      'cell 2 is given twice: sweep.json: results[2] and sweep.json: results[5] (keep one)',
    );
  });
  it("another plan's cells under this plan are refused", () => {
    const other = JSON.parse(
      JSON.stringify(
        mergeSweep(makePlan({ recipe: { ...plan.recipe, lr: 0.5 } }), makeRecords(makePlan({ recipe: { ...plan.recipe, lr: 0.5 } }))),
      ),
    );
    const f = { ...good(), results: other.results };
    expect(oneLine(() => parseMergedSweep(f, 'sweep.json'))).toMatch(/^sweep\.json: results\[0\]: made for another plan/);
  });
  it('a plan edited after merging is refused', () => {
    const f = good();
    f.plan.dataset = 'mnist';
    expect(oneLine(() => parseMergedSweep(f, 'sweep.json'))).toMatch(/^sweep\.json: planId [0-9a-f]{12}… is not its plan's id/);
  });
});

describe("storedCellsOfPlan (the page's stored cells for the current grid)", () => {
  it('keeps the cells of the plan, re-indexed and stamped with its id; drops the others', () => {
    const before = makePlan({ densities: [0.1] });
    const now = makePlan({ densities: [0.5, 0.1] });
    const stored = planCells(before).map((c) => makeResult(before, c));
    const got = storedCellsOfPlan(now, stored);
    expect(got.map((r) => [r.cell.index, r.cell.method, r.cell.density, r.planId === planId(now)])).toEqual([
      [1, 'snip', 0.1, true],
      [3, 'rand', 0.1, true],
      [4, 'dense', 1, true],
    ]);
  });
});
