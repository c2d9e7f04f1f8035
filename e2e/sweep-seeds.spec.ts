// A sweep over 3 seeds on the page, end to end against the built app and the real worker: a tiny
// MLP sweep (SNIP and random at 10% and 1%, 5 steps a cell, 12 cells) draws a min–max band per
// method, its table shows mean ± std over 3 seeds, and the ranking line says "within noise" or
// ranks exactly where the table's seed ranges (recomputed here) overlap or not. The same stored
// cells seen as a one-seed sweep show no band and say "1 seed", never a ranking.
import { expect, test, type Page } from '@playwright/test';

const URL_3 =
  '/?model=mlp&data=mnist&seed=0&rounds=2&sweep=1&smethods=snip,rand&sdens=0.1,0.01&sseeds=3&dense=0&tbudget=steps&steps=5&tbatch=64';

interface Cell {
  method: string;
  density: number;
  mean: number;
  min: number;
  max: number;
  n: number;
  text: string;
}

const tableCells = (page: Page) =>
  page.locator('table.sweep-table td[data-value]').evaluateAll((tds) =>
    tds.map((td) => ({
      method: td.closest('tr')!.getAttribute('data-method')!,
      density: Number(td.getAttribute('data-density')),
      mean: Number(td.getAttribute('data-value')),
      min: Number(td.getAttribute('data-min')),
      max: Number(td.getAttribute('data-max')),
      n: Number(td.getAttribute('data-n')),
      text: td.textContent ?? '',
    })),
  ) as Promise<Cell[]>;

const LABEL: Record<string, string> = { snip: 'SNIP', rand: 'Random' };

test('a 3-seed MLP sweep: a band per method, mean ± std in the table, ranked only outside the noise', async ({ page }) => {
  test.setTimeout(600_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(URL_3);
  const panel = page.locator('section.train-tab[aria-label="Sweep"]');
  await expect(page.getByTestId('sweep-stored')).toContainText('12 cells (2 methods × 2 densities × 3 seeds)');
  await expect(panel).toHaveAttribute('data-sweep-cells', '12', { timeout: 480_000 });
  await expect(panel).toHaveAttribute('data-sweep-status', 'done');

  // the table: every method and density over 3 seeds, "mean ±std"
  const cells = await tableCells(page);
  expect(cells).toHaveLength(4);
  for (const c of cells) {
    expect(c.n).toBe(3);
    expect(c.text).toMatch(/^\d+\.\d+% ±\d+\.\d\d$/);
    expect(c.min).toBeLessThanOrEqual(c.mean);
    expect(c.max).toBeGreaterThanOrEqual(c.mean);
  }
  // the chart: one band per method (the seeds' min–max)
  const chart = page.locator('[data-chart="sweep"]');
  await expect(chart).toHaveAttribute('data-state', 'ready');
  await expect(chart.locator('.sweep-band-snip')).toHaveCount(1);
  await expect(chart.locator('.sweep-band-rand')).toHaveCount(1);
  await expect(chart.locator('.sweep-band path.recharts-area-area')).toHaveCount(2);

  // the ranking line per density, against the rule recomputed from the table's ranges
  for (const d of [0.1, 0.01]) {
    const [a, b] = cells.filter((c) => c.density === d).sort((x, y) => y.mean - x.mean);
    const expected = a.min > b.max ? `${LABEL[a.method]} > ${LABEL[b.method]}` : `${LABEL[a.method]}, ${LABEL[b.method]}: within noise`;
    await expect(page.getByTestId('sweep-ranking').locator(`p[data-density="${d}"]`)).toHaveText(
      `At ${Number((d * 100).toPrecision(3))}% remaining: ${expected}.`,
    );
  }
  // the time, from the cells measured here
  await expect(page.getByTestId('sweep-time')).toContainText('per cell, measured on 12 cells here');
  await page.screenshot({ path: 'test-results/screenshots/sweep-seeds-3.png' });

  // the same stored cells as a one-seed sweep: no band, no ranking, "1 seed"
  await page.goto(URL_3.replace('sseeds=3', 'sseeds=1').replace('sweep=1', 'sweep=0'));
  await page.getByRole('tab', { name: 'Sweep' }).click();
  await expect(panel).toHaveAttribute('data-sweep-cells', '4', { timeout: 60_000 });
  for (const c of await tableCells(page)) {
    expect(c.n).toBe(1);
    expect(c.text).not.toContain('±');
  }
  await expect(chart.locator('.sweep-band')).toHaveCount(0);
  await expect(page.getByTestId('sweep-ranking')).toHaveText(/^1 seed: no spread, so no ranking/);
  await expect(page.getByTestId('sweep-ranking')).not.toContainText('>');
  expect(errors).toEqual([]);
});
