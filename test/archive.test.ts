// The shipped results archive (results/archive/, docs/archive.md). Every archived cell is a record
// of its plan under today's code (the plan id recomputed from plan.json); one MLP cell, picked at
// random by the UTC date (PXLAB_ARCHIVE_CELL=<sweep>/<index> pins one), is trained again from
// scratch and must give the archived test accuracy exactly (same code path as `px-lab sweep
// --cell`, same backend). And the page's default sweep finds the archive's rows; another budget does not.
import { describe, expect, it } from 'vitest';
import { ARCHIVE_DIR, readArchive } from '../src/cli/archive-files';
import { openDatasetForCli } from '../src/cli/datasets';
import { buildModel, parseArch } from '../src/core/models';
import { tf } from '../src/core/tf';
import { runSweepCell } from '../src/core/train';
import { archiveRowsFor, archiveTable } from '../src/shared/archive';
import { DEFAULT_CONFIG } from '../src/shared/config';
import { sha256Hex } from '../src/shared/sha256';
import { planCells } from '../src/shared/train';
import { DEFAULT_TRAIN_SETTINGS, sweepPlanOf } from '../src/shared/trainSettings';

const archive = readArchive(ARCHIVE_DIR);

/** The cell of the day: sha256 of the UTC date picks one finished MLP cell. */
function pickCell(): { sweep: string; index: number } {
  const pinned = process.env.PXLAB_ARCHIVE_CELL;
  if (pinned) {
    const [sweep, index] = pinned.split('/');
    return { sweep, index: Number(index) };
  }
  const mlp = archive.sweeps
    .filter((s) => s.plan.arch === 'mlp')
    .flatMap((s) => s.results.map((r) => ({ sweep: s.name, index: r.cell.index })));
  const day = new Date().toISOString().slice(0, 10);
  return mlp[parseInt(sha256Hex(day).slice(0, 8), 16) % mlp.length];
}

describe('the results archive', () => {
  it('every archived cell belongs to its plan under the current code, with a real accuracy', () => {
    let n = 0;
    for (const s of archive.sweeps) {
      const cells = planCells(s.plan);
      expect(s.cellCount).toBe(cells.length);
      for (const r of s.results) {
        expect(cells[r.cell.index]).toEqual(r.cell);
        expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
        expect(r.testAccuracy).toBeLessThanOrEqual(1);
        expect(r.kept).toBeLessThanOrEqual(r.total);
        n++;
      }
    }
    expect(n).toBeGreaterThan(0);
  });

  it("the page's default sweep finds the archive's MLP/MNIST rows; another learning rate finds none", () => {
    const plan = sweepPlanOf(DEFAULT_CONFIG, DEFAULT_TRAIN_SETTINGS);
    const rows = archiveRowsFor(archive, plan);
    const archived = archive.sweeps.find((s) => s.name === 'mlp-mnist')!;
    const expected = archived.results.filter(
      (r) => r.cell.method === 'dense' || (plan.methods.some((m) => m === r.cell.method) && plan.densities.includes(r.cell.density)),
    );
    expect(rows.reduce((a, r) => a + r.n, 0)).toBe(expected.length);
    expect(rows.every((r) => r.sweep === 'mlp-mnist' && r.min <= r.mean && r.mean <= r.max)).toBe(true);
    expect(archiveRowsFor(archive, { ...plan, recipe: { ...plan.recipe, lr: 0.05 } })).toEqual([]);
    expect(
      archiveRowsFor(archive, { ...plan, dataset: 'fashion-mnist', methods: ['imp'] }).every((r) => r.sweep === 'mlp-fashion-mnist'),
    ).toBe(true);
  });

  it('renders a sweep as a table: mean ± sample std over seeds, a dash where nothing finished', () => {
    const s = archive.sweeps.find((x) => x.name === 'mlp-mnist')!;
    const r = (method: 'snip' | 'dense', density: number, seed: number, acc: number) => ({
      cell: { index: 0, method, density, seed },
      testAccuracy: acc,
      kept: 1,
      total: 2,
      pruneSeconds: 1,
      trainSeconds: 1,
      backend: 'wasm',
    });
    const plan = { ...s.plan, methods: ['snip' as const], densities: [0.1, 0.01] };
    const lines = archiveTable({ ...s, plan, results: [r('snip', 0.1, 0, 0.9), r('snip', 0.1, 1, 0.8), r('dense', 1, 0, 0.95)] }).split(
      '\n',
    );
    expect(lines[0]).toBe('| mlp-mnist | 10% | 1% |');
    // std of 90 and 80: √50 = 7.07
    expect(lines[2]).toBe('| snip | 85.00 ± 7.07 (2) | – |');
    expect(lines[3]).toBe('| dense | 95.00 (1) | 95.00 (1) |');
  });

  const pick = pickCell();
  it(`re-runs ${pick.sweep} cell ${pick.index} and gets the archived number`, async () => {
    const s = archive.sweeps.find((x) => x.name === pick.sweep)!;
    const archived = s.results.find((r) => r.cell.index === pick.index)!;
    // the archive's numbers are the wasm backend's (run with PXLAB_BACKEND unset or wasm)
    expect(tf.getBackend()).toBe(archived.backend);
    const model = buildModel(parseArch(s.plan.arch));
    const dataset = await openDatasetForCli(s.plan.dataset, model, s.plan.seeds[0]);
    const r = await runSweepCell({ plan: s.plan, cell: archived.cell, model, dataset, backend: archived.backend });
    expect(r.kept).toBe(archived.kept);
    expect(r.testAccuracy).toBe(archived.testAccuracy);
  }, 900_000);
});
