// The Metrics section: the density scan on the MLP draws one curve per method in each
// of its four charts, and at the page's density its numbers equal the summary table's for the
// one-shot method (same mask, read off the path); the score histograms draw one chart per method
// with the threshold; the comparison sets two seeds side by side. The view is in the URL.
import { expect, test, type Page } from '@playwright/test';
import { METHOD_INFO } from '../src/shared/methods';

const METHODS = ['px-2024', 'snip', 'synflow'] as const;
const BASE = `/?model=mlp&data=mnist&methods=${METHODS.join(',')}&rounds=6&density=0.1&tab=metrics`;
const SHOTS = process.env.PXLAB_SHOTS;

/** A number as a table cell shows it, without the ★ of the best one. */
async function cellText(page: Page, table: string, method: string, col: string): Promise<string> {
  return (await page.locator(`${table} tbody tr[data-method="${method}"] td[data-col="${col}"]`).innerText()).replace('★', '').trim();
}

test('density scan: one curve per method in each chart; at the page density it matches the summary table', async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${BASE}&mview=sweep&mseeds=1`);
  await expect(page.getByRole('tab', { name: 'Metrics' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.grid')).toHaveAttribute('data-run-status', 'done', { timeout: 240_000 });
  await expect(page.locator('.density-scan')).toHaveAttribute('data-scan-status', 'done', { timeout: 240_000 });
  for (const metric of ['ntkTraceRatio', 'condition', 'effectiveDensity', 'collapsedLayers']) {
    const chart = page.locator(`[data-chart="scan-${metric}"]`);
    await expect(chart).toHaveAttribute('data-state', 'ready');
    await expect(chart.locator('ul.legend li')).toHaveText(METHODS.map((m) => METHOD_INFO[m].label));
    for (const m of METHODS)
      await expect(chart.locator(`path.recharts-line-curve[stroke="${METHOD_INFO[m].color}"]`), `${metric} ${m}`).toHaveCount(1);
  }
  // SNIP is one-shot: the path's mask at 10% is the run's mask, so the numbers are the table's
  const at = page.locator('table.metric-at');
  await expect(at.locator('tbody tr')).toHaveCount(METHODS.length);
  await expect(at.locator('tr[data-method="snip"]')).toHaveAttribute('data-source', 'exact');
  await expect(at.locator('tr[data-method="synflow"]')).toHaveAttribute('data-source', 'path');
  for (const col of ['effective', 'ntk', 'condition', 'collapsed'])
    expect(await cellText(page, 'table.metric-at', 'snip', col), col).toBe(
      await cellText(page, '[data-chart="summary"] table.summary', 'snip', col),
    );
  if (SHOTS) {
    await page.screenshot({ path: `${SHOTS}/metrics-sweep-1440.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('.metrics-panel').screenshot({ path: `${SHOTS}/metrics-sweep-1440-dark.png` });
    await page.emulateMedia({ colorScheme: 'light' });
  }

  // two seeds: mean and range; the URL carries the seeds
  await page.getByLabel('Density scan seeds').fill('2');
  await expect(page).toHaveURL(/[?&]mseeds=2(&|$)/);
  await expect(page.locator('.density-scan')).toHaveAttribute('data-scan-status', 'done', { timeout: 240_000 });
  await expect(at.locator('tr[data-method="snip"] td[data-col="ntk"]')).toContainText('–');
  await expect(page.locator('[data-chart="scan-ntkTraceRatio"] .recharts-area-area')).toHaveCount(METHODS.length);
  if (SHOTS) {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('.tabs').screenshot({ path: `${SHOTS}/metrics-tabs-390.png` });
    await page.locator('.metrics-panel').screenshot({ path: `${SHOTS}/metrics-sweep-390.png` });
  }
});

test('score histograms and side-by-side comparison of two seeds', async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${BASE}&mview=scores`);
  await expect(page.locator('.grid')).toHaveAttribute('data-run-status', 'done', { timeout: 240_000 });
  await expect(page.locator('.score-hists')).toHaveAttribute('data-hist-status', 'done', { timeout: 240_000 });
  for (const m of METHODS) {
    const chart = page.locator(`[data-chart="hist-${m}"]`);
    await expect(chart.locator('.recharts-bar-rectangle').first()).toBeVisible();
    // global scope: the threshold is marked
    await expect(chart.locator('.recharts-reference-line')).toHaveCount(1);
    await expect(chart.locator('.explain')).toContainText('kept ⟺ score >');
  }
  if (SHOTS) {
    await page.screenshot({ path: `${SHOTS}/metrics-scores-1440.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('.metrics-panel').screenshot({ path: `${SHOTS}/metrics-scores-390.png` });
    await page.setViewportSize({ width: 1440, height: 900 });
  }

  // the finished run is in the history; seed 1 against it
  await expect(page.locator('.history-list li')).toHaveCount(1);
  const first = await page.locator('.history-list li').first().getAttribute('data-history-id');
  await page.goto(`${BASE.replace('density=0.1', 'density=0.1&seed=1')}&mview=compare&cmp=${first}`);
  await expect(page.locator('.grid')).toHaveAttribute('data-run-status', 'done', { timeout: 240_000 });
  await expect(page.getByTestId('compare-config')).toHaveText('Differs in: seed 1 → 0');
  const table = page.locator('table.compare-table');
  await expect(table.locator('tbody[data-method]')).toHaveCount(METHODS.length);
  // same density: kept differs by nothing; other weights: the NTK trace ratio differs
  await expect(table.locator('tbody[data-method="snip"] tr[data-number="keptFraction"] td[data-side="diff"]')).toHaveText('0');
  await expect(table.locator('tbody[data-method="snip"] tr[data-number="ntkTraceRatio"] td[data-side="diff"]')).not.toHaveText('0');
  await expect(page).toHaveURL(new RegExp(`[?&]mview=compare&mseeds=1&cmp=${first}(&|$)`));
  if (SHOTS) {
    await page.screenshot({ path: `${SHOTS}/metrics-compare-1440.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('.metrics-panel').screenshot({ path: `${SHOTS}/metrics-compare-390.png` });
  }
});
