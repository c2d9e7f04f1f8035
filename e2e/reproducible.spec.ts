// Same link, same drawing, whatever the machine's speed: the same URL, loaded on a fast and on a slowed-down machine
// (CDP CPU throttling ×4), draws the same series and exports the same JSON apart from timing
// fields (ms, elapsedMs, etaMs, startedAt, cached). Before the fix, NTK points along exact runs
// were computed only when the dense NTK had been fast, so a loaded machine drew fewer points.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { withoutTiming } from '../src/app/common/exporters';

/** MLP on MNIST: 8 PX rounds with NTKs at rounds 2, 4 and 6; SNIP one-shot. */
const URL = '/?model=mlp&data=mnist&methods=px,snip,synflow&rounds=8&density=0.05';

async function runAndExport(page: Page, throttle: number): Promise<{ json: unknown; series: Record<string, string[]> }> {
  await page.setViewportSize({ width: 1440, height: 900 });
  if (throttle > 1) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  }
  await page.goto(URL);
  await expect(page.locator('.grid')).toHaveAttribute('data-run-status', 'done', { timeout: 400_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'JSON' }).click()]);
  const json = withoutTiming(readFileSync((await download.path())!, 'utf8')) as Record<string, unknown>;
  // the share URL carries the origin only; backend labels may name the thread count
  delete json.url;
  // what is drawn: every line's geometry and every point, per chart
  const series: Record<string, string[]> = {};
  for (const c of ['spectrum', 'layers', 'progress']) {
    series[c] = await page
      .locator(`[data-chart="${c}"] svg.recharts-surface`)
      .evaluateAll((svgs) =>
        svgs.flatMap((s) =>
          [...s.querySelectorAll('path.recharts-curve, circle[data-layer-point], g[data-collapsed] path')].map(
            (p) =>
              `${p.getAttribute('data-method') ?? p.closest('[data-method]')?.getAttribute('data-method') ?? p.getAttribute('stroke')}:${p.getAttribute('d') ?? `${p.getAttribute('cx')},${p.getAttribute('cy')}`}`,
          ),
        ),
      );
  }
  return { json, series };
}

test('the same URL draws the same series and exports the same JSON under CPU throttling ×4', async ({ browser }) => {
  test.setTimeout(900_000);
  const fastCtx = await browser.newContext({ acceptDownloads: true });
  const fast = await runAndExport(await fastCtx.newPage(), 1);
  await fastCtx.close();
  const slowCtx = await browser.newContext({ acceptDownloads: true });
  const slow = await runAndExport(await slowCtx.newPage(), 4);
  await slowCtx.close();
  // the NTK trace along PX's exact run is there in both
  const px = (fast.json as { methods: Array<{ method: string; rounds: Array<{ ntkTrace?: number }> }> }).methods.find(
    (m) => m.method === 'px',
  )!;
  expect(px.rounds.filter((r) => r.ntkTrace !== undefined).length).toBe(3);
  expect(slow.json).toEqual(fast.json);
  for (const c of Object.keys(fast.series)) {
    expect(fast.series[c].length, c).toBeGreaterThan(0);
    expect(slow.series[c], c).toEqual(fast.series[c]);
  }
});
