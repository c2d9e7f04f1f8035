// Tabs and presets: a preset sets only what its line names and shows the time it took here; the
// run error banner keeps its text's height; Train draws each legend once and its button is off
// while training; Transfer starts from the model's shipped checkpoint, says so, and takes the
// side panel's rounds.
import { expect, test } from '@playwright/test';
import { METHOD_INFO } from '../src/shared/methods';

test('presets: Paper settings keeps the chosen methods and promises no time; the demo shows its measured time', async ({ page }) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/?model=mlp&data=mnist&methods=px-2024,snip,synflow');
  // the opening run first: its "done in" counts from the page's opening, a preset's from its click
  await expect(page.locator('.grid')).toHaveAttribute('data-run-status', 'done', { timeout: 400_000 });
  const grasp = page.getByRole('checkbox', { name: METHOD_INFO.grasp.label, exact: true });
  await expect(grasp).not.toBeChecked();
  const paper = page.locator('[data-preset="paper"]');
  await expect(paper).not.toContainText(/minutes|laptop/i);
  await page.getByRole('button', { name: 'Paper settings' }).click();
  await expect(page.getByLabel('Model')).toHaveValue('resnet20');
  await expect(grasp).not.toBeChecked();
  for (const m of ['px-2024', 'snip', 'synflow'] as const)
    await expect(page.getByRole('checkbox', { name: METHOD_INFO[m].label, exact: true })).toBeChecked();

  await page.getByRole('button', { name: 'Classroom demo' }).click();
  await expect(page.getByTestId('preset-time-demo')).toContainText(/not measured|Took/);
  await expect(page.locator('.grid')).toHaveAttribute('data-run-status', 'done', { timeout: 400_000 });
  await expect(page.getByTestId('preset-time-demo')).toHaveText(/^Took (\d+(\.\d)? s|\d+ min \d+ s) here \(wasm/);
  const shown = await page.getByTestId('preset-time-demo').innerText();
  const doneIn = await page.getByTestId('run-status').innerText();
  expect(shown).toContain(doneIn.replace(/^done in /, ''));
});

test('a run error banner keeps the height of its text', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  // GraSP on 128 ResNet-20 images needs more than the wasm heap holds: refused at once
  await page.goto('/?model=resnet20&data=synthetic&methods=grasp&batch=128&epc=10&rounds=100');
  const banner = page.locator('main.work > .notice.error');
  await expect(banner).toContainText('more than the');
  const { client, scroll, lineHeight } = await banner.evaluate((e) => ({
    client: e.clientHeight,
    scroll: e.scrollHeight,
    lineHeight: parseFloat(getComputedStyle(e).lineHeight) || 16,
  }));
  expect(client).toBeGreaterThanOrEqual(scroll);
  expect(client).toBeGreaterThan(lineHeight);
});

test('Train: the button is off while its run goes, and each chart draws its legend once', async ({ page }) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/?model=mlp&data=mnist&methods=snip,rand&rounds=2&density=0.1&tab=train&tbudget=steps&steps=15&tbatch=64&dense=1');
  const tab = page.locator('section.train-tab[aria-label="Train"]');
  const button = tab.getByRole('button', { name: /^Train( again)?$/ });
  await button.click();
  await expect(tab).toHaveAttribute('data-train-status', 'running');
  await expect(button).toBeDisabled();
  await expect(tab).toHaveAttribute('data-train-status', 'done', { timeout: 400_000 });
  await expect(button).toBeEnabled();
  await expect(button).toHaveText('Train again');
  for (const c of ['train-loss', 'train-accuracy']) {
    await expect(page.locator(`[data-chart="${c}"]`)).toHaveAttribute('data-state', 'ready');
    await expect(page.locator(`[data-chart="${c}"] ul.legend`)).toHaveCount(1);
    await expect(page.locator(`[data-chart="${c}"] ul.legend li`)).toHaveText([METHOD_INFO.snip.label, METHOD_INFO.rand.label, 'Dense']);
    await expect(page.locator(`[data-chart="${c}"] .recharts-legend-wrapper`)).toHaveCount(0);
  }
});

test('Transfer: the shipped checkpoint by default (said so), the side panel’s rounds, the page’s weights untouched', async ({ page }) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/?model=mlp&data=mnist&methods=rand&rounds=3&density=0.1&tab=transfer');
  await expect(page.getByTestId('weights-in-use')).toContainText('random init');
  await expect(page.getByTestId('transfer-weights')).toHaveText('pretrained: MLP trained on MNIST');
  await expect(page.locator('[data-chart="transfer"] .explain').first()).toContainText('the default for transfer');
  await expect(page.getByLabel('Transfer backbone')).toHaveValue('pretrained:mlp-mnist');
  await expect(page.getByLabel('Transfer rounds')).toHaveValue('3');
  await expect(page.getByLabel('Transfer pair')).toHaveValue('fashion-mnist');
  await page.getByLabel('Transfer densities').fill('0.1');
  await page.getByLabel('Downstream training images (0 = all)').fill('300');
  await page.getByLabel('Downstream test images (0 = all)').fill('200');
  const run = page.getByRole('button', { name: 'Run transfer' });
  await run.click();
  const card = page.locator('[data-chart="transfer"]');
  await expect(card).toHaveAttribute('data-state', 'running');
  await expect(run).toBeDisabled();
  await expect(card).toHaveAttribute('data-state', 'done', { timeout: 400_000 });
  await expect(page.getByTestId('transfer-status')).toContainText('weights: pretrained: MLP trained on MNIST');
  await expect(page.getByTestId('weights-in-use')).toContainText('random init');
});

test('numbers at sensible precision: the official command writes 0.8^18 as 0.01801; the backend reason is not cut', async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/?model=resnet20&data=synthetic&methods=synflow&rounds=2&batch=16&ntk=1&epc=1&density=${0.8 ** 18}`);
  await expect(page.locator('.grid')).toHaveAttribute('data-run-status', 'done', { timeout: 240_000 });
  await page.getByRole('button', { name: 'Official command…' }).click();
  const cmd = page.getByTestId('official-command');
  await expect(cmd).toContainText("'weight_remaining_ratio': 0.01801,");
  expect(await cmd.innerText()).not.toMatch(/\d\.\d{6,}/);
  await page.keyboard.press('Escape');
  // every hint under the backend shows its whole text
  for (const hint of await page.locator('.field.backend .hint').all()) {
    const { client, scroll } = await hint.evaluate((e) => ({ client: e.clientHeight, scroll: e.scrollHeight }));
    expect(client).toBeGreaterThanOrEqual(scroll);
  }
});

/** "1.2 s", "850 ms", "1 min 5 s" in seconds. */
function seconds(text: string): number {
  const m = /(?:(\d+) min )?(\d+(?:\.\d+)?) (s|ms)/.exec(text)!;
  return (m[1] ? 60 * Number(m[1]) : 0) + Number(m[2]) / (m[3] === 'ms' ? 1000 : 1);
}

test('honest time: the first run’s "done in" counts from opening the page, and its parts add up to it', async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  const t0 = Date.now();
  await page.goto('/?model=mlp&data=mnist&methods=px,snip&rounds=4&density=0.05');
  await expect(page.locator('.grid')).toHaveAttribute('data-run-status', 'done', { timeout: 240_000 });
  const wall = (Date.now() - t0) / 1000;
  // the opening run ran once: confirming the seeded weights on open no longer restarts it
  await expect(page.locator('.grid')).toHaveAttribute('data-run-id', '1');
  const status = await page.getByTestId('run-status').innerText();
  expect(status).toMatch(/^done in .* from page open$/);
  const doneIn = seconds(status);
  // from navigation to the last chart: no more than the test saw, and not much less (polling)
  expect(doneIn).toBeLessThanOrEqual(wall + 0.1);
  expect(doneIn).toBeGreaterThan(wall - 1.5);
  const parts = (await page.getByTestId('time-breakdown').innerText()).split(' · ').filter((p) => /\d/.test(p) && !/cached/.test(p));
  console.log(`done in ${doneIn} s: ${parts.join(' · ')}`);
  expect(parts[0]).toMatch(/^page start /);
  // the time is named: what is left unnamed (the page's own work, messages) is a small part;
  // measured 448 ms of 6.5 s at load ~4 (it was 3.0 s before the worker's start was named)
  for (const named of ['worker and backend start', 'data', 'layer tables']) expect(parts.some((p) => p.startsWith(`${named} `))).toBe(true);
  const unnamed = parts.find((p) => p.startsWith('page and messages '));
  expect(unnamed ? seconds(unnamed) : 0).toBeLessThanOrEqual(0.25 * doneIn);
  const sum = parts.reduce((s, p) => s + seconds(p), 0);
  // each part is rounded to 0.1 s (or 1 ms) when shown
  expect(Math.abs(sum - doneIn)).toBeLessThan(0.05 * parts.length + 0.1);
});
