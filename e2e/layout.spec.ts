// Layout on every screen: at 1440×900, 820×1180 and 390×844, in
// light and dark, the header, the settings panel and the charts never overlap; the panel is not
// sticky at ≤ 900 px; the title never overlaps the backend badge; axis labels never overlap
// tick labels; legends sit above their plot; the summary table shows its dense row. Keyboard:
// the slider is among the first stops and charts add none; no console errors (favicon);
// a blocked run's reason is shown once. Screenshots go to test-results/screenshots/layout-*.png.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import type { MethodId } from '../src/shared/methods';
import { METHOD_INFO } from '../src/shared/methods';

const SHOTS = 'test-results/screenshots';
mkdirSync(SHOTS, { recursive: true });

/** A quick, complete run: MLP on MNIST, two methods, few rounds (every chart has data). */
const QUICK = '/?model=mlp&data=mnist&methods=px,snip&rounds=8&density=0.05';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function intersects(a: Box, b: Box): boolean {
  // touching edges is not an overlap (1 px tolerance for sub-pixel layout)
  return a.x + a.width > b.x + 1 && b.x + b.width > a.x + 1 && a.y + a.height > b.y + 1 && b.y + b.height > a.y + 1;
}

async function boxes(loc: Locator): Promise<Array<{ box: Box; text: string }>> {
  return loc.evaluateAll((els) =>
    els.flatMap((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0
        ? [{ box: { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height }, text: (el.textContent ?? '').slice(0, 30) }]
        : [];
    }),
  );
}

async function waitDone(page: Page): Promise<void> {
  await expect(page.locator('.grid')).toHaveAttribute('data-run-status', 'done', { timeout: 240_000 });
  for (const c of ['spectrum', 'layers', 'progress', 'summary'])
    await expect(page.locator(`[data-chart="${c}"]`)).toHaveAttribute('data-state', 'ready');
}

const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'tablet', width: 820, height: 1180 },
  { name: 'phone', width: 390, height: 844 },
] as const;

test.describe.configure({ mode: 'serial' });

for (const vp of VIEWPORTS) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`no overlap at ${vp.width}×${vp.height}, ${scheme}`, async ({ page }) => {
      test.setTimeout(300_000);
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await page.goto(QUICK);
      await waitDone(page);
      // the mask pictures of the finished run (MLP: first-layer units as 28×28 images), drawn
      // before the boxes are measured
      await expect(page.getByTestId('unit-images').locator('canvas')).toHaveCount(24);
      await expect(page.getByTestId('heat-maps').locator('canvas')).toHaveCount(3);

      // header, panel and charts: pairwise disjoint
      const parts = [
        { name: 'header', box: (await page.locator('header.top').boundingBox())! },
        { name: 'slider', box: (await page.locator('.sparsity-bar').boundingBox())! },
        { name: 'panel', box: (await page.locator('aside.side').boundingBox())! },
        ...(await Promise.all(
          ['spectrum', 'layers', 'progress', 'summary', 'masks'].map(async (c) => ({
            name: c,
            box: (await page.locator(`[data-chart="${c}"]`).boundingBox())!,
          })),
        )),
      ];
      for (let i = 0; i < parts.length; i++)
        for (let j = i + 1; j < parts.length; j++)
          expect(intersects(parts[i].box, parts[j].box), `${parts[i].name} overlaps ${parts[j].name}`).toBe(false);
      // scrolled to the bottom, the panel still does not cover a chart (never sticky in one column)
      const position = await page.locator('aside.side').evaluate((el) => getComputedStyle(el).position);
      if (vp.width <= 900) expect(position).toBe('static');
      await page.evaluate(() => scrollTo(0, document.body.scrollHeight));
      const panelAfter = (await boxes(page.locator('aside.side')))[0].box;
      for (const c of ['spectrum', 'layers', 'progress', 'summary'])
        expect(intersects(panelAfter, (await boxes(page.locator(`[data-chart="${c}"]`)))[0].box), `panel over ${c} after scrolling`).toBe(
          false,
        );
      await page.evaluate(() => scrollTo(0, 0));

      // the title and the header's badge and buttons
      const title = (await page.getByRole('heading', { name: 'PX Lab', level: 1 }).boundingBox())!;
      for (const sel of ['.backend-badge', 'header.top button.primary'])
        expect(intersects(title, (await page.locator(sel).boundingBox())!), `title overlaps ${sel}`).toBe(false);

      for (const c of ['spectrum', 'layers', 'progress']) {
        const card = page.locator(`[data-chart="${c}"]`);
        // y-axis labels (rotated) clear of the y tick labels, in every plot of the card
        const svgs = card.locator('svg.recharts-surface');
        for (let k = 0; k < (await svgs.count()); k++) {
          const label = await boxes(svgs.nth(k).locator('text.recharts-label[transform*="rotate(-90"]'));
          const ticks = await boxes(svgs.nth(k).locator('.recharts-yAxis .recharts-cartesian-axis-tick-value'));
          expect(label.length, `${c}: y-axis label`).toBe(1);
          for (const t of ticks) expect(intersects(label[0].box, t.box), `${c}: axis label over tick "${t.text}"`).toBe(false);
        }
        // legend above the plot, never over it
        const legend = (await boxes(card.locator('ul.legend')))[0].box;
        for (const s of await boxes(card.locator('svg.recharts-surface')))
          expect(intersects(legend, s.box), `${c}: legend over the plot`).toBe(false);
        // collapse marks (if any) inside the plot area
        const plot = await boxes(card.locator('.recharts-cartesian-grid'));
        for (const x of await boxes(card.locator('g[data-collapsed]')))
          expect(x.box.y + x.box.height <= plot[0].box.y + plot[0].box.height + 3, `${c}: ✕ clipped`).toBe(true);
      }
      // legend order = table order
      const tableOrder = (
        await page.locator('table.summary tbody tr[data-method]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-method')!))
      ).filter((m) => m !== 'dense') as MethodId[];
      const legendOrder = await page.locator('[data-chart="layers"] ul.legend li').allInnerTexts();
      expect(legendOrder.map((s) => s.trim())).toEqual(['Dense', ...tableOrder.map((m) => METHOD_INFO[m].label)]);
      // the dense row is inside the summary card, not clipped
      const dense = (await page.locator('table.summary tr[data-method="dense"]').boundingBox())!;
      const summaryCard = (await page.locator('[data-chart="summary"]').boundingBox())!;
      expect(dense.y + dense.height).toBeLessThanOrEqual(summaryCard.y + summaryCard.height);

      // no text is cut: every element that would elide its overflow fits its box (except the folded
      // settings' one-line preview on narrow screens, whose whole text is the panel it opens)
      const cut = await page.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter((el) => !el.closest('.side-toggle'))
          .filter((el) => getComputedStyle(el).textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1)
          .map((el) => (el.textContent ?? '').slice(0, 40)),
      );
      expect(cut, 'texts cut with an ellipsis').toEqual([]);
      await page.screenshot({ path: `${SHOTS}/layout-${vp.name}-${scheme}.png`, fullPage: true });
      expect(errors, 'console errors (e.g. a favicon 404)').toEqual([]);
    });
  }
}

test('keyboard: the slider is among the first stops; charts add no tab stops', async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(QUICK);
  await waitDone(page);
  let stops = 0;
  for (; stops < 40; stops++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type === 'range')) break;
  }
  // paper link, Copy link, snap checkbox, then the slider
  expect(stops + 1).toBeLessThanOrEqual(5);
  const focusableInCharts = await page
    .locator('.card-body')
    .evaluateAll((cards) =>
      cards.reduce(
        (n, c) => n + c.querySelectorAll('svg[tabindex]:not([tabindex="-1"]), svg [tabindex]:not([tabindex="-1"]), svg a[href]').length,
        0,
      ),
    );
  expect(focusableInCharts).toBe(0);
});

test('a blocked run (CIFAR-10 without files) explains itself once', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/?data=cifar10&model=resnet20');
  await expect(page.locator('.grid')).toHaveAttribute('data-run-status', 'blocked');
  await expect(page.getByText(/Drop the CIFAR-10 binary files/).filter({ visible: true })).toHaveCount(1);
});
