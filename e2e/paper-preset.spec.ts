// The Paper settings preset on ResNet-20 in the page (wasm): the methods as the page opens (PX as
// published, SNIP, SynFlow) at the paper's batch 128, 10 examples per class and 98.2% sparsity run
// to the end without a memory refusal. Fewer rounds than the paper's 100 keep the test short: the
// memory a run needs does not depend on the rounds (one round's tensors are freed before the next).
import { expect, test } from '@playwright/test';
import { DEFAULT_METHODS } from '../src/shared/config';
import { METHOD_INFO } from '../src/shared/methods';

test('Paper settings: a ResNet-20 run at batch 128 completes on wasm without a memory refusal', async ({ page }) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  // open on the MLP with one round, so the opening run is short
  await page.goto('/?model=mlp&data=mnist&rounds=1');
  const grid = page.locator('.grid');
  await expect(grid).toHaveAttribute('data-run-status', 'done', { timeout: 300_000 });
  // the opening run's id: "done" below must be a later request's (the grid still says done for
  // the MLP run until the ResNet-20 request's first event)
  const openingRun = Number(await grid.getAttribute('data-run-id'));
  await page.getByRole('button', { name: 'Paper settings' }).click();
  await expect(page.getByLabel('Model')).toHaveValue('resnet20');
  await expect(page.getByLabel('Batch size')).toHaveValue('128');
  for (const m of DEFAULT_METHODS) await expect(page.getByRole('checkbox', { name: METHOD_INFO[m].label, exact: true })).toBeChecked();
  // the preset's 100 rounds, cut to 2 for the test
  await page.getByLabel('Rounds · iterative').fill('2');
  await page.getByLabel('Rounds · iterative').press('Enter');
  await expect(page).toHaveURL(/rounds=2/);
  await expect(page).toHaveURL(/batch=128/);
  const started = Date.now();
  await expect
    .poll(
      async () => Number(await grid.getAttribute('data-run-id')) > openingRun && (await grid.getAttribute('data-run-status')) === 'done',
      {
        timeout: 540_000,
      },
    )
    .toBe(true);
  console.log(`paper settings, 2 rounds: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await expect(page.locator('main.work > .notice.error')).toHaveCount(0);
  for (const m of DEFAULT_METHODS)
    await expect(page.locator(`table.summary tr[data-method="${m}"] td[data-col="kept"]`)).toContainText('%');

  // GraSP at the same batch is refused at once, and the page says why the batch is not split
  await page.getByRole('checkbox', { name: METHOD_INFO.grasp.label, exact: true }).check();
  const banner = page.locator('main.work > .notice.error');
  await expect(banner).toContainText('more than the');
  await expect(banner).toContainText('not split into micro-batches');
});
