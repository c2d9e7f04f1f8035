// The public training and pruning fixtures on the WebGPU backend (SwiftShader here: slow, so
// `npm test` runs the MLP and ConvNet cases; `npm run test:webgpu` adds both ResNet-20 cases).
// Each case runs in a page of its own (e2e/pages/fixtures.ts, served by this test) and is held to
// the same tolerances as on wasm (test/train.cli.test.ts, test/pruners.fixtures.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { FixtureCheck } from '../test/trainFixtureCheck';
import { EXPECTED, tolerance, type PruneCaseName } from '../test/pruneFixtureCheck';
import type { PruneResult } from './pages/fixtures';
import { bundlePage } from '../bench/suites/bundlePage';

const CASES = process.env.PXLAB_WEBGPU_CASES?.split(',') ?? ['mlp', 'conv_nobn', 'conv_bn'];
/** Cases with pruning fixtures too (resnet20_synflow is a training case only). */
const hasPruning = (name: string): name is PruneCaseName => name in EXPECTED;
const FIXTURES = join('test', 'fixtures');
const HTML = '<!doctype html><meta charset="utf-8"><title>fixtures on WebGPU</title><script type="module" src="page.js"></script>';
/** Where each kind of fixture lives (both name their cases mlp, conv_nobn, conv_bn, resnet20). */
const DIRS: Record<string, string> = { train: join(FIXTURES, 'train', 'public'), prune: join(FIXTURES, 'safetensors', 'public') };

let js = '';
test.beforeAll(async () => {
  js = await bundlePage(join('e2e', 'pages', 'fixtures.ts'));
});

async function openPage(page: Page): Promise<void> {
  await page.route('**/fixtures-page/**', (route) => {
    const path = new URL(route.request().url()).pathname.replace(/^.*\/fixtures-page\//, '');
    if (path === 'index.html') return route.fulfill({ contentType: 'text/html', body: HTML });
    if (path === 'page.js') return route.fulfill({ contentType: 'text/javascript', body: js });
    const [kind, ...rest] = path.split('/');
    return route.fulfill({ body: readFileSync(join(DIRS[kind], ...rest)) });
  });
  await page.goto('/fixtures-page/index.html');
  await page.waitForFunction(() => '__pruneFixture' in window);
}

for (const name of CASES) {
  test(`training fixture ${name} on WebGPU: within the fixture tolerance`, async ({ page }) => {
    test.setTimeout(600_000);
    await openPage(page);
    const r = await page.evaluate(
      (n) => (window as unknown as { __trainFixture: (n: string) => Promise<FixtureCheck & { backend: string }> }).__trainFixture(n),
      name,
    );
    console.log(
      `train ${name} webgpu: worst ${r.worst.tensor} ${r.worst.error.toExponential(2)} (tolerance ${r.worst.tolerance.toExponential(1)}), worst loss ${r.worstLoss.toExponential(2)}`,
    );
    expect(r.backend).toBe('webgpu');
    expect(r.worstLoss).toBeLessThanOrEqual(1e-4);
    expect(r.worstRatio.ratio, `${r.worstRatio.tensor}: ${r.worst.error}`).toBeLessThanOrEqual(1);
  });

  if (!hasPruning(name)) continue;
  test(`pruning fixtures ${name} on WebGPU: ${EXPECTED[name].join(', ')}`, async ({ page }) => {
    test.setTimeout(900_000);
    await openPage(page);
    for (const f of EXPECTED[name]) {
      const r = await page.evaluate(
        ([n, file]) => (window as unknown as { __pruneFixture: (n: string, f: string) => Promise<PruneResult> }).__pruneFixture(n, file),
        [name, `${f}_d0.1.safetensors`] as const,
      );
      const tol = tolerance(name, f.split('_')[0]);
      const err = tol.upToScale ? r.scaled : r.raw;
      console.log(`prune ${name} ${f} webgpu: scores ${err.toExponential(2)} (tolerance ${tol.scores}), ${r.mismatches} mask differences`);
      expect(r.backend).toBe('webgpu');
      expect(r.leaked, `${f}: tensors left`).toBe(0);
      expect(err, `${f} scores`).toBeLessThanOrEqual(tol.scores);
      expect(r.mismatches, `${f} masks`).toBeLessThanOrEqual(tol.mismatches);
      expect(r.kept, `${f} kept`).toBeLessThanOrEqual(r.wantKept);
      expect(r.kept, `${f} kept`).toBeGreaterThanOrEqual(r.wantKept - (tol.tiesAllowed ?? 0));
    }
  });
}
