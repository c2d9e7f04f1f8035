// The sweep chart's data with the shipped archive behind it: the archive's rows for the plan's
// settings become a band (min–max over its seeds) and a mean at their densities, beside the
// page's own lines in the same rows; another plan's settings (learning rate, epochs) draw nothing.
import { describe, expect, it } from 'vitest';
import { archiveRowsFor, type ArchivedSweep, type ResultsArchive } from '../../shared/archive';
import { DEFAULT_CONFIG } from '../../shared/config';
import type { TrainResult } from '../../shared/protocol';
import { DEFAULT_TRAIN_SETTINGS, sweepPlanOf } from '../../shared/trainSettings';
import { archiveKey, sweepChartData } from './sweepChartData';

const plan = sweepPlanOf(DEFAULT_CONFIG, DEFAULT_TRAIN_SETTINGS);

/** Seeds 0..2 of snip and rand at 10% and 1%, and dense: accuracy = base + seed/100. */
function archived(p = plan): ArchivedSweep {
  const results: ArchivedSweep['results'] = [];
  const base: Record<string, number> = { snip: 0.9, rand: 0.5, dense: 0.95 };
  for (const seed of [0, 1, 2])
    for (const [method, density] of [
      ['snip', 0.1],
      ['snip', 0.01],
      ['rand', 0.1],
      ['rand', 0.01],
      ['dense', 1],
    ] as const) {
      const acc = base[method] - (density === 0.01 ? 0.2 : 0) + seed / 100;
      results.push({
        cell: { index: results.length, method, density, seed },
        testAccuracy: acc,
        kept: 1,
        total: 1,
        pruneSeconds: 0,
        trainSeconds: 0,
        backend: 'wasm',
      });
    }
  return { name: 'mlp-mnist', planId: 'a'.repeat(64), plan: p, cellCount: results.length, results };
}

const archive = (p = plan): ResultsArchive => ({
  kind: 'px-lab-archive',
  version: 1,
  provenance: { commit: '9fe9bdbd260ac49e20a8484464d94f700c4a8930', date: '2026-12-07' },
  sweeps: [archived(p)],
});

const userCell = (method: 'snip' | 'rand', density: number, seed: number, testAccuracy: number) =>
  ({ cell: { index: 0, method, density, seed }, testAccuracy }) as unknown as TrainResult;

describe('the sweep chart with the archive behind it', () => {
  it('draws the archive band (min–max over seeds) and mean at the archived densities, dense as a reference', () => {
    const rows = archiveRowsFor(archive(), plan);
    const { rows: chartRows, archiveLines, archiveDenses, lines, yDomain } = sweepChartData([], rows);
    expect(lines).toEqual([]);
    expect(archiveLines.map((l) => l.method).sort()).toEqual(['rand', 'snip']);
    expect(chartRows.map((r) => r.density)).toEqual([0.1, 0.01]);
    const at = (d: number) => chartRows.find((r) => r.density === d)!;
    expect(at(0.1)[`${archiveKey('snip')}__band`]).toEqual([0.9, 0.92]);
    expect(at(0.1)[archiveKey('snip')]).toBeCloseTo(0.91, 12);
    expect(at(0.01)[`${archiveKey('snip')}__band`]).toEqual([0.7, 0.72]);
    expect(at(0.01)[`${archiveKey('rand')}__band`]).toEqual([0.3, 0.32]);
    expect(archiveDenses).toHaveLength(1);
    expect(archiveDenses[0]).toMatchObject({ min: 0.95, max: 0.97 });
    expect(archiveDenses[0].mean).toBeCloseTo(0.96, 12);
    // the axis holds every band
    expect(yDomain[0]).toBeLessThanOrEqual(0.3);
    expect(yDomain[1]).toBeGreaterThanOrEqual(0.97);
  });

  it("shares the density rows with the page's own lines, which keep their own keys", () => {
    const rows = archiveRowsFor(archive(), plan);
    const mine = [userCell('snip', 0.1, 0, 0.8), userCell('snip', 0.1, 1, 0.84)];
    const { rows: chartRows, lines, archiveLines } = sweepChartData([{ results: mine, suffix: '', dashed: false }], rows);
    expect(lines.map((l) => l.key)).toEqual(['s0_snip']);
    expect(archiveLines.map((l) => l.key)).not.toContain('s0_snip');
    const row = chartRows.find((r) => r.density === 0.1)!;
    expect(row.s0_snip).toBeCloseTo(0.82, 12);
    expect(row.s0_snip__band).toEqual([0.8, 0.84]);
    expect(row[`${archiveKey('snip')}__band`]).toEqual([0.9, 0.92]);
  });

  it("draws nothing for another plan's settings (learning rate, epochs, model) nor for methods or densities the plan leaves out", () => {
    const other = [
      { ...plan, recipe: { ...plan.recipe, lr: 0.05 } },
      { ...plan, recipe: { ...plan.recipe, epochs: 2 } },
      { ...plan, arch: 'convnet' },
    ];
    for (const p of other) {
      const { archiveLines, archiveDenses, rows } = sweepChartData([], archiveRowsFor(archive(), p));
      expect(archiveLines).toEqual([]);
      expect(archiveDenses).toEqual([]);
      expect(rows).toEqual([]);
    }
    // the same settings, a narrower grid: only what it asks for
    const narrow = { ...plan, methods: ['snip' as const], densities: [0.01], dense: false };
    const { archiveLines, archiveDenses, rows } = sweepChartData([], archiveRowsFor(archive(), narrow));
    expect(archiveLines.map((l) => l.method)).toEqual(['snip']);
    expect(archiveDenses).toEqual([]);
    expect(rows.map((r) => r.density)).toEqual([0.01]);
  });
});
