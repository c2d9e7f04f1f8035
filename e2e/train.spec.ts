// The Train section and the Sweep panel end to end, against the built app and the real worker:
// - MLP on MNIST, PX, SNIP, SynFlow and random at 1% plus dense, one epoch each: the accuracy
//   chart draws all five and every final accuracy equals `npx px-lab train` (dataset form) with
//   the same seed and recipe (browser = CLI, as e2e/browser-cli.spec.ts for pruning);
// - a sweep cancelled half-way and the page reloaded shows the finished cells (IndexedDB);
// - a merged `px-lab sweep` file picked on the page joins the same chart.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { METHOD_INFO } from '../src/shared/methods';

const SHOTS = 'test-results/screenshots';
mkdirSync(SHOTS, { recursive: true });

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

function cli(args: string[]): void {
  execFileSync('npx', ['px-lab', ...args], { stdio: 'pipe' });
}

// One epoch of the 50,000 bundled MNIST training images at batch 128 (391 steps), the official
// recipe (lr 0.1, momentum 0.9, wd 1e-4, multi-step), pruned with 20 rounds for PX and SynFlow
// (fewer than the default 100 to keep this test short on two shared cores; the CLI gets the same).
const TRAIN_URL =
  '/?model=mlp&data=mnist&methods=px,snip,synflow,rand&density=0.01&rounds=20&seed=5&epc=10&batch=128&train=1&tbudget=epochs&epochs=1&lr=0.1&sched=multistep&tbatch=128&wd=0.0001&aug=0&ablation=none&dense=1';
const ARMS = ['px', 'snip', 'synflow', 'rand', 'dense'] as const;

test('train PX, SNIP, SynFlow, random at 1% and dense for one epoch: chart shows all five, accuracies equal px-lab train', async ({
  page,
}) => {
  test.setTimeout(1_200_000);
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(TRAIN_URL);
  const tab = page.locator('section.train-tab[aria-label="Train"]');
  await expect(page.getByRole('tab', { name: 'Train' })).toHaveAttribute('aria-selected', 'true');
  // it streams: the loss chart draws before the first line has finished
  await expect(page.locator('[data-chart="train-loss"]')).toHaveAttribute('data-state', 'ready', { timeout: 300_000 });
  await expect(page.getByTestId('train-status')).toContainText(/ETA/);
  await page.screenshot({ path: `${SHOTS}/train-01-streaming.png` });
  await expect(tab).toHaveAttribute('data-train-status', 'done', { timeout: 900_000 });
  await page.screenshot({ path: `${SHOTS}/train-02-done.png` });

  const acc = page.locator('[data-chart="train-accuracy"]');
  await expect(acc).toHaveAttribute('data-state', 'ready');
  for (const m of ARMS.filter((a) => a !== 'dense')) {
    await expect(acc.locator(`path.recharts-curve[stroke="${METHOD_INFO[m].color}"]`).first()).toBeAttached();
    await expect(acc.locator('ul.legend')).toContainText(METHOD_INFO[m].label);
  }
  await expect(acc.locator('ul.legend')).toContainText('Dense');
  // each legend drawn once: on the card, none inside the plot
  for (const c of ['train-loss', 'train-accuracy']) {
    await expect(page.locator(`[data-chart="${c}"] ul.legend`)).toHaveCount(1);
    await expect(page.locator(`[data-chart="${c}"] .recharts-legend-wrapper`)).toHaveCount(0);
  }
  // five series of dots (one epoch: one evaluation per line)
  await expect(acc.locator('.recharts-line-dots')).toHaveCount(5);

  const page_: Record<string, number> = {};
  for (const m of ARMS) {
    const v = await page.locator(`table.train-table tr[data-method="${m}"] td[data-col="accuracy"]`).getAttribute('data-value');
    page_[m] = Number(v);
    expect(page_[m]).toBeGreaterThan(0.05);
  }
  // the gap to dense is shown for every pruned line
  for (const m of ARMS.filter((a) => a !== 'dense'))
    await expect(page.locator(`table.train-table tr[data-method="${m}"] td[data-col="gap"]`)).toHaveText(/pp$/);
  expect(errors).toEqual([]);

  // the page's "same run on the command line" is the command run below
  const shown = (await page.locator('.train-cli pre').textContent()) ?? '';
  expect(shown.split('\n')).toHaveLength(5);
  expect(shown).toContain(
    'npx px-lab train --arch mlp --dataset mnist --method px --density 0.01 --rounds 20 --examples-per-class 10 --prune-batch-size 128 --seed 5 --epochs 1 --batch-size 128 --lr 0.1 --schedule multistep --weight-decay 0.0001 --no-augment',
  );
  expect(shown).toContain('--method snip --density 0.01 --rounds 1 ');
  expect(shown).toContain('--method dense --seed 5 --epochs 1');
  const dir = mkdtempSync(join(tmpdir(), 'pxlab-train-e2e-'));
  const cliAcc: Record<string, number> = {};
  for (const m of ARMS) {
    const log = join(dir, `${m}.json`);
    const prune =
      m === 'dense' ? ['--method', 'dense'] : ['--method', m, '--density', '0.01', '--rounds', m === 'px' || m === 'synflow' ? '20' : '1'];
    cli([
      'train',
      '--arch',
      'mlp',
      '--dataset',
      'mnist',
      ...prune,
      '--seed',
      '5',
      '--examples-per-class',
      '10',
      '--prune-batch-size',
      '128',
      '--epochs',
      '1',
      '--batch-size',
      '128',
      '--lr',
      '0.1',
      '--schedule',
      'multistep',
      '--weight-decay',
      '0.0001',
      '--no-augment',
      '--out',
      join(dir, `${m}.safetensors`),
      '--log',
      log,
    ]);
    cliAcc[m] = JSON.parse(readFileSync(log, 'utf8')).test_accuracy;
  }
  console.log(`final test accuracy, browser vs CLI: ${ARMS.map((m) => `${m} ${page_[m]} / ${cliAcc[m]}`).join('; ')}`);
  expect(page_).toEqual(cliAcc);
});

// A small sweep (2 methods × 2 densities, 15 steps a cell) so that half of it is quick.
const SWEEP_URL =
  '/?model=mlp&data=mnist&seed=2&rounds=5&sweep=1&smethods=snip,rand&sdens=0.1,0.01&sseeds=1&dense=0&tbudget=steps&steps=15&tbatch=64';

test('a sweep cancelled half-way and the page reloaded shows the finished cells; its link reruns to the same numbers', async ({
  page,
  browser,
}) => {
  test.setTimeout(600_000);
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(SWEEP_URL);
  const panel = page.locator('section.train-tab[aria-label="Sweep"]');
  // a fresh browser context: nothing stored, the link sweeps on open
  await expect(panel).toHaveAttribute('data-sweep-status', 'running', { timeout: 120_000 });
  await expect
    .poll(async () => Number(await panel.getAttribute('data-sweep-cells')), { timeout: 300_000, intervals: [100] })
    .toBeGreaterThanOrEqual(2);
  await panel.getByRole('button', { name: 'Cancel' }).click();
  await expect(panel).toHaveAttribute('data-sweep-status', 'cancelled', { timeout: 60_000 });
  const finished = Number(await panel.getAttribute('data-sweep-cells'));
  expect(finished).toBeGreaterThanOrEqual(2);
  expect(finished).toBeLessThan(4);
  const before = await page
    .locator('table.sweep-table td[data-value]')
    .evaluateAll((tds) =>
      tds.map(
        (td) => `${td.closest('tr')!.getAttribute('data-method')}@${td.getAttribute('data-density')}=${td.getAttribute('data-value')}`,
      ),
    );
  expect(before).toHaveLength(finished);
  await page.screenshot({ path: `${SHOTS}/sweep-01-cancelled.png` });
  // the link no longer sweeps on open; the reload shows what was stored and offers to resume
  expect(page.url()).toContain('sweep=0');
  await page.reload();
  await page.getByRole('tab', { name: 'Sweep' }).click();
  await expect(panel).toHaveAttribute('data-sweep-cells', String(finished), { timeout: 60_000 });
  await expect(panel).toHaveAttribute('data-sweep-status', 'done');
  const after = await page
    .locator('table.sweep-table td[data-value]')
    .evaluateAll((tds) =>
      tds.map(
        (td) => `${td.closest('tr')!.getAttribute('data-method')}@${td.getAttribute('data-density')}=${td.getAttribute('data-value')}`,
      ),
    );
  expect(after.sort()).toEqual(before.sort());
  await expect(panel.getByRole('button', { name: 'Resume sweep' })).toBeEnabled();
  await expect(page.locator('[data-chart="sweep"]')).toHaveAttribute('data-state', 'ready');
  await page.screenshot({ path: `${SHOTS}/sweep-02-reloaded.png` });
  // resuming runs only the rest
  await panel.getByRole('button', { name: 'Resume sweep' }).click();
  await expect(panel).toHaveAttribute('data-sweep-cells', '4', { timeout: 300_000 });
  await expect(panel).toHaveAttribute('data-sweep-status', 'done');
  const all = await page
    .locator('table.sweep-table td[data-value]')
    .evaluateAll((tds) =>
      tds.map(
        (td) => `${td.closest('tr')!.getAttribute('data-method')}@${td.getAttribute('data-density')}=${td.getAttribute('data-value')}`,
      ),
    );
  expect(all).toHaveLength(4);
  expect(errors).toEqual([]);

  // the share link (sweep=1) opened in a fresh profile reruns the whole sweep: the same numbers
  const link = page.url();
  expect(link).toContain('sweep=1');
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  const otherPanel = other.locator('section.train-tab[aria-label="Sweep"]');
  await expect(otherPanel).toHaveAttribute('data-sweep-cells', '4', { timeout: 300_000 });
  await expect(otherPanel).toHaveAttribute('data-sweep-status', 'done');
  const again = await other
    .locator('table.sweep-table td[data-value]')
    .evaluateAll((tds) =>
      tds.map(
        (td) => `${td.closest('tr')!.getAttribute('data-method')}@${td.getAttribute('data-density')}=${td.getAttribute('data-value')}`,
      ),
    );
  expect(again.sort()).toEqual(all.sort());
  await fresh.close();
});

test('a merged px-lab sweep file opened on the page joins the sweep chart', async ({ page }) => {
  test.setTimeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'pxlab-sweep-e2e-'));
  const plan = join(dir, 'plan.json');
  cli([
    'sweep',
    '--arch',
    'mlp',
    '--dataset',
    'mnist',
    '--methods',
    'rand,snip',
    '--densities',
    '0.1,0.01',
    '--seeds',
    '0,1',
    '--steps',
    '5',
    '--plan',
    plan,
  ]);
  const cells = JSON.parse(readFileSync(plan, 'utf8')).cells.length as number;
  for (let i = 0; i < cells; i++) cli(['sweep', '--plan', plan, '--cell', String(i), '--cells', join(dir, 'cells')]);
  const merged = join(dir, 'sweep.json');
  cli(['sweep', '--plan', plan, '--merge', '--cells', join(dir, 'cells'), '--out', merged]);

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/?model=mlp&data=mnist');
  await page.getByRole('tab', { name: 'Sweep' }).click();
  await page.locator('label.file-pick input[type="file"]').setInputFiles(merged);
  await expect(page.getByTestId('sweep-file')).toContainText(`${cells} cells`);
  const chart = page.locator('[data-chart="sweep"]');
  await expect(chart).toHaveAttribute('data-state', 'ready');
  await expect(chart.locator('ul.legend')).toContainText('Random (file)');
  await expect(chart.locator('ul.legend')).toContainText('SNIP (file)');
  await expect(chart.locator('.recharts-legend-wrapper')).toHaveCount(0);
  // two seeds: error bars drawn
  await expect(chart.locator('.recharts-errorBars').first()).toBeAttached();
  await page.screenshot({ path: `${SHOTS}/sweep-03-file.png` });

  // an edited file ("SNIP 750.00%") is refused with a one-line notice, and the last good file is no longer shown
  const edited = JSON.parse(readFileSync(merged, 'utf8'));
  edited.results[0].testAccuracy = 7.5;
  const bad = join(dir, 'edited.json');
  writeFileSync(bad, JSON.stringify(edited));
  await page.locator('label.file-pick input[type="file"]').setInputFiles(bad);
  await expect(page.locator('.train-bar .inline-error')).toHaveText(
    /^Not shown: edited\.json: not a px-lab sweep file \(results\.0\.testAccuracy: Too big/,
  );
  await expect(page.getByTestId('sweep-file')).toHaveCount(0);
  await expect(chart.locator('.recharts-legend-wrapper', { hasText: '(file)' })).toHaveCount(0);
});
