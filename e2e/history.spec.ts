// Run history: a finished run is kept in IndexedDB, can be pinned and is drawn
// under the current spectrum, survives a reload (the pin is in the URL), a damaged record is
// dropped with a notice, and the history can be cleared.
import { expect, test } from '@playwright/test';

const QUICK = '/?model=mlp&data=mnist&methods=px,snip&rounds=8&density=0.05';

test('finished runs are kept, pinned, overlaid, survive a reload; damaged ones are dropped; clear', async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(QUICK);
  await expect(page.locator('.grid')).toHaveAttribute('data-run-status', 'done', { timeout: 240_000 });
  const items = page.locator('.history-list li');
  await expect(items).toHaveCount(1);
  await expect(items.first()).toContainText('mlp · mnist · 5.00% kept · px, snip · 8 rounds');
  await items.first().getByRole('button', { name: 'Pin as reference' }).click();
  await expect(page).toHaveURL(/[?&]pin=\d{13}/);
  const pinnedLines = page.locator('[data-chart="spectrum"] path.recharts-curve[stroke-dasharray="1 3"]');
  // dense, PX and SNIP of the pinned run
  await expect(pinnedLines).toHaveCount(3);
  await expect(page.locator('[data-chart="spectrum"] ul.legend')).toContainText('Pinned run');

  // a damaged record in the store, then a reload: the pin and the good record are still there
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('px-lab-history');
        req.onsuccess = () => {
          const tx = req.result.transaction('runs', 'readwrite');
          tx.objectStore('runs').put({ id: 5, config: 'damaged' });
          tx.oncomplete = () => {
            req.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
        req.onerror = () => reject(req.error);
      }),
  );
  await page.reload();
  await expect(page.getByTestId('history-dropped')).toContainText('1 stored run could not be read');
  await expect(items).toHaveCount(1);
  await expect(items.first().getByRole('button', { name: 'Unpin' })).toBeVisible();
  await expect(page.locator('.grid')).toHaveAttribute('data-run-status', 'done', { timeout: 240_000 });
  await expect(pinnedLines).toHaveCount(3);

  await page.getByRole('button', { name: 'Clear history' }).click();
  await expect(items).toHaveCount(0);
  await expect(page).toHaveURL(/[?&]pin=0(&|$)/);
  await expect(pinnedLines).toHaveCount(0);
});
