// The slider right after a run: the exact run leaves its rounds as a path, so releasing the
// slider gets provisional rows at once (no background recording to wait for), and a drag move
// costs the main thread a few milliseconds (the page follows once, on release).
import { expect, test, type Page } from '@playwright/test';
import { loadavg } from 'node:os';
import type { MethodId } from '../src/shared/methods';

/**
 * Release to provisional rows, each release right after a run. The goal is 100 ms: the median of
 * three releases is held to it, each release to a bound that flags a regression without flaking
 * on a loaded machine. Measured on 2 cores at load 4.5-4.8 (a niced background job beside),
 * first / later releases: MLP (20 rounds) 45-62 / 4-69 ms, ResNet-20 (4 rounds) 87-120 / 20-71
 * ms; medians 45-71 ms. Where the time goes (traced, ResNet-20): the release's own render and
 * layout ~30 ms (the request leaves at 7-9 ms), the worker's answer 6-40 ms after the request
 * (start, cached dense NTK and provisional rows in one message: one fold, one draw), and the rows'
 * render 25-40 ms. Before the answer went as one message and was folded at once (not at the next
 * animation frame), the same releases took 131-187 ms.
 */
const ROWS_GOAL_MS = 100;
const ROWS_BOUND_MS = 400;

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

/** Open `url`; three times, let the run on screen finish and drag at once (each drag sparser); the timings, logged with the load. */
async function afterRuns(page: Page, label: string, url: string, first: { dx: number; steps: number }): Promise<SliderTimes[]> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(url);
  const ms = (xs: number[]) => xs.map((m) => m.toFixed(1)).join(' ');
  const out: SliderTimes[] = [];
  for (const drag of [first, { dx: 50, steps: 6 }, { dx: 50, steps: 6 }]) {
    const t = await dragAndTime(page, ['px-2024', 'synflow'], drag.dx, drag.steps);
    console.log(
      `${label}: release → provisional rows ${t.upToRowsMs.toFixed(1)} ms (goal ${ROWS_GOAL_MS} ms, bound ${ROWS_BOUND_MS} ms, load ${loadavg()[0].toFixed(1)}); ` +
        `drag moves ${ms(t.moveMs)} ms; long tasks [${ms(t.longTasksMs)}]`,
    );
    out.push(t);
  }
  return out;
}

/** Each release within the bound, their median within the goal. */
function expectRowsInTime(times: SliderTimes[]): void {
  const ms = times.map((t) => t.upToRowsMs);
  for (const m of ms) expect(m).toBeLessThanOrEqual(ROWS_BOUND_MS);
  expect([...ms].sort((a, b) => a - b)[ms.length >> 1]).toBeLessThanOrEqual(ROWS_GOAL_MS);
}

test('MLP: right after each run, provisional rows within 100 ms of release (median of three); a drag move under 50 ms of main thread', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const times = await afterRuns(page, 'MLP', '/?model=mlp&data=mnist&methods=px-2024,snip,synflow&rounds=20', { dx: 60, steps: 12 });
  const t = times[0];
  expect(t.moveMs.length).toBeGreaterThanOrEqual(10);
  expect(Math.max(...t.moveMs)).toBeLessThanOrEqual(50);
  expect(t.longTasksMs).toEqual([]);
  expectRowsInTime(times);
  // and the exact answer replaces them
  await runDone(page);
  await expect(page.locator('table.summary tr[data-provisional="true"]')).toHaveCount(0);
});

test('ResNet-20 (4 rounds): right after each run, provisional rows within 100 ms of release (median of three)', async ({ page }) => {
  test.setTimeout(600_000);
  expectRowsInTime(
    await afterRuns(page, 'ResNet-20', '/?model=resnet20&data=synthetic&methods=px-2024,synflow&rounds=4', { dx: 40, steps: 4 }),
  );
});
