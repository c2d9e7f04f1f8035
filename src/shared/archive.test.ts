// The archive as the page reads it: archive.json through its schema (a bad file is one line), and
// the caption of the rows drawn from it (seeds, commit, date).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  archiveCaption,
  archiveClaims,
  archiveClaimsMarkdown,
  archiveDifference,
  parseArchive,
  type ArchiveRow,
  type ArchivedSweep,
} from './archive';

const shipped = JSON.parse(readFileSync(new URL('../../results/archive/archive.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('the results archive on the page', () => {
  it('reads the shipped archive.json', () => {
    const a = parseArchive(shipped);
    expect(a.sweeps.length).toBeGreaterThan(0);
    expect(a.provenance.commit).toMatch(/^[0-9a-f]{7,40}$/);
  });

  it('refuses a broken archive with one line naming the field', () => {
    const bad = [
      { ...shipped, kind: 'px-lab-sweep' },
      { ...shipped, provenance: { date: '2026-12-07' } },
      { ...shipped, sweeps: [{ name: 'x', planId: 'nope' }] },
      null,
    ];
    for (const b of bad) {
      expect(() => parseArchive(b)).toThrow(/^The results archive is unreadable \(.+\)\.$/);
      try {
        parseArchive(b);
      } catch (e) {
        expect((e as Error).message).not.toContain('\n');
      }
    }
    expect(() => parseArchive({ ...shipped, provenance: { date: '2026-12-07' } })).toThrow(/provenance\.commit/);
  });

  it('says how many seeds stand behind the rows, the short commit and the date', () => {
    const prov = { provenance: { commit: '9fe9bdbd260ac49e20a8484464d94f700c4a8930', date: '2026-12-07' } };
    const row = (n: number) => ({ n }) as ArchiveRow;
    expect(archiveCaption(prov, [row(3), row(3)])).toBe('archive: 3 seeds, commit 9fe9bdb, 2026-12-07');
    expect(archiveCaption(prov, [row(1)])).toBe('archive: 1 seed, commit 9fe9bdb, 2026-12-07');
    expect(archiveCaption(prov, [row(1), row(3)])).toBe('archive: 1–3 seeds, commit 9fe9bdb, 2026-12-07');
  });

  it('states a ranking only where every seed above beats every seed below; one seed ranks nothing', () => {
    const cell = (method: string, density: number, seed: number, acc: number) => ({
      cell: { index: 0, method, density, seed },
      testAccuracy: acc,
    });
    const sweep = {
      name: 't',
      plan: { densities: [0.1, 0.01] },
      results: [
        // at 10%: a 0.90–0.92 clear of b 0.80–0.82; c 0.81 … 0.85 overlaps b
        ...[0.9, 0.91, 0.92].map((x, i) => cell('a', 0.1, i, x)),
        ...[0.8, 0.81, 0.82].map((x, i) => cell('b', 0.1, i, x)),
        ...[0.81, 0.83, 0.85].map((x, i) => cell('c', 0.1, i, x)),
        // at 1%: one seed each
        cell('a', 0.01, 0, 0.5),
        cell('b', 0.01, 0, 0.6),
        ...[0.95, 0.96].map((x, i) => cell('dense', 0.1, i, x)),
      ],
    } as unknown as ArchivedSweep;
    expect(archiveClaims(sweep, (m) => m.toUpperCase())).toEqual([
      '10% (3 seeds): A 91.00 > C 83.00 ≈ B 81.00 (within noise); dense 95.50 ± 0.71',
      '1% (one seed, not ranked): B 60.00, A 50.00; dense 95.50 ± 0.71',
    ]);
  });

  it("the README's claims are the shipped archive's (scripts/archive-index.ts renders both)", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = readme.split('<!-- archive-claims:start -->')[1].split('<!-- archive-claims:end -->')[0];
    expect(block.trim()).toBe(archiveClaimsMarkdown(parseArchive(shipped)).trim());
  });

  it('says how the closest archived sweep of the same model and data differs; nothing when one matches or none is of that model', () => {
    const archive = parseArchive(shipped);
    const mnist = archive.sweeps.find((s) => s.name === 'mlp-mnist')!.plan;
    expect(archiveDifference(archive, mnist)).toBeNull();
    expect(archiveDifference(archive, { ...mnist, rounds: 20 })).toBe('mlp-mnist has rounds 100 (here 20)');
    expect(archiveDifference(archive, { ...mnist, recipe: { ...mnist.recipe, lr: 0.05, epochs: 2 } })).toBe(
      'mlp-mnist has epochs 1 (here 2), lr 0.1 (here 0.05)',
    );
    expect(archiveDifference(archive, { ...mnist, arch: 'resnet20' })).toBeNull();
  });
});
