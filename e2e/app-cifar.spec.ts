// CIFAR-10 from a dropped file on the lab page: a generated binary batch loads through the real
// file input with progress, the run uses it, and a truncated file gives a clear message while the
// loaded set stays in use.
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { cifarBatch } from './cifar-files';

const SHOTS = 'test-results/screenshots';
mkdirSync(SHOTS, { recursive: true });

test('CIFAR-10 from a dropped file: loads, runs, and a broken file keeps the loaded set', async ({ page }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/?model=mlp&data=cifar10&rounds=5&methods=px,snip,synflow');
  await expect(page.locator('.grid')).toHaveAttribute('data-run-status', 'blocked');
  // the reason once, under the slider; the panels point to it (not one copy per panel)
  await expect(page.locator('.sparsity-bar')).toContainText('Drop the CIFAR-10 binary files');
  await expect(page.locator('[data-chart="spectrum"]')).toContainText('see the message under the slider');
  const input = page.getByLabel('CIFAR-10 files');
  await input.setInputFiles([
    { name: 'data_batch_1.bin', mimeType: 'application/octet-stream', buffer: cifarBatch(300) },
    { name: 'test_batch.bin', mimeType: 'application/octet-stream', buffer: cifarBatch(100, 7) },
  ]);
  await expect(page.getByText(/^Loaded: /)).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.grid')).toHaveAttribute('data-run-status', 'done', { timeout: 180_000 });
  await expect(page.locator('table.summary tr[data-method="px"] td[data-col="kept"]')).toHaveText(/%/);
  await page.screenshot({ path: `${SHOTS}/10-cifar10-loaded.png` });

  // a truncated file: a clear message, and the loaded set stays in use
  await input.setInputFiles({
    name: 'data_batch_2.bin',
    mimeType: 'application/octet-stream',
    buffer: cifarBatch(3).subarray(0, 3 * 3073 - 100),
  });
  const alert = page.locator('.dropzone [role="alert"]');
  await expect(alert).toContainText(/3073|truncated|multiple/);
  await expect(alert).toContainText('still using');
  await expect(page.locator('.grid')).not.toHaveAttribute('data-run-status', 'blocked');
  await page.screenshot({ path: `${SHOTS}/11-cifar10-bad-file.png` });
  expect(errors).toEqual([]);
});
