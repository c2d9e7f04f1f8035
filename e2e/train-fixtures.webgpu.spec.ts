// The public training fixtures on the WebGPU backend (SwiftShader here: slow, so `npm test` runs
// the MLP and ConvNet cases; `npm run test:webgpu` runs every case). Each case trains in a page of
// its own (e2e/pages/trainFixtures.ts, served by this test) and must land within the fixture
// tolerance of the official float32 state, as on wasm (test/train.cli.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { FixtureCheck } from '../bench/suites/trainFixtureCheck';

const CASES = process.env.PXLAB_WEBGPU_CASES?.split(',') ?? ['mlp', 'conv_nobn', 'conv_bn'];
const FIXTURES = join('test', 'fixtures', 'train', 'public');
const HTML = '<!doctype html><meta charset="utf-8"><title>training fixtures</title><script type="module" src="page.js"></script>';

let js = '';
test.beforeAll(async () => {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    entryPoints: [join('e2e', 'pages', 'trainFixtures.ts')],
    bundle: true,
    format: 'esm',
    write: false,
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  js = out.outputFiles[0].text;
});

for (const name of CASES) {
  test(`training fixture ${name} on WebGPU: within the fixture tolerance`, async ({ page }) => {
    test.setTimeout(600_000);
    await page.route('**/train-fixtures/**', (route) => {
      const path = new URL(route.request().url()).pathname.replace(/^.*\/train-fixtures\//, '');
      if (path === 'index.html') return route.fulfill({ contentType: 'text/html', body: HTML });
      if (path === 'page.js') return route.fulfill({ contentType: 'text/javascript', body: js });
      return route.fulfill({ body: readFileSync(join(FIXTURES, path.replace(/^fixtures\//, ''))) });
    });
    await page.goto('/train-fixtures/index.html');
    await page.waitForFunction(() => Boolean((window as unknown as { __trainFixture?: unknown }).__trainFixture));
    const r = await page.evaluate(
      (n) => (window as unknown as { __trainFixture: (n: string) => Promise<FixtureCheck & { backend: string }> }).__trainFixture(n),
      name,
    );
    console.log(
      `${name} webgpu: worst ${r.worst.tensor} ${r.worst.error.toExponential(2)} (tolerance ${r.worst.tolerance.toExponential(1)}), worst loss ${r.worstLoss.toExponential(2)}`,
    );
    expect(r.backend).toBe('webgpu');
    expect(r.worstLoss).toBeLessThanOrEqual(1e-4);
    expect(r.worstRatio.ratio, `${r.worstRatio.tensor}: ${r.worst.error}`).toBeLessThanOrEqual(1);
    expect(r.pass).toBe(true);
  });
}
