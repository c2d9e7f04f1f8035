// Sweeps over seeds: a 3-seed plan's cells, the per-(method, density) summary a merged file and
// its CSV carry (each seed's value, mean, std; a failed cell counted, never averaged in), and old
// one-seed files (no summary) still load. Independent truth: accuracies made by hand.
import { describe, expect, it } from 'vitest';
import { mergeSweep, parseMergedSweep, planId } from '../src/shared/sweep';
import { planCells, summariseSweep, sweepCsv, type SweepCellResult, type SweepPlan } from '../src/shared/train';
import { makeFailure, makePlan, makeResult, MLP_WEIGHTS } from './sweepFixtures';

// accuracy by seed: snip 0.80, 0.82, 0.84 (mean 0.82, sample std 0.02); rand 0.10, 0.11, 0.12
const ACC: Record<string, (seed: number) => number> = {
  snip: (seed) => [0.8, 0.82, 0.84][seed],
  rand: (seed) => [0.1, 0.11, 0.12][seed],
  dense: () => 0.95,
};

function records(plan: SweepPlan, failIndex?: number) {
  return planCells(plan).map((c) =>
    c.index === failIndex ? makeFailure(plan, c) : ({ ...makeResult(plan, c), testAccuracy: ACC[c.method](c.seed) } as SweepCellResult),
  );
}

describe('a sweep over 3 seeds', () => {
  const plan = makePlan({ seeds: [0, 1, 2], densities: [0.1] });

  it('has every method × density (+ dense) once per seed, and its own plan id', () => {
    const cells = planCells(plan);
    expect(cells).toHaveLength(3 * 3);
    for (const seed of [0, 1, 2]) expect(cells.filter((c) => c.seed === seed).map((c) => c.method)).toEqual(['snip', 'rand', 'dense']);
    expect(planId(plan)).not.toBe(planId({ ...plan, seeds: [0] }));
  });

  it('the merged file carries each seed’s value and the mean, std and range per method and density', () => {
    const m = mergeSweep(plan, records(plan), { weightCount: MLP_WEIGHTS });
    const snip = m.summary!.find((s) => s.method === 'snip')!;
    expect(snip.seeds).toEqual([0, 1, 2]);
    expect(snip.accuracies).toEqual([0.8, 0.82, 0.84]);
    expect(snip.n).toBe(3);
    expect(snip.failed).toBe(0);
    expect(snip.mean).toBeCloseTo(0.82, 12);
    expect(snip.std).toBeCloseTo(0.02, 12);
    expect([snip.min, snip.max]).toEqual([0.8, 0.84]);
    expect(m.summary!.find((s) => s.method === 'dense')!.std).toBe(0);
  });

  it('a failed cell is excluded from the statistics and counted', () => {
    const failIndex = planCells(plan).find((c) => c.method === 'snip' && c.seed === 2)!.index;
    const m = mergeSweep(plan, records(plan, failIndex), { weightCount: MLP_WEIGHTS });
    const snip = summariseSweep(m).find((s) => s.method === 'snip')!;
    expect(snip.n).toBe(2);
    expect(snip.failed).toBe(1);
    expect(snip.accuracies).toEqual([0.8, 0.82]);
    expect(snip.mean).toBeCloseTo(0.81, 12);
    expect(snip.max).toBe(0.82);
    expect(m.summary).toEqual(summariseSweep(m));
  });

  it('the CSV has one row per seed, each with its group’s mean, std, seed count and failures', () => {
    const failIndex = planCells(plan).find((c) => c.method === 'rand' && c.seed === 0)!.index;
    const csv = sweepCsv(mergeSweep(plan, records(plan, failIndex), { weightCount: MLP_WEIGHTS }));
    const [head, ...rows] = csv.trim().split('\n');
    const cols = head.split(',');
    expect(cols.slice(-4)).toEqual(['mean_test_accuracy', 'std_test_accuracy', 'n_seeds', 'failed_seeds']);
    const snip = rows.map((r) => r.split(',')).filter((r) => r[1] === 'snip');
    expect(snip.map((r) => Number(r[cols.indexOf('test_accuracy')]))).toEqual([0.8, 0.82, 0.84]);
    for (const r of snip) {
      expect(Number(r[cols.indexOf('mean_test_accuracy')])).toBeCloseTo(0.82, 12);
      expect(Number(r[cols.indexOf('std_test_accuracy')])).toBeCloseTo(0.02, 12);
      expect(r[cols.indexOf('n_seeds')]).toBe('3');
    }
    const rand = rows.map((r) => r.split(',')).filter((r) => r[1] === 'rand');
    expect(rand).toHaveLength(2);
    expect(rand.map((r) => [r[cols.indexOf('n_seeds')], r[cols.indexOf('failed_seeds')]])).toEqual([
      ['2', '1'],
      ['2', '1'],
    ]);
  });
});

describe('old one-seed files', () => {
  it('a merged file written before summaries (no "summary") loads, and gets one with n = 1', () => {
    const plan = makePlan();
    const { summary: _dropped, ...old } = JSON.parse(JSON.stringify(mergeSweep(plan, records(plan))));
    const f = parseMergedSweep(old, 'old.json', { weightCount: MLP_WEIGHTS });
    expect(f.results).toHaveLength(planCells(plan).length);
    expect(f.summary!.every((s) => s.n === 1 && s.std === 0 && s.min === s.max)).toBe(true);
  });
});
