// Test hooks stay out of production: the production build once carried them (window.__pxlab with
// simulateFault and useClient, the #mock source, the worker's fault simulator). Builds both modes
// and reads the bundles: production has none of them, the e2e build (npm run e2e) has all.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';

// '(mock)' and the mock model label: src/app/dev/mockSource.ts (MockSource, loaded only for #mock in test builds)
const MARKERS = ['__pxlab', 'simulated worker crash', '(mock)', 'MLP 784-300-100-10 (mock)', 'useClient'];

async function bundleText(mode: string): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), `pxlab-${mode}-`));
  await build({ mode, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  const dir = join(outDir, 'assets');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

describe('test hooks stay out of production bundles (defect 12)', () => {
  it('production: no window.__pxlab, no fault simulator, no mock source', async () => {
    const text = await bundleText('production');
    expect(text.length).toBeGreaterThan(1e6);
    for (const m of MARKERS) expect(text.includes(m), m).toBe(false);
  });
  it('the e2e build (vite build --mode e2e) keeps them for the tests', async () => {
    const text = await bundleText('e2e');
    for (const m of MARKERS) expect(text.includes(m), m).toBe(true);
  });
});
