// The Transfer tab over 3 seeds (the MLP's default), end to end against the built app and the
// real worker: the shipped MLP (MNIST) → Fashion-MNIST on a few hundred images, every default
// method at 10%: the table shows mean ± std over 3 seeds equal to `px-lab transfer --seeds 0,1,2`'s
// summary, the chart a probe band per method, and the ranking line follows the noise rule.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { DEFAULT_TRANSFER, type TransferResult } from '../src/shared/transfer';

const URL = '/?model=mlp&data=mnist&methods=rand&density=0.1&rounds=1&oneshot=1&batch=128&ntk=1&seed=0&weights=pretrained:mlp-mnist';

test('MLP transfer over 3 seeds: mean ± std equal to px-lab transfer, a probe band per method, ranked only outside the noise', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(URL);
  // the transfer runs on the weights in use: wait until the shipped checkpoint is (not the seeded init)
  await expect(page.getByTestId('weights-in-use')).toContainText('pretrained:', { timeout: 120_000 });
  await page.getByRole('tab', { name: 'Transfer' }).click();
  await expect(page.getByLabel('Transfer pair')).toHaveValue('fashion-mnist');
  await expect(page.getByLabel('Transfer seeds')).toHaveValue('3');
  await page.getByLabel('Transfer densities').fill('0.1');
  await page.getByLabel('Transfer rounds').fill('2');
  await page.getByLabel('Downstream training images (0 = all)').fill('300');
  await page.getByLabel('Downstream test images (0 = all)').fill('200');
  await page.getByRole('button', { name: 'Run transfer' }).click();
  const card = page.locator('[data-chart="transfer"]');
  await expect(card).toHaveAttribute('data-state', 'done', { timeout: 480_000 });

  const out = join(mkdtempSync(join(tmpdir(), 'pxlab-e2e-tseeds-')), 'transfer.json');
  const args = ['--arch', 'mlp', '--weights', 'mlp-mnist', '--dataset', 'fashion-mnist', '--density', '0.1', '--rounds', '2'];
  execFileSync('npx', ['px-lab', 'transfer', ...args, '--train-examples', '300', '--test-examples', '200', '--out', out], {
    stdio: 'pipe',
  });
  const ref = JSON.parse(readFileSync(out, 'utf8')) as TransferResult;
  expect(ref.settings.seeds).toEqual([0, 1, 2]);
  expect(ref.summary).toHaveLength(DEFAULT_TRANSFER.methods.length);

  for (const s of ref.summary!) {
    const row = card.locator(`tr[data-method="${s.method}"][data-density="${s.density}"]`);
    await expect(row).toHaveAttribute('data-n', '3');
    expect(Number(await row.getAttribute('data-probe'))).toBe(s.probe.mean);
    expect(Number(await row.getAttribute('data-accuracy'))).toBe(s.zeroShot.mean);
    await expect(row.locator('td').nth(4)).toHaveText(`${(100 * s.probe.mean).toFixed(2)}% ±${(100 * s.probe.std).toFixed(2)}`);
    // a band where the seeds differ (a method whose three probes agree has an empty band)
    await expect(card.locator(`.transfer-band-${s.method}`)).toHaveCount(1);
  }
  // the ranking line: tiers of the probes by the noise rule, recomputed from the CLI's ranges
  const line = await page.getByTestId('transfer-ranking').textContent();
  expect(line).toMatch(/^Probe at 10% remaining: /);
  const sorted = [...ref.summary!].sort((a, b) => b.probe.mean - a.probe.mean);
  const top = sorted[0];
  const second = sorted[1];
  if (top.probe.min > Math.max(...sorted.slice(1).map((s) => s.probe.max))) expect(line).toMatch(/^Probe at 10% remaining: [^≈,]+ > /);
  if (second.probe.max >= top.probe.min) expect(line).toContain('within noise');
  await page.screenshot({ path: 'test-results/screenshots/transfer-seeds-3.png', fullPage: true });
  expect(errors).toEqual([]);
});
