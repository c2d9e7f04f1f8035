import { chromium } from '@playwright/test';
const [,, base, outDir, which = 'all'] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const VPS = [[390, 844], [820, 1180], [1440, 900]];
for (const [w, h] of VPS) for (const scheme of ['light', 'dark']) {
  if (which !== 'all' && !which.split(',').includes(`${w}-${scheme}`)) continue;
  const page = await browser.newPage({ viewport: { width: w, height: h }, colorScheme: scheme });
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  await page.goto(`${base}/?model=mlp&data=mnist&methods=px,snip&rounds=8&density=0.05`);
  await page.locator('.grid[data-run-status=done]').waitFor({ timeout: 200000 });
  await page.waitForTimeout(800);
  const box = async (sel) => { const b = await page.locator(sel).first().boundingBox(); return b && [Math.round(b.x), Math.round(b.y), Math.round(b.width), Math.round(b.height)]; };
  console.log(w, scheme, 'bar', await box('.sparsity-bar'), 'spectrum', await box('[data-chart="spectrum"]'), 'tabs', await box('.tabs'), 'side', await box('aside.side'), 'docH', await page.evaluate(() => document.documentElement.scrollHeight));
  const t = await page.locator('[data-chart="summary"]').evaluate((c) => { const tb = c.querySelector('table'); const body = c.querySelector('.card-body'); return { table: tb.scrollWidth, card: c.clientWidth, body: body?.clientWidth, bodyScroll: body?.scrollWidth }; });
  console.log('  summary', JSON.stringify(t));
  await page.screenshot({ path: `${outDir}/shot-${w}-${scheme}.png` });
  await page.close();
}
await browser.close();
