// The archive as the page reads it: archive.json through its schema (a bad file is one line), and
// the caption of the rows drawn from it (seeds, commit, date).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { archiveCaption, parseArchive, type ArchiveRow } from './archive';

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
});
