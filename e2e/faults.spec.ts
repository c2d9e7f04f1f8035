// The page under faults, nothing lost and nothing silently wrong. A worker that exits silently, hangs, crashes or loses its
// device is restarted with a notice and the run finishes; CIFAR-10 loads are atomic (a bad drop,
// a lone test batch, train-only files, drops racing each other) and the page always shows the set
// the worker holds; a reload during a run comes back to a finished run. Faults are injected with
// window.__pxlab, which exists only in the e2e build (vite build --mode e2e).
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { cifarBatch } from './cifar-files';
import type { PxLabHook } from '../src/app/dev/testHook';
import type { RunConfig } from '../src/shared/config';

declare global {
  interface Window {
    __pxlab: PxLabHook;
  }
}

const SHOTS = 'test-results/screenshots';
mkdirSync(SHOTS, { recursive: true });

const bin = (name: string, buffer: Buffer) => ({ name, mimeType: 'application/octet-stream', buffer });
const GOOD = [bin('data_batch_1.bin', cifarBatch(200)), bin('test_batch.bin', cifarBatch(50, 7))];

const grid = (page: Page) => page.locator('.grid');
const errorsOf = (page: Page) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
};

async function loadGood(page: Page) {
  await page.getByLabel('CIFAR-10 files').setInputFiles(GOOD);
  await expect(page.getByText(/^Loaded: /)).toBeVisible({ timeout: 60_000 });
  await expect(grid(page)).toHaveAttribute('data-run-status', 'done', { timeout: 120_000 });
}

test('a lone test_batch.bin or train-only files after a good load: refused at load, the good set stays in use (defects 6, 7)', async ({
  page,
}) => {
  const errors = errorsOf(page);
  await page.goto('/?model=mlp&data=cifar10&rounds=3&methods=px,snip&ntk=2');
  await loadGood(page);
  const input = page.getByLabel('CIFAR-10 files');
  const alert = page.locator('.dropzone [role="alert"]');

  await input.setInputFiles(bin('test_batch.bin', cifarBatch(30, 3)));
  await expect(alert).toContainText('no training batch');
  await expect(alert).toContainText('still using CIFAR-10 (data_batch_1.bin, test_batch.bin)');
  // later runs still work on the held set (they failed with "no training batch" before)
  await page.getByRole('spinbutton', { name: 'Seed', exact: true }).fill('5');
  await expect(grid(page)).toHaveAttribute('data-run-status', 'done', { timeout: 120_000 });

  await input.setInputFiles(bin('data_batch_2.bin', cifarBatch(40, 4)));
  await expect(alert).toContainText('no test batch (test_batch.bin)');
  await expect(alert).toContainText('still using');
  await page.getByRole('spinbutton', { name: 'Seed', exact: true }).fill('6');
  await expect(grid(page)).toHaveAttribute('data-run-status', 'done', { timeout: 120_000 });
  await expect(page.locator('.notice.error')).toHaveCount(0);
  expect(errors).toEqual([]);
});

/** Drops file sets on the drop zone back to back, in one task (no await in between): a real race. */
async function dropAll(page: Page, sets: Array<Array<{ name: string; records: number; seed: number; cut?: number }>>) {
  await page.evaluate((all) => {
    const batch = (n: number, seed: number) => {
      const b = new Uint8Array(n * 3073);
      for (let i = 0; i < n; i++) {
        b[i * 3073] = i % 10;
        for (let j = 1; j < 3073; j++) b[i * 3073 + j] = (i * 31 + j * 7 + seed) & 255;
      }
      return b;
    };
    const zone = document.querySelector('.dropzone')!;
    for (const set of all) {
      const dt = new DataTransfer();
      for (const f of set) dt.items.add(new File([batch(f.records, f.seed).subarray(0, f.cut)], f.name));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, sets);
}

test('drops racing each other: one token per drop, the page shows what the worker holds (defect 8)', async ({ page }) => {
  const errors = errorsOf(page);
  await page.goto('/?model=mlp&data=cifar10&rounds=3&methods=px&ntk=2');
  await loadGood(page);
  const first = 'CIFAR-10 (data_batch_1.bin, test_batch.bin), 200 train / 50 test';
  // a large good set, then at once a broken file: the second drop supersedes the first
  await dropAll(page, [
    [
      { name: 'data_batch_1.bin', records: 6000, seed: 2 },
      { name: 'test_batch.bin', records: 1000, seed: 9 },
    ],
    [{ name: 'data_batch_3.bin', records: 2, seed: 1, cut: 5000 }],
  ]);
  const alert = page.locator('.dropzone [role="alert"]');
  await expect(alert).toContainText(/3073/);
  const held = await page.evaluate(() => window.__pxlab.cifarHeld());
  expect(held).toBe(first);
  await expect(alert).toContainText(`still using ${held}`);
  await expect(grid(page)).not.toHaveAttribute('data-run-status', 'blocked');
  await page.screenshot({ path: `${SHOTS}/30-racing-drops.png` });

  // two good drops in a row: the later one is what the worker holds and the page shows
  await dropAll(page, [
    [
      { name: 'data_batch_1.bin', records: 6000, seed: 2 },
      { name: 'test_batch.bin', records: 1000, seed: 9 },
    ],
    [
      { name: 'data_batch_4.bin', records: 120, seed: 5 },
      { name: 'test_batch.bin', records: 20, seed: 6 },
    ],
  ]);
  await expect(page.getByText(/^Loaded: /)).toContainText('data_batch_4.bin, test_batch.bin), 120 train / 20 test');
  expect(await page.evaluate(() => window.__pxlab.cifarHeld())).toBe('CIFAR-10 (data_batch_4.bin, test_batch.bin), 120 train / 20 test');
  await expect(grid(page)).toHaveAttribute('data-run-status', 'done', { timeout: 120_000 });
  expect(errors).toEqual([]);
});

for (const kind of ['exit', 'crash', 'device-lost'] as const) {
  test(`worker fault "${kind}" during a page run: a notice, a restarted worker, the run finishes on the CIFAR-10 set it held (defect 11)`, async ({
    page,
  }) => {
    // after a crash or device loss the run finishes on the next backend (here WebGL on SwiftShader, slow)
    test.setTimeout(300_000);
    const errors = errorsOf(page);
    await page.goto('/?model=mlp&data=cifar10&rounds=30&methods=px&ntk=2');
    await loadGood(page);
    await page.getByRole('spinbutton', { name: 'Seed', exact: true }).fill('9');
    await expect(grid(page)).toHaveAttribute('data-run-status', 'running', { timeout: 60_000 });
    await expect(page.locator('.progress, [role="progressbar"], progress').first()).toBeVisible();
    await page.evaluate((k) => window.__pxlab.simulateFault(k), kind);
    await expect(page.getByTestId('worker-notice')).toContainText(
      kind === 'exit' ? 'stopped responding' : kind === 'crash' ? 'crashed' : 'device was lost',
      { timeout: 60_000 },
    );
    await expect(grid(page)).toHaveAttribute('data-run-status', 'done', { timeout: 180_000 });
    await expect(page.getByText(/^Loaded: /)).toBeVisible();
    expect(await page.evaluate(() => window.__pxlab.cifarHeld())).toContain('200 train / 50 test');
    if (kind === 'exit') await page.screenshot({ path: `${SHOTS}/31-worker-exit-recovered.png` });
    expect(errors).toEqual([]);
  });
}

test('a worker stuck in a loop (no heartbeat) is restarted by the watchdog and the request re-run (defect 11)', async ({ page }) => {
  await page.goto('/?model=mlp&data=synthetic');
  await page.waitForFunction(() => Boolean(window.__pxlab));
  const res = await page.evaluate(
    async (cfg) => {
      const h = window.__pxlab;
      h.useClient({}, { watchdogMs: 3000 });
      h.reset();
      await h.backend();
      const run = h.run(cfg);
      while (!h.delivered.some((d) => d.type === 'round')) await new Promise((r) => setTimeout(r, 10));
      await h.simulateFault('hang');
      const summary = await run;
      return { kept: summary.methods.length, notices: h.notices.map((n) => n.message) };
    },
    { model: 'mlp', dataset: 'synthetic', methods: ['synflow'], rounds: 40, ntkSamples: 1 } as Partial<RunConfig>,
  );
  expect(res.kept).toBe(1);
  expect(res.notices.some((n) => /stopped responding \(no heartbeat/.test(n) && /re-running/.test(n))).toBe(true);
});

test('a reload during a run comes back to the same settings and a finished run', async ({ page }) => {
  const errors = errorsOf(page);
  await page.goto('/?model=mlp&data=synthetic&rounds=80&methods=px,synflow&ntk=2');
  await expect(grid(page)).toHaveAttribute('data-run-status', 'running', { timeout: 60_000 });
  const url = page.url();
  await page.reload();
  expect(page.url()).toBe(url);
  await expect(grid(page)).toHaveAttribute('data-run-status', 'done', { timeout: 180_000 });
  await expect(page.locator('table.summary tr[data-method="px"] td[data-col="kept"]')).toHaveText(/%/);
  expect(errors).toEqual([]);
});
