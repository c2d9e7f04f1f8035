// The production build (`vite build`, no test hooks) served from a sub-path by a plain static
// server that sends no COOP/COEP headers, as GitHub Pages or an object-store bucket would: the
// page loads its worker, wasm, datasets and weights relative to itself, the service worker makes
// it cross-origin isolated after one reload (wasm threads), and a copied link opens the same
// run, with the same numbers, under that sub-path.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';

const PORT = Number(process.env.PXLAB_STATIC_PORT ?? 4186);
const SUB = '/lab/px/';
const SITE = `http://127.0.0.1:${PORT}${SUB}`;
/** A short MLP run: PX (4 rounds) and SNIP at 5%. */
const QUERY = '?model=mlp&data=mnist&methods=px,snip&rounds=4&density=0.05';
const COLUMNS = ['kept', 'effective', 'ntk', 'condition', 'flops', 'collapsed'];

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** A static file server with nothing but Content-Type and Content-Length: no isolation headers. */
function plainServer(root: string): Server {
  return createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    let file = join(root, path);
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const size = statSync(file).size;
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': size });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
}

let root = '';
let server: Server | null = null;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  root = mkdtempSync(join(tmpdir(), 'pxlab-static-'));
  // the production build, as `npm run build` makes it, copied nowhere: built straight into the sub-path
  execFileSync('npx', ['vite', 'build', '--outDir', join(root, SUB), '--emptyOutDir', '--logLevel', 'warn'], {
    stdio: 'inherit',
    timeout: 280_000,
  });
  server = plainServer(root);
  await new Promise<void>((resolve) => server!.listen(PORT, '127.0.0.1', resolve));
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (root) rmSync(root, { recursive: true, force: true });
});

const isolated = (page: Page) => page.evaluate(() => self.crossOriginIsolated).catch(() => false);

async function summaryNumbers(page: Page): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const m of ['px', 'snip']) {
    const row = page.locator(`table.summary tr[data-method="${m}"]`);
    out[m] = await Promise.all(COLUMNS.map((c) => row.locator(`td[data-col="${c}"]`).innerText()));
  }
  return out;
}

test('served from a sub-path without headers: isolated by the service worker, threads, a run, a link that reopens it', async ({
  browser,
}) => {
  test.setTimeout(600_000);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${PORT}` });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  // the server sends no isolation headers
  const first = await page.goto(`${SITE}${QUERY}`);
  expect(first!.headers()['cross-origin-embedder-policy']).toBeUndefined();
  expect(first!.headers()['cross-origin-opener-policy']).toBeUndefined();
  // the service worker registers and reloads the page once; from then on the page is isolated
  await expect.poll(() => isolated(page), { timeout: 60_000 }).toBe(true);
  await page.reload();
  expect(await isolated(page)).toBe(true);
  await expect(page.getByTestId('isolation')).toHaveAttribute('data-mode', 'service worker');
  await expect(page.getByTestId('isolation')).toHaveText(/^Isolation: service worker/);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const threads = Math.min(8, cores);
  await expect(page.getByTestId('backend')).toHaveText(new RegExp(`^wasm · SIMD · ${threads} thread`));
  // the lab's own kernels start their helper workers from the sub-path too
  await expect(page.getByTestId('backend')).toHaveAttribute('data-kernel-threads', String(threads));

  // a pruning run to the end, with data and worker fetched from the sub-path
  await expect(page.locator('.grid')).toHaveAttribute('data-run-status', 'done', { timeout: 400_000 });
  const numbers = await summaryNumbers(page);
  expect(numbers.px.join(' ')).toMatch(/\d/);

  // the copied link is the sub-path address, never the build machine's
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByText('Link copied')).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link.startsWith(`${SITE}?`)).toBe(true);
  expect(link).toContain('methods=px,snip');

  // opened in a new tab, the link reproduces the run
  const again = await context.newPage();
  await again.goto(link);
  await expect.poll(() => isolated(again), { timeout: 60_000 }).toBe(true);
  await expect(again.getByTestId('url-notice')).toHaveCount(0);
  await expect(again.locator('.grid')).toHaveAttribute('data-run-status', 'done', { timeout: 400_000 });
  expect(await summaryNumbers(again)).toEqual(numbers);
  expect(errors).toEqual([]);
  await context.close();
});
