// Reads the results archive (results/archive/, docs/archive.md): every <name>/plan.json with its
// finished cells/cell-NNNN.json, each checked as `px-lab sweep --merge` checks it (schema, plan
// id, cell in the plan); unfinished cells are simply absent. scripts/archive-index.ts writes the
// merged results/archive/archive.json from it; test/archive.test.ts re-runs one cell.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchivedSweep, ResultsArchive } from '../shared/archive';
import { foreignRecord, isFailure, parseCellRecord, parsePlanFile, planId } from '../shared/sweep';
import { planCells } from '../shared/train';

/** The archive's folder in this checkout. */
export const ARCHIVE_DIR = join(import.meta.dirname, '..', '..', 'results', 'archive');
const read = (p: string): unknown => JSON.parse(readFileSync(p, 'utf8'));

/** One archived plan folder: its plan and its finished, checked cells. */
export function readArchivedSweep(dir: string, name: string): ArchivedSweep {
  const plan = parsePlanFile(read(join(dir, 'plan.json')), `${name}/plan.json`);
  const id = planId(plan);
  const cells = planCells(plan);
  const cellDir = join(dir, 'cells');
  const files = existsSync(cellDir) ? readdirSync(cellDir).filter((f) => /^cell-\d+\.json$/.test(f)) : [];
  const results = files.sort().flatMap((f) => {
    const r = parseCellRecord(read(join(cellDir, f)), `${name}/cells/${f}`);
    const why = foreignRecord(plan, id, r, cells);
    if (why) throw new Error(`${name}/cells/${f}: ${why}`);
    if (isFailure(r)) return [];
    const { cell, testAccuracy, kept, total, pruneSeconds, trainSeconds, backend } = r;
    return [{ cell, testAccuracy, kept, total, pruneSeconds, trainSeconds, backend }];
  });
  return { name, planId: id, plan, cellCount: cells.length, results };
}

export function readArchive(dir = ARCHIVE_DIR): ResultsArchive {
  const names = readdirSync(dir).filter((n) => existsSync(join(dir, n, 'plan.json')));
  return {
    kind: 'px-lab-archive',
    version: 1,
    provenance: read(join(dir, 'provenance.json')) as ResultsArchive['provenance'],
    sweeps: names.sort().map((n) => readArchivedSweep(join(dir, n), n)),
  };
}
