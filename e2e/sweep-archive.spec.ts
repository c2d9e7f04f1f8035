// The shipped results archive behind the Sweep chart, against the built app: a link with the
// MLP on MNIST at the page's default budget (the archive's mlp-mnist plan) opens the Sweep tab
// with the archive's band and mean per method drawn before any sweep runs, its numbers those of
// archiveRowsFor computed here from the same archive.json, and its provenance line; a link with
// another learning rate draws no band and says so. No sweep is run.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { archiveCaption, archiveRowsFor, parseArchive } from '../src/shared/archive';
import type { SweepPlan } from '../src/shared/train';
import { sweepKey, sweepPlanOf } from '../src/shared/trainSettings';
import { configOf, parseUrlState, serializeUrlState, trainSettingsOf, type UrlState } from '../src/shared/urlState';

const archive = parseArchive(JSON.parse(readFileSync(new URL('../results/archive/archive.json', import.meta.url), 'utf8')));
const mlpMnist = archive.sweeps.find((s) => s.name === 'mlp-mnist')!.plan;

/** The page's link for an archived plan's settings (the URL table's fields), on the Sweep tab, with the page's own methods. */
function linkFor(plan: SweepPlan, lr = plan.recipe.lr): string {
  const r = plan.recipe;
  const state: UrlState = {
    ...parseUrlState('').state,
    tab: 'sweep',
    model: plan.arch as UrlState['model'],
    dataset: plan.dataset as UrlState['dataset'],
    rounds: plan.rounds,
    oneShotRounds: plan.oneShotRounds,
    scope: plan.scope,
    examplesPerClass: plan.examplesPerClass,
    batchSize: plan.pruneBatchSize,
    ablation: plan.ablation,
    budget: r.steps === null ? 'epochs' : 'steps',
    epochs: r.epochs,
    lr,
    schedule: r.schedule,
    trainBatch: r.batchSize,
    weightDecay: r.weightDecay,
    augment: r.augment,
    sweepDensities: plan.densities,
  };
  return `/?${serializeUrlState(state)}`;
}
const MATCHING = linkFor(mlpMnist);
const OTHER_LR = linkFor(mlpMnist, 0.05);

/** What the page's Sweep tab plans for a link (its state read as the page reads it). */
function planOf(link: string) {
  const { state } = parseUrlState(link);
  return sweepPlanOf(configOf(state), trainSettingsOf(state));
}

test("a link with the archive's settings draws its band behind the (empty) sweep; another learning rate draws none", async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // the link stands for the archived plan's settings (the page's default MLP prunes in 20 rounds, the archive in 100)
  expect(sweepKey(planOf(MATCHING), 'wasm', 'init')).toBe(sweepKey(mlpMnist, 'wasm', 'init'));
  const expected = archiveRowsFor(archive, planOf(MATCHING));
  expect(expected.length).toBeGreaterThan(0);
  expect(archiveRowsFor(archive, planOf(OTHER_LR))).toEqual([]);

  await page.goto(MATCHING);
  const note = page.getByTestId('sweep-archive');
  await expect(note).toHaveAttribute('data-archive-state', 'ready');
  const caption = archiveCaption(archive, expected);
  await expect(note).toContainText(caption);
  const chart = page.locator('[data-chart="sweep"]');
  await expect(chart).toHaveAttribute('data-state', 'ready');
  await expect(chart.locator('[data-legend="sweep"]')).toContainText(caption);
  // no sweep ran: nothing of the page's own is drawn, only the archive
  await expect(page.locator('section.train-tab[aria-label="Sweep"]')).toHaveAttribute('data-sweep-cells', '0');
  await expect(chart.locator('.sweep-band')).toHaveCount(0);

  // the band's numbers: every archived (method, density) with its mean, range and seed count
  const shown = await chart.locator('[data-testid="sweep-archive-values"] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      method: tr.getAttribute('data-method')!,
      density: Number(tr.getAttribute('data-density')),
      mean: Number(tr.getAttribute('data-mean')),
      min: Number(tr.getAttribute('data-min')),
      max: Number(tr.getAttribute('data-max')),
      n: Number(tr.getAttribute('data-n')),
    })),
  );
  const key = (r: { method: string; density: number }) => `${r.method}@${r.density}`;
  expect(shown.map(key).sort()).toEqual(expected.map(key).sort());
  for (const e of expected) {
    const s = shown.find((x) => key(x) === key(e))!;
    expect(s).toEqual({ method: e.method, density: e.density, mean: e.mean, min: e.min, max: e.max, n: e.n });
  }
  // drawn: one band and one mean line per archived method (dense is a reference line)
  for (const m of new Set(expected.filter((e) => e.method !== 'dense').map((e) => e.method))) {
    await expect(chart.locator(`.sweep-archive-band-${m}`)).toHaveCount(1);
    await expect(chart.locator(`.sweep-archive-mean-${m} path.recharts-curve`)).toHaveCount(1);
  }

  await page.goto(OTHER_LR);
  await expect(page.getByTestId('sweep-archive')).toHaveAttribute('data-archive-state', 'none');
  // ...and what to change to see it
  await expect(page.getByTestId('sweep-archive')).toContainText(
    "no archived sweep with these settings: the archive's mlp-mnist has lr 0.1 (here 0.05)",
  );
  await expect(page.locator('[data-chart="sweep"]')).toHaveAttribute('data-state', 'empty');
  await expect(page.locator('.sweep-archive-band, .sweep-archive-mean')).toHaveCount(0);
  await expect(page.locator('[data-testid="sweep-archive-values"]')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('an unreadable archive is one line and draws nothing', async ({ page }) => {
  await page.route('**/archive-*.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ...archive, provenance: { date: '2026-12-07' } }) }),
  );
  await page.goto(linkFor(mlpMnist));
  const note = page.getByTestId('sweep-archive');
  await expect(note).toHaveAttribute('data-archive-state', 'error');
  await expect(note).toHaveText(/^The results archive is unreadable \(provenance\.commit: .+\)\.$/);
  await expect(page.locator('[data-chart="sweep"]')).toHaveAttribute('data-state', 'empty');
  await expect(page.locator('.sweep-archive-band, .sweep-archive-mean, [data-testid="sweep-archive-values"]')).toHaveCount(0);
});
