// Merges the results archive's finished cells into results/archive/archive.json (the file the
// page and the README read, src/shared/archive.ts); provenance from results/archive/provenance.json.
//   npx tsx scripts/archive-index.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARCHIVE_DIR, readArchive } from '../src/cli/archive-files';

const archive = readArchive();
writeFileSync(join(ARCHIVE_DIR, 'archive.json'), `${JSON.stringify(archive, null, 1)}\n`);
for (const s of archive.sweeps) console.log(`${s.name}: ${s.results.length}/${s.cellCount} cells`);
