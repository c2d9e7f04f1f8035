// Merges the results archive's finished cells into results/archive/archive.json (the file the
// page and the README read, src/shared/archive.ts); provenance from results/archive/provenance.json;
// the tables and the sanity checks' claims of docs/archive.md (between its archive-tables and
// archive-ablations markers) and the README's claims (between its archive-claims markers)
// rendered from it.
//   npx tsx scripts/archive-index.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARCHIVE_DIR, readArchive } from '../src/cli/archive-files';
import { archiveClaimsMarkdown, archiveTable } from '../src/shared/archive';
import { format, resolveConfig } from 'prettier';

const archive = readArchive();
writeFileSync(join(ARCHIVE_DIR, 'archive.json'), `${JSON.stringify(archive, null, 1)}\n`);
for (const s of archive.sweeps) console.log(`${s.name}: ${s.results.length}/${s.cellCount} cells`);

/** Replace what lies between `<!-- name:start -->` and `<!-- name:end -->` in `file`, formatted. */
async function renderBetween(file: string, name: string, body: string): Promise<void> {
  const [before, rest] = readFileSync(file, 'utf8').split(`<!-- ${name}:start -->`);
  const after = rest.split(`<!-- ${name}:end -->`)[1];
  const text = `${before}<!-- ${name}:start -->\n\n${body}\n\n<!-- ${name}:end -->${after}`;
  writeFileSync(file, await format(text, { ...(await resolveConfig(file)), parser: 'markdown' }));
}

const root = join(ARCHIVE_DIR, '..', '..');
const done = archive.sweeps.filter((s) => s.results.length);
const tables = done.map((s) => `${archiveTable(s)}\n\n${s.results.length} of ${s.cellCount} cells finished.`).join('\n\n');
await renderBetween(join(root, 'docs', 'archive.md'), 'archive-tables', tables);
await renderBetween(join(root, 'README.md'), 'archive-claims', archiveClaimsMarkdown(archive));
await renderBetween(join(root, 'docs', 'archive.md'), 'archive-ablations', archiveClaimsMarkdown(archive, { ablations: true }));
