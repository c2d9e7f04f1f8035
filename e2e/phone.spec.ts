// Phones and tablets: the settings fold behind one button, the section tabs sit on one row that
// scrolls sideways, and after a run the slider and the selected chart share the first screen;
// the slider stays on screen while the page scrolls. At 1440×900 the summary table fits its card.
import { expect, test, type Locator, type Page } from '@playwright/test';

const QUICK = '/?model=mlp&data=mnist&methods=px,snip&rounds=8&density=0.05';

async function waitDone(page: Page): Promise<void> {
  await expect(page.locator('.grid')).toHaveAttribute('data-run-status', 'done', { timeout: 240_000 });
  await expect(page.locator('[data-chart="spectrum"]')).toHaveAttribute('data-state', 'ready');
}

/** Whether the element's box lies wholly inside the viewport as scrolled now. */
async function inViewport(loc: Locator, vp: { width: number; height: number }): Promise<boolean> {
  const b = (await loc.boundingBox())!;
  return b.x >= -1 && b.y >= -1 && b.x + b.width <= vp.width + 1 && b.y + b.height <= vp.height + 1;
}

for (const vp of [
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet', width: 820, height: 1180 },
]) {
  test(`${vp.name} ${vp.width}×${vp.height}: settings folded, tabs on one row, slider and chart on the first screen`, async ({ page }) => {
    test.setTimeout(300_000);
    await page.setViewportSize({ width: vp.width, height: vp.height });
    await page.goto(QUICK);
    await waitDone(page);
    // the first screen after a run: the slider and the selected chart, whole
    expect(await page.evaluate(() => scrollY)).toBe(0);
    const slider = page.getByRole('slider').first();
    const bar = page.locator('.sparsity-bar');
    const chart = page.locator('[data-chart="spectrum"]');
    expect(await inViewport(bar, vp), 'slider bar in the first viewport').toBe(true);
    expect(await inViewport(chart, vp), 'spectrum chart in the first viewport').toBe(true);
    // nothing wider than the screen
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(vp.width);

    // the settings fold behind one button
    const toggle = page.locator('button.side-toggle');
    await expect(toggle).toBeVisible();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByLabel('Model')).toBeHidden();
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByLabel('Model')).toBeVisible();
    await toggle.click();
    await expect(page.getByLabel('Model')).toBeHidden();

    // the tabs: one row (every tab on the same line), scrolling sideways if need be
    const tops = await page.locator('.tabs [role="tab"]').evaluateAll((ts) => ts.map((t) => Math.round(t.getBoundingClientRect().top)));
    expect(tops.length).toBe(5);
    expect(new Set(tops).size).toBe(1);

    // scrolled down, the slider stays reachable
    await page.evaluate(() => scrollTo(0, 1200));
    expect(await page.evaluate(() => scrollY)).toBeGreaterThan(0);
    expect(await inViewport(slider, vp), 'slider on screen after scrolling').toBe(true);
  });
}

test('1440×900: the summary table fits its card', async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(QUICK);
  await waitDone(page);
  await expect(page.locator('[data-chart="summary"]')).toHaveAttribute('data-state', 'ready');
  const { table, wrap } = await page
    .locator('[data-chart="summary"] .table-wrap')
    .evaluate((w) => ({ table: w.scrollWidth, wrap: w.clientWidth }));
  expect(table).toBeLessThanOrEqual(wrap);
  const time = (await page.locator('table.summary tr[data-method="px"] td').last().boundingBox())!;
  const card = (await page.locator('[data-chart="summary"]').boundingBox())!;
  expect(time.x + time.width).toBeLessThanOrEqual(card.x + card.width);
});
