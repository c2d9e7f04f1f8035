// IMP's rewind step on the page: set in the Train tab's input, it enters the link, the plan the
// worker runs and the tab's command line; the page's accuracy for IMP rewound to step 3 equals
// `npx px-lab train` running that command line (MLP on MNIST, one training step: the smallest budget).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

const URL_ = '/?model=mlp&data=mnist&methods=imp&density=0.1&rounds=2&seed=3&tab=train&tbudget=steps&steps=1&tbatch=64&dense=0';

test('IMP rewound to step 3 in the Train tab: the link keeps it, the page equals px-lab train --imp-rewind 3', async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(URL_);
  const train = page.locator('section.train-tab[aria-label="Train"]');
  const rewind = train.locator('input[name="imp-rewind"]');
  await expect(rewind).toHaveValue('0');
  // the Sweep tab's methods (the default list) leave imp out: no rewind input there
  await expect(page.locator('section.train-tab[aria-label="Sweep"] input[name="imp-rewind"]')).toHaveCount(0);
  await rewind.fill('3');
  await rewind.press('Enter');
  await expect(page).toHaveURL(/[?&]rewind=3(&|$)/);
  const command = (await train.locator('.train-cli pre').textContent()) ?? '';
  expect(command.split('\n')).toHaveLength(1);
  expect(command).toContain(' --imp-rewind 3 ');

  await train.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(train).toHaveAttribute('data-train-status', 'done', { timeout: 240_000 });
  const pageAcc = Number(await train.locator('table.train-table tr[data-method="imp"] td[data-col="accuracy"]').getAttribute('data-value'));

  const dir = mkdtempSync(join(tmpdir(), 'pxlab-imp-rewind-'));
  const log = join(dir, 'imp.json');
  const argv = command
    .trim()
    .replace(/^npx px-lab /, '')
    .replace('--out imp.safetensors --log imp.json', `--out ${join(dir, 'imp.safetensors')} --log ${log}`)
    .split(' ');
  execFileSync('npx', ['px-lab', ...argv], { stdio: 'pipe' });
  const cli = JSON.parse(readFileSync(log, 'utf8'));
  console.log(`IMP rewound to step 3, final test accuracy: browser ${pageAcc} / CLI ${cli.test_accuracy}`);
  expect(cli.imp_rewind).toBe(3);
  expect(pageAcc).toBe(cli.test_accuracy);

  // the link reproduces the setting after a reload
  await page.reload();
  await expect(page.locator('section.train-tab[aria-label="Train"] input[name="imp-rewind"]')).toHaveValue('3');
  expect(errors).toEqual([]);
});
