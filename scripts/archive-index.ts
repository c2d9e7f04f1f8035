// Merges the results archive's finished cells into results/archive/archive.json (the file the
// page and the README read, src/shared/archive.ts); provenance from results/archive/provenance.json;
// the tables of docs/archive.md (between its archive-tables markers) rendered from it.
//   npx tsx scripts/archive-index.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARCHIVE_DIR, readArchive } from '../src/cli/archive-files';
import { archiveTable } from '../src/shared/archive';
import { format, resolveConfig } from 'prettier';

const archive = readArchive();
writeFileSync(join(ARCHIVE_DIR, 'archive.json'), `${JSON.stringify(archive, null, 1)}\n`);
for (const s of archive.sweeps) console.log(`${s.name}: ${s.results.length}/${s.cellCount} cells`);

const doc = join(ARCHIVE_DIR, '..', '..', 'docs', 'archive.md');
const [before, rest] = readFileSync(doc, 'utf8').split('<!-- archive-tables:start -->');
const after = rest.split('<!-- archive-tables:end -->')[1];
const done = archive.sweeps.filter((s) => s.results.length);
const tables = done.map((s) => `${archiveTable(s)}\n\n${s.results.length} of ${s.cellCount} cells finished.`).join('\n\n');
const text = `${before}<!-- archive-tables:start -->\n\n${tables}\n\n<!-- archive-tables:end -->${after}`;
writeFileSync(doc, await format(text, { ...(await resolveConfig(doc)), parser: 'markdown' }));
