// Honest time: the ETA the page shows when its progress bar passes half way, against the time
// the run really took from there; and "done in", counted from the page's opening request.
import { expect, test } from '@playwright/test';
import { availableParallelism, loadavg } from 'node:os';

/** What the page showed, by its own clock (performance.now(): milliseconds since navigation). */
interface Seen {
  /** When the progress first reached 50%, and the ETA shown then. */
  halfAt: number;
  etaAtHalf: number;
  progressAtHalf: number;
  /** When the status turned done, and the "done in" text then. */
  doneAt: number;
  doneText: string;
}

test('MLP, 100 rounds: the ETA shown at half way is within 25% of the time the run then took; "done in" counts from navigation', async ({
  page,
}) => {
  test.setTimeout(600_000);
  await page.addInitScript(() => {
    const seen: Partial<Seen> = {};
    (window as unknown as { __seen: Partial<Seen> }).__seen = seen;
    // a MutationObserver on the status line: it sees each value the page renders, when it renders it
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid="run-status"]');
      if (!el) return;
      const progress = Number(el.getAttribute('data-progress'));
      const eta = el.getAttribute('data-eta-ms');
      if (seen.halfAt === undefined && el.getAttribute('data-status') === 'running' && progress >= 0.5 && eta !== null) {
        seen.halfAt = performance.now();
        seen.etaAtHalf = Number(eta);
        seen.progressAtHalf = progress;
      }
      if (seen.doneAt === undefined && el.getAttribute('data-status') === 'done') {
        seen.doneAt = performance.now();
        seen.doneText = el.textContent ?? '';
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await page.goto('/?model=mlp&data=mnist&methods=px-2024,snip,synflow&rounds=100');
  await expect(page.locator('.grid')).toHaveAttribute('data-run-status', 'done', { timeout: 500_000 });
  const s = (await page.evaluate(() => (window as unknown as { __seen: Seen }).__seen)) as Seen;
  const actual = s.doneAt - s.halfAt;
  console.log(
    `ETA at ${(s.progressAtHalf * 100).toFixed(1)}%: ${(s.etaAtHalf / 1000).toFixed(1)} s shown, ${(actual / 1000).toFixed(1)} s taken ` +
      `(${(((s.etaAtHalf - actual) / actual) * 100).toFixed(0)}%); ${s.doneText} at ${(s.doneAt / 1000).toFixed(1)} s after navigation`,
  );
  expect(s.halfAt).toBeGreaterThan(0);
  expect(s.etaAtHalf).toBeGreaterThan(0);
  // Within 25% at load ~3 on 2 cores, as the page promises. Busier, the other processes' share of
  // the cores changes during the run and no ETA can know it: measured here at load 9–18 (six
  // checkouts testing at once), +30% with the dense NTK's time (the old weighting), then −9% and
  // −52% with the measured ones; there the error is recorded, not held to 25%.
  const error = Math.abs(s.etaAtHalf - actual) / actual;
  const perCore = loadavg()[0] / availableParallelism();
  test.info().annotations.push({ type: 'eta-error', description: `${(error * 100).toFixed(0)}% at load ${loadavg()[0].toFixed(1)}` });
  if (perCore <= 1.5) expect(error).toBeLessThanOrEqual(0.25);
  // "done in" is the wall time from the navigation (the page's opening request) to done, as shown
  const shown = /done in (?:(\d+) min )?([\d.]+) s from page open/.exec(s.doneText);
  expect(shown, s.doneText).not.toBeNull();
  const shownMs = (Number(shown![1] ?? 0) * 60 + Number(shown![2])) * 1000;
  // shown to 0.1 s (under a minute) or to the second; plus a frame or two of rendering
  expect(Math.abs(shownMs - s.doneAt)).toBeLessThanOrEqual((shown![1] ? 500 : 50) + 200);
});
