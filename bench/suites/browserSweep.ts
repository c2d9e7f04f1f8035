// Browser benchmark of the page's default sweep: MLP on MNIST, PX, SNIP, SynFlow and random at
// 10%, 3.2%, 1%, 0.32% remaining weights plus dense, one epoch each (the official recipe, seed 0,
// 100 pruning rounds for PX and SynFlow), on wasm in headless Chromium, driven through the page's
// Sweep panel as a user would (a fresh browser profile, so nothing is stored). Part of
// `npm run bench` (bench/suites/browser.ts); alone:
//
//   npx vite build && npx tsx bench/suites/browserSweep.ts [--limit-s 900] [--port 4180]
//
// Prints the wall time from "Run sweep" to the last cell, the time per cell and the table of test
// accuracy against density the sweep gave.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { withServedChromium } from './serve';
import type { BenchRow } from './node';

export interface SweepBench {
  seconds: number;
  cells: number;
  backend: string;
  /** "method@density" → test accuracy. */
  accuracy: Record<string, number>;
  loadBefore: number[];
  loadAfter: number[];
  note: string;
}

export async function measureDefaultSweep(opts: { port: number; limitMs: number; log: (s: string) => void }): Promise<SweepBench> {
  return withServedChromium(opts.port, async (browser, url) => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // the page's own defaults: MLP, MNIST, seed 0, the default sweep grid and recipe
    await page.goto(`${url}?model=mlp&data=mnist`);
    await page.getByRole('tab', { name: 'Sweep' }).click();
    const panel = page.locator('section.train-tab[aria-label="Sweep"]');
    await page
      .getByTestId('sweep-stored')
      .filter({ hasText: /\d+ stored/ })
      .waitFor({ timeout: 120_000 });
    const backend = (await page.locator('.backend-badge').innerText()).trim();
    const loadBefore = loadavg();
    const t0 = Date.now();
    await panel.getByRole('button', { name: 'Run sweep' }).click();
    let status = 'running';
    while (Date.now() - t0 < opts.limitMs) {
      status = (await panel.getAttribute('data-sweep-status')) ?? '';
      if (status !== 'running') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (Date.now() - t0) / 1000;
    const loadAfter = loadavg();
    const cells = Number(await panel.getAttribute('data-sweep-cells'));
    if (status === 'running') await panel.getByRole('button', { name: 'Cancel' }).click();
    const pairs = await page
      .locator('table.sweep-table td[data-value]')
      .evaluateAll((tds) =>
        tds.map(
          (td) =>
            [
              `${td.closest('tr')!.getAttribute('data-method')}@${td.getAttribute('data-density')}`,
              Number(td.getAttribute('data-value')),
            ] as const,
        ),
      );
    const note =
      status === 'done' ? '' : status === 'running' ? `stopped after ${opts.limitMs / 1000} s with ${cells} cells` : `ended ${status}`;
    opts.log(`  chromium sweep: ${cells} cells in ${seconds.toFixed(1)} s (${backend}) ${note}`);
    return { seconds, cells, backend, accuracy: Object.fromEntries(pairs), loadBefore, loadAfter, note };
  });
}

/** For bench/suites/browser.ts: the sweep as a row of the combined table. */
export async function sweepRows(opts: { quick: boolean; log: (s: string) => void }): Promise<BenchRow[]> {
  const r = await measureDefaultSweep({ port: 4180, limitMs: opts.quick ? 300_000 : 900_000, log: opts.log });
  const load = `load ${r.loadBefore[0].toFixed(1)} → ${r.loadAfter[0].toFixed(1)}`;
  return [
    {
      env: 'chromium',
      backend: 'wasm',
      case: `default sweep: mlp mnist, 4 methods × 4 densities + dense, 1 epoch (${r.cells} cells, page)`,
      seconds: r.seconds,
      runs: [r.seconds],
      note: [r.backend, load, r.note].filter(Boolean).join('; '),
    },
  ];
}

function printTable(r: SweepBench): void {
  const methods = [...new Set(Object.keys(r.accuracy).map((k) => k.split('@')[0]))];
  const densities = [...new Set(Object.keys(r.accuracy).map((k) => Number(k.split('@')[1])))].filter((d) => d < 1).sort((a, b) => b - a);
  console.log(
    `\nDefault sweep in Chromium (${r.backend}): ${r.cells} cells in ${r.seconds.toFixed(1)} s (${(r.seconds / Math.max(1, r.cells)).toFixed(1)} s per cell); load average ${r.loadBefore[0].toFixed(2)} before, ${r.loadAfter[0].toFixed(2)} after. ${r.note}\n`,
  );
  console.log(`| method | ${densities.map((d) => `${(d * 100).toPrecision(2)}%`).join(' | ')} | dense |`);
  console.log(`|---|${densities.map(() => '---|').join('')}---|`);
  for (const m of methods)
    console.log(
      `| ${m} | ${[...densities, 1].map((d) => (r.accuracy[`${m}@${d}`] !== undefined ? `${(r.accuracy[`${m}@${d}`] * 100).toFixed(2)}%` : '')).join(' | ')} |`,
    );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { 'limit-s': { type: 'string', default: '900' }, port: { type: 'string', default: '4180' } },
    strict: false,
  });
  measureDefaultSweep({ port: Number(values.port), limitMs: Number(values['limit-s']) * 1000, log: (s) => process.stderr.write(`${s}\n`) })
    .then(printTable)
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
