// The lab page end to end, against the built app and the real worker (no mock): configure,
// move the slider by keyboard and mouse, watch the charts redraw, share the link, reopen it in a
// fresh context and get the same numbers; 20 malformed links each give a working page with a notice.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { parseSafetensors } from '../src/shared/safetensors';
import { DEFAULT_METHODS as CONFIG_DEFAULT_METHODS } from '../src/shared/config';
import { type MethodId } from '../src/shared/methods';
import { METHOD_INFO } from '../src/shared/methods';

const SHOTS = 'test-results/screenshots';
mkdirSync(SHOTS, { recursive: true });

const DEFAULT_METHODS: MethodId[] = [...CONFIG_DEFAULT_METHODS];
/** The default PX variant (the first default method). */
const PX = DEFAULT_METHODS[0];
/** Long runs on two shared cores: ResNet-20 PX rounds take about a second each on wasm. */
const RUN_TIMEOUT = 240_000;

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

async function runId(page: Page): Promise<number> {
  return Number(await page.locator('.grid').getAttribute('data-run-id'));
}

/** Wait for a run newer than `after` to finish, then check every panel drew the default methods. */
async function expectRunDrawn(page: Page, after: number, methods = DEFAULT_METHODS): Promise<number> {
  const grid = page.locator('.grid');
  await expect.poll(() => runId(page), { timeout: 30_000 }).toBeGreaterThan(after);
  await expect(grid).toHaveAttribute('data-run-status', 'done', { timeout: RUN_TIMEOUT });
  const id = await runId(page);
  for (const chart of ['spectrum', 'layers', 'progress', 'summary']) {
    await expect(page.locator(`[data-chart="${chart}"]`)).toHaveAttribute('data-state', 'ready');
  }
  for (const chart of ['spectrum', 'layers', 'progress']) {
    const card = page.locator(`[data-chart="${chart}"]`);
    // a drawn line in each method's colour, and the method in the legend
    for (const m of methods) {
      // lines (spectrum, progress) or points (per-layer: layers are categories)
      const drawn =
        chart === 'layers'
          ? card.locator(
              `circle[data-layer-point][fill="${METHOD_INFO[m].color}"], g[data-collapsed] path[stroke="${METHOD_INFO[m].color}"]`,
            )
          : card.locator(`path.recharts-curve[stroke="${METHOD_INFO[m].color}"]`);
      await expect.poll(() => drawn.count()).toBeGreaterThan(0);
      await expect(card.locator('ul.legend')).toContainText(METHOD_INFO[m].label);
    }
  }
  await expect(page.locator('[data-chart="spectrum"] ul.legend')).toContainText('Dense');
  for (const m of methods) {
    const row = page.locator(`table.summary tr[data-method="${m}"]`);
    await expect(row.locator('td[data-col="kept"]')).toHaveText(/\d+(\.\d+)?%/);
    await expect(row.locator('td[data-col="ntk"]')).toHaveText(/\d/);
    await expect(row.locator('td[data-col="flops"]')).toHaveText(/\d/);
    await expect(row.locator('td[data-col="collapsed"]')).toHaveText(/^\d+$/);
  }
  return id;
}

/** The summary numbers (every column but time) per method. */
async function summaryNumbers(page: Page): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const m of DEFAULT_METHODS) {
    const row = page.locator(`table.summary tr[data-method="${m}"]`);
    out[m] = await Promise.all(
      ['kept', 'effective', 'ntk', 'condition', 'flops', 'collapsed'].map((c) => row.locator(`td[data-col="${c}"]`).innerText()),
    );
  }
  return out;
}

test.describe.configure({ mode: 'serial' });

let shared: { url: string; numbers: Record<string, string[]>; readout: string } | null = null;

test('configure, drag the slider by keyboard and mouse, all charts redraw', async ({ page, context }) => {
  test.setTimeout(900_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'PX Lab', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: /arXiv 2406\.01820/ })).toHaveAttribute('href', 'https://arxiv.org/abs/2406.01820');
  // defaults: PX, SNIP, SynFlow checked
  for (const m of DEFAULT_METHODS) await expect(page.getByRole('checkbox', { name: METHOD_INFO[m].label, exact: true })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'GraSP', exact: true })).not.toBeChecked();
  await page.screenshot({ path: `${SHOTS}/01-first-load.png` });

  // ResNet-20 on synthetic CIFAR-shaped data (fewer iterative rounds: ~1 s a round on two cores)
  let id = await runId(page);
  await page.getByLabel('Rounds · iterative').fill('4');
  await page.getByLabel('Rounds · iterative').press('Enter');
  await page.getByLabel('Model').selectOption('resnet20');
  await page.getByLabel('Dataset').selectOption('synthetic');
  await expect(page.getByTestId('backend')).not.toHaveText(/starting/, { timeout: 60_000 });
  await page.waitForTimeout(300);
  // progress bar with a Cancel button while it runs
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: `${SHOTS}/02-resnet20-running.png` });
  id = await expectRunDrawn(page, id);
  await page.screenshot({ path: `${SHOTS}/03-resnet20-synthetic.png` });
  await expect(page.locator(`table.summary tr[data-method="${PX}"] td[data-col="kept"]`)).toContainText('%');

  // the official command for ResNet-20
  await page.getByRole('button', { name: 'Official command…' }).click();
  await expect(page.getByTestId('official-command')).toContainText('--arch=resnet20');
  await expect(page.getByTestId('official-command')).toContainText('--pruner=SynFlow');
  await page.screenshot({ path: `${SHOTS}/04-official-command.png` });
  await page.getByRole('button', { name: 'Close' }).click();

  // then MLP on MNIST, default rounds
  await page.getByLabel('Rounds · iterative').fill('100');
  await page.getByLabel('Rounds · iterative').press('Enter');
  await page.getByLabel('Model').selectOption('mlp');
  await page.getByLabel('Dataset').selectOption('mnist');
  id = await expectRunDrawn(page, id);
  await page.screenshot({ path: `${SHOTS}/05-mlp-mnist.png` });

  // keyboard: one step right on the slider snaps to the next 0.8^k grid point
  const slider = page.getByRole('slider', { name: 'Sparsity' });
  const before = await page.getByTestId('sparsity-readout').innerText();
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('sparsity-readout')).not.toHaveText(before);
  await expect(page.getByTestId('sparsity-readout')).toContainText('pruned');
  expect(page.url()).toMatch(/density=0\.0(4398|2815)/);
  id = await expectRunDrawn(page, id);
  const keyboardNumbers = await summaryNumbers(page);

  // mouse: click at 25% of the track (~82% sparsity, snapped to the grid)
  const box = (await slider.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.25, box.y + box.height / 2);
  await expect(page.getByTestId('sparsity-readout')).toContainText(/8\d\.\d\d%/);
  id = await expectRunDrawn(page, id);
  expect(await summaryNumbers(page)).not.toEqual(keyboardNumbers);

  // mouse drag further right (~98% sparsity)
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 6 });
  await page.mouse.up();
  await expect(page.getByTestId('sparsity-readout')).toContainText(/9\d\.\d\d%/);
  id = await expectRunDrawn(page, id);
  await page.screenshot({ path: `${SHOTS}/06-mlp-slider-moved.png` });

  // layer chart: width view, and a PNG of the spectrum
  await page.getByRole('radio', { name: 'Width' }).check();
  await expect(page.getByRole('heading', { name: 'Per-layer width' })).toBeVisible();
  const [png] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download NTK eigenspectrum as PNG' }).click(),
  ]);
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  await png.saveAs(`${SHOTS}/12-exported-spectrum-chart.png`);
  expect(readFileSync(`${SHOTS}/12-exported-spectrum-chart.png`).subarray(1, 4).toString()).toBe('PNG');
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'JSON' }).click()]);
  expect(json.suggestedFilename()).toMatch(/\.json$/);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV' }).click()]);
  expect(csv.suggestedFilename()).toMatch(/\.csv$/);
  const results = JSON.parse(readFileSync(await json.path(), 'utf8'));
  expect(results.config.model).toBe('mlp');
  expect(results.methods.map((m: { method: string }) => m.method)).toEqual(DEFAULT_METHODS);
  expect(readFileSync(await csv.path(), 'utf8').split('\r\n')[0]).toContain('ntk_trace_ratio');
  // masks of PX as .safetensors with the official names, as many ones as the table says were kept
  await page.getByLabel('Masks').selectOption(PX);
  const [masks] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '.safetensors' }).click()]);
  expect(masks.suggestedFilename()).toMatch(new RegExp(`-${PX}-masks\\.safetensors$`));
  const file = parseSafetensors(new Uint8Array(readFileSync(await masks.path())));
  expect([...file.tensors.keys()]).toEqual(['l1.weight_mask', 'l2.weight_mask', 'fc.weight_mask']);
  expect(file.tensors.get('l1.weight_mask')!.shape).toEqual([300, 784]);
  let ones = 0;
  for (const t of file.tensors.values()) for (const v of t.data as Float32Array) ones += v;
  const keptCount = results.methods[0].summary.kept;
  expect(ones).toBe(keptCount);

  // share: Copy link puts the address (with every field) on the clipboard
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByText('Link copied')).toBeVisible();
  const url = await page.evaluate(() => navigator.clipboard.readText());
  expect(url).toContain('model=mlp');
  expect(url).toContain(`methods=${DEFAULT_METHODS.join(',')}`);
  expect(url).toBe(page.url());
  shared = { url, numbers: await summaryNumbers(page), readout: await page.getByTestId('sparsity-readout').innerText() };
  expect(errors).toEqual([]);
});

test('the shared link reproduces the configuration and the numbers in a fresh context', async ({ browser }) => {
  test.setTimeout(300_000);
  test.skip(!shared, 'needs the first test');
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(shared!.url);
  await expect(page.getByTestId('url-notice')).toHaveCount(0);
  await expect(page.getByLabel('Model')).toHaveValue('mlp');
  await expect(page.getByLabel('Dataset')).toHaveValue('mnist');
  for (const m of DEFAULT_METHODS) await expect(page.getByRole('checkbox', { name: METHOD_INFO[m].label, exact: true })).toBeChecked();
  await expect(page.getByTestId('sparsity-readout')).toHaveText(shared!.readout);
  await expectRunDrawn(page, 0);
  expect(await summaryNumbers(page)).toEqual(shared!.numbers);
  await page.screenshot({ path: `${SHOTS}/07-shared-link-fresh-context.png` });
  expect(errors).toEqual([]);
  await context.close();
});

const MALFORMED: Array<[string, string]> = [
  ['density is text', '?density=lots'],
  ['seed is text', '?seed=abc&model=convnet'],
  ['rounds is a fraction', '?rounds=2.5'],
  ['density 0', '?density=0'],
  ['density 5', '?density=5&data=synthetic'],
  ['negative seed', '?seed=-7'],
  ['huge rounds', '?rounds=1e9&oneshot=-3'],
  ['examples per class 0', '?epc=0'],
  ['unknown method', '?methods=px,foo,synflow'],
  ['only unknown methods', '?methods=evil,,,'],
  ['unknown model', '?model=gpt5&data=mnist'],
  ['unknown dataset', '?data=imagenet'],
  ['unknown field', '?model=mlp&colour=red'],
  ['very long value', `?seed=${'9'.repeat(5000)}`],
  ['very long link', `?model=mlp&x=${'a'.repeat(10000)}`],
  ['script tag in model', '?model=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E&seed=3'],
  ['html in methods', `?methods=px,${encodeURIComponent('<img src=x onerror="window.__pwned=1">')}`],
  ['NaN and Infinity', '?density=NaN&seed=Infinity'],
  ['prototype keys', '?__proto__[x]=1&constructor=y&scope=local'],
  ['broken encoding and duplicates', '?seed=%E0%A4%A&seed=5&scope=sideways&snap=maybe'],
];

test('20 malformed links each load a working page with a notice', async ({ page }) => {
  test.setTimeout(300_000);
  expect(MALFORMED).toHaveLength(20);
  const errors = watchErrors(page);
  for (const [i, [name, query]] of MALFORMED.entries()) {
    await test.step(name, async () => {
      await page.goto(`/${query}`);
      await expect(page.getByRole('heading', { name: 'PX Lab', level: 1 })).toBeVisible();
      const notice = page.getByTestId('url-notice');
      await expect(notice).toBeVisible();
      expect((await notice.innerText()).length).toBeLessThan(1500);
      // the page works: controls hold valid values, the address bar was rewritten to a clean link
      await expect(page.getByLabel('Model')).toHaveValue(/^(mlp|convnet|resnet20|vgg16_bn)$/);
      await expect(page.getByRole('slider', { name: 'Sparsity' })).toBeVisible();
      await expect(page.locator('[data-chart="summary"]')).toBeVisible();
      expect(page.url()).toMatch(/\?v=1&model=/);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('img[src="x"], script:not([src])').count()).toBe(0);
      if (i === 15 || i === 13) await page.screenshot({ path: `${SHOTS}/08-malformed-${i + 1}.png` });
    });
  }
  expect(errors).toEqual([]);
});

test('tablet size, dark mode, cancel and run again', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto('/?model=mlp&data=mnist&density=0.01801&rounds=20&seed=11');
  await expect(page.getByRole('heading', { name: 'PX Lab', level: 1 })).toBeVisible();
  // Cancel stops the run; Run again finishes it
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('.grid')).toHaveAttribute('data-run-status', 'cancelled', { timeout: 30_000 });
  await expect(page.getByTestId('run-status')).toHaveText('cancelled');
  await page.getByRole('button', { name: 'Run again' }).click();
  await expect(page.locator('.grid')).toHaveAttribute('data-run-status', 'done', { timeout: RUN_TIMEOUT });
  const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(bg).toBe('rgb(15, 18, 23)');
  // nothing wider than the screen
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
  await page.screenshot({ path: `${SHOTS}/09-tablet-dark.png`, fullPage: true });
  await context.close();
});
