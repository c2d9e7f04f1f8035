// The slider right after a run: the exact run leaves its rounds as a path, so releasing the
// slider gets provisional rows at once (no background recording to wait for), and a drag move
// costs the main thread a few milliseconds (the page follows once, on release).
import { expect, test, type Page } from '@playwright/test';
import { loadavg } from 'node:os';
import type { MethodId } from '../src/shared/methods';

/**
 * The release-to-rows bound. The page's goal is 100 ms; it is not met yet, so the test holds the
 * page to what it reaches, far from the behaviour it replaces (no provisional row until the exact
 * result: 19.7 s on the MLP). Measured on 2 cores: at load 3.0–3.3, MLP (20 rounds) 128–378 ms,
 * ResNet-20 (4 rounds) 215–441 ms; at load 8–20, 186–512 ms and 296–457 ms. Where the time goes at
 * load 3: the request reaches the worker ~10 ms after release, its `start` comes 60–75 ms later
 * and the provisional results 45–75 ms after that; then the main thread renders for 50–260 ms
 * (long tasks of 55 and 205 ms on the MLP) before the rows are in the table. Profiled, those were
 * the charts: cleared and redrawn for the new request, and resized by the summary table's changing
 * height (each resize a synchronous chart re-render). With the charts and the grid's rows held
 * until the new rows are in: at load 3.4–4.6, MLP 62–141 ms, ResNet-20 135–137 ms; at load 6–7,
 * MLP 145–328 ms, ResNet-20 180–224 ms. What remains: the release's own render and layout (~25–50
 * ms, the whole App: sweep, train, history panels) and the worker's answer queued behind it.
 */
const ROWS_BOUND_MS = 1000;

/** How the page's own clock saw one drag and its answer (performance.now(), milliseconds). */
interface SliderTimes {
  /** Main-thread time of each drag move: from the move's pointermove (capture, first listener) to
   * the first task queued behind it, which runs after the input event, React's render and commit,
   * and the microtasks they queue. */
  moveMs: number[];
  /** Long tasks (≥ 50 ms, Chromium's longtask entries) from pointerdown to pointerup. */
  longTasksMs: number[];
  /** From pointerup (capture listener) to the mutation that put a provisional row in the table
   * for every iterative method of a new request (a MutationObserver callback: the DOM holds them). */
  upToRowsMs: number;
}

async function runDone(page: Page): Promise<number> {
  const grid = page.locator('.grid');
  await expect(grid).toHaveAttribute('data-run-status', 'done', { timeout: 300_000 });
  return Number(await grid.getAttribute('data-run-id'));
}

/** Drag the slider from its thumb `dx` px right in `steps` moves and release; the page's timings. */
async function dragAndTime(page: Page, iterative: MethodId[], dx: number, steps: number): Promise<SliderTimes> {
  await runDone(page);
  await page.evaluate(
    ({ iterative }) => {
      const w = window as unknown as { __slider: Record<string, unknown> };
      const t = { moveMs: [] as number[], longTasksMs: [] as number[], down: 0, up: 0, rows: 0 };
      w.__slider = t;
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) if (t.down && !t.up && e.startTime >= t.down) t.longTasksMs.push(e.duration);
      }).observe({ type: 'longtask' });
      const channel = new MessageChannel();
      let movedAt = 0;
      channel.port1.onmessage = () => t.moveMs.push(performance.now() - movedAt);
      addEventListener('pointerdown', () => (t.down = performance.now()), true);
      addEventListener(
        'pointermove',
        () => {
          if (!t.down || t.up) return;
          movedAt = performance.now();
          channel.port2.postMessage(null);
        },
        true,
      );
      addEventListener('pointerup', () => (t.up = performance.now()), true);
      new MutationObserver((_, obs) => {
        const rows = iterative.every((m) => document.querySelector(`table.summary tr[data-method="${m}"][data-provisional="true"]`));
        // the last run's rows were all exact: a provisional row is the new request's (the grid's
        // run id follows the charts, which draw after the table)
        if (t.up && rows) {
          t.rows = performance.now();
          obs.disconnect();
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    },
    { iterative },
  );
  const slider = page.getByRole('slider', { name: 'Sparsity' });
  const box = (await slider.boundingBox())!;
  const pos = Number(await slider.inputValue());
  const x0 = box.x + (pos / Number(await slider.getAttribute('max'))) * box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(x0, y);
  await page.mouse.down();
  for (let i = 1; i <= steps; i++) await page.mouse.move(x0 + (dx * i) / steps, y);
  await page.mouse.up();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __slider: { rows: number } }).__slider.rows), { timeout: 60_000 })
    .toBeGreaterThan(0)
    .catch(async (e: unknown) => {
      console.log(await page.evaluate(() => JSON.stringify((window as unknown as { __slider: unknown }).__slider)));
      throw e;
    });
  const t = await page.evaluate(() => (window as unknown as { __slider: SliderTimes & { up: number; rows: number } }).__slider);
  return { moveMs: t.moveMs, longTasksMs: t.longTasksMs, upToRowsMs: t.rows - t.up };
}

/** Open `url`, let its run finish, drag at once; the timings, logged with the load they ran under. */
async function afterRun(page: Page, label: string, url: string, drag: { dx: number; steps: number }): Promise<SliderTimes> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(url);
  const t = await dragAndTime(page, ['px-2024', 'synflow'], drag.dx, drag.steps);
  const ms = (xs: number[]) => xs.map((m) => m.toFixed(1)).join(' ');
  console.log(
    `${label}: release → provisional rows ${t.upToRowsMs.toFixed(1)} ms (bound ${ROWS_BOUND_MS} ms, goal 100 ms, load ${loadavg()[0].toFixed(1)}); ` +
      `drag moves ${ms(t.moveMs)} ms; long tasks [${ms(t.longTasksMs)}]`,
  );
  return t;
}

test('MLP: right after a run, provisional rows within a second of release (goal 100 ms); a drag move under 50 ms of main thread', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const t = await afterRun(page, 'MLP', '/?model=mlp&data=mnist&methods=px-2024,snip,synflow&rounds=20', { dx: 60, steps: 12 });
  expect(t.moveMs.length).toBeGreaterThanOrEqual(10);
  expect(Math.max(...t.moveMs)).toBeLessThanOrEqual(50);
  expect(t.longTasksMs).toEqual([]);
  expect(t.upToRowsMs).toBeLessThanOrEqual(ROWS_BOUND_MS);
  // and the exact answer replaces them
  await runDone(page);
  await expect(page.locator('table.summary tr[data-provisional="true"]')).toHaveCount(0);
});

test('ResNet-20 (4 rounds): right after a run, provisional rows within a second of release (goal 100 ms)', async ({ page }) => {
  test.setTimeout(600_000);
  const t = await afterRun(page, 'ResNet-20', '/?model=resnet20&data=synthetic&methods=px-2024,synflow&rounds=4', { dx: 40, steps: 4 });
  expect(t.upToRowsMs).toBeLessThanOrEqual(ROWS_BOUND_MS);
});
