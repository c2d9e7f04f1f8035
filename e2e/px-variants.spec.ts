// The three PX variants on the page: each is listed with where it comes from (the lab's variant,
// the official code at HEAD, the release behind the paper), and PX as published keeps every
// ResNet-20 layer alive at 1.8% density (the measurement in docs/methods.md: the lab's `px` collapses six).
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { DENSITY_GRID } from '../src/shared/config';
import { METHOD_INFO } from '../src/shared/methods';

const SHOTS = 'test-results/screenshots';
mkdirSync(SHOTS, { recursive: true });

// 0.8^18 ≈ 1.8%: the path's floor, so the run prunes exactly to it once (no second exact run).
const DENSITY = Math.min(...DENSITY_GRID);
// 20 rounds on 2 batches of 32 MNIST images: the CLI with the same settings
// (px-lab prune --arch resnet20 --dataset mnist --method px-2024 --density 0.018 --rounds 20
// --batch-size 32 --seed 0, then px-lab layers) keeps 91–450 weights in every layer, all on a
// path, and the grid in docs/methods.md (the same 20 rounds and batches) collapses no layer at any density;
// the whole test took 1.2–1.6 min here (two cores shared with other jobs), 3.4 min under heavier load.
const URL = `/?model=resnet20&data=mnist&methods=px-2024&density=${DENSITY}&rounds=20&batch=32&ntk=1&seed=0`;

test('the page lists the three PX variants with their provenance; PX as published keeps every ResNet-20 layer at 1.8%', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(URL);

  const provenance: Record<string, RegExp> = {
    'px-2024': /82ce2bf.*2024.*published/,
    'px-official': /ed6c40e.*2025/,
    px: /ed6c40e.*running statistics.*lab variant/,
  };
  for (const [m, re] of Object.entries(provenance)) {
    const info = METHOD_INFO[m as keyof typeof METHOD_INFO];
    const box = page.getByRole('checkbox', { name: info.label, exact: true });
    await expect(box).toBeVisible();
    await expect(page.locator(`#prov-${m}`)).toBeVisible();
    await expect(page.locator(`#prov-${m}`)).toHaveText(re);
  }
  await expect(page.getByRole('checkbox', { name: 'PX — as published (2024)', exact: true })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'PX — official code (2025)', exact: true })).not.toBeChecked();

  const grid = page.locator('.grid');
  await expect(grid).toHaveAttribute('data-run-status', 'done', { timeout: 540_000 });
  const layers = page.locator('[data-chart="layers"]');
  await expect(layers).toHaveAttribute('data-state', 'ready');
  // a px-2024 point on each of the 22 prunable layers (the chart is a scatter, layers as
  // categories), and no point carries the collapse marker
  const points = layers.locator(`circle[data-layer-point][data-method="px-2024"]`);
  await expect.poll(() => points.count()).toBe(22);
  await expect(layers.locator('ul.legend')).toContainText(METHOD_INFO['px-2024'].label);
  expect(await layers.locator('[data-collapsed="true"]').count()).toBe(0);
  const row = page.locator('table.summary tr[data-method="px-2024"]');
  await expect(row.locator('td[data-col="kept"]')).toHaveText(/1\.8\d*%/);
  await expect(row.locator('td[data-col="collapsed"]')).toHaveText('0');
  await page.screenshot({ path: `${SHOTS}/px2024-resnet20-mnist-1.8.png`, fullPage: true });
  expect(errors).toEqual([]);
});
