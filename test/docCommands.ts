// The commands docs/clusters.md shows, read from the doc so the tests run exactly them: the
// fenced block after `<!-- tested: <test file> -->`, and the doc's generated examples.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CLUSTERS_DOC = join(process.cwd(), 'docs', 'clusters.md');

/** The body of the first fenced block of `lang` after `marker` in the doc. */
export function docBlock(lang: string, marker: string): string {
  const doc = readFileSync(CLUSTERS_DOC, 'utf8');
  const at = doc.indexOf(marker);
  if (at < 0) throw new Error(`${CLUSTERS_DOC}: no ${JSON.stringify(marker)}`);
  const open = doc.indexOf('```' + lang + '\n', at);
  if (open < 0) throw new Error(`${CLUSTERS_DOC}: no \`\`\`${lang} block after ${JSON.stringify(marker)}`);
  const start = open + lang.length + 4;
  return doc.slice(start, doc.indexOf('\n```', start) + 1);
}

/** The `npx px-lab sweep …` lines of the block a test file runs, as argument lists (after "sweep"). */
export function testedSweepCommands(testFile: string): string[][] {
  return docBlock('sh', `<!-- tested: ${testFile} -->`)
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l.startsWith('npx px-lab sweep '))
    .map((l) => l.split(/\s+/).slice(3));
}

/** The command of a block holding `flag` (e.g. --submit), with the doc's file names mapped to real paths. */
export function commandWith(commands: string[][], flag: string | null, paths: Record<string, string>): string[] {
  const c = commands.find((a) =>
    flag ? a.includes(flag) : !a.some((x) => ['--submit', '--status', '--resubmit', '--merge', '--cell'].includes(x)),
  );
  if (!c) throw new Error(`${CLUSTERS_DOC}: no documented command ${flag ?? 'that writes the plan'}`);
  return c.map((a) => paths[a] ?? a);
}
