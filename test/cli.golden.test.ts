// px-lab's outputs pinned byte for byte: score / prune / ntk / layers on the fixture cases and
// synthetic + MNIST data, the help text and two usage errors (test/golden/cli-golden.mjs runs
// them in one process, about 8 s). The hashes in test/golden/cli-golden.json were recorded before
// the refactor to one table per concept and one pruning driver; any change to a number, a
// metadata field or a file layout fails here. Re-record only for an intended output change:
//   node test/golden/cli-golden.mjs /tmp/golden > test/golden/cli-golden.json
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const out = mkdtempSync(join(tmpdir(), 'pxlab-golden-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('px-lab outputs are byte-identical to the pinned ones', () => {
  it('every output file hashes as recorded', () => {
    const res = spawnSync(process.execPath, [join('test', 'golden', 'cli-golden.mjs'), out], { encoding: 'utf8', cwd: process.cwd() });
    expect(res.status, res.stderr.slice(-2000)).toBe(0);
    const got = JSON.parse(res.stdout) as Record<string, string>;
    const want = JSON.parse(readFileSync(join('test', 'golden', 'cli-golden.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(got).length).toBeGreaterThanOrEqual(30);
    expect(got).toEqual(want);
  }, 120_000);
});
