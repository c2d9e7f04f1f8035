// The lab as a user meets it: in headless Chromium on wasm, through the page itself.
// Per zoo model, its default configuration (the page's defaults, MNIST for the MLP and ConvNet,
// synthetic CIFAR-shaped data for ResNet-20 and VGG-16): the time to the first exact result of
// any method and to the complete exact result (all methods), the slider → exact time (one
// keyboard step on the slider, to the next grid density, until the run is done), and the ETA
// error |predicted − actual| / actual of the remaining time at 25%, 50% and 75% of the first run.
// Part of `npm run bench`; alone:
//
//   npx vite build --mode e2e && npx tsx bench/suites/playground.ts [--models mlp,convnet] [--limit-s 300]
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import { withServedChromium } from './serve';
import type { BenchRow } from './node';

const { values: args } = parseArgs({
  options: {
    models: { type: 'string', default: 'mlp,convnet,resnet20,vgg16_bn' },
    'limit-s': { type: 'string', default: '300' },
    port: { type: 'string', default: '4181' },
    /** Extra query fields for every model (e.g. "rounds=100" to time the paper's rounds). */
    query: { type: 'string', default: '' },
  },
  strict: false,
});

const DATA: Record<string, string> = { mlp: 'mnist', convnet: 'mnist', resnet20: 'synthetic', vgg16_bn: 'synthetic' };

interface Sample {
  t: number;
  progress: number;
  etaMs: number | null;
  status: string;
  exactRows: number;
}

export interface PlaygroundRow {
  model: string;
  firstExactMs?: number;
  completeMs?: number;
  sliderExactMs?: number;
  etaError: Array<number | null>;
  note: string;
}

async function sample(page: Page): Promise<Omit<Sample, 't'>> {
  return page.evaluate(() => {
    const s = document.querySelector('[data-testid="run-status"]');
    const grid = document.querySelector('.grid');
    const rows = [...document.querySelectorAll('table.summary tbody tr[data-method]')].filter(
      (r) => r.getAttribute('data-method') !== 'dense' && r.querySelector('td[data-col="kept"]') && !r.hasAttribute('data-provisional'),
    );
    const eta = s?.getAttribute('data-eta-ms');
    return {
      progress: Number(s?.getAttribute('data-progress') ?? 0),
      etaMs: eta ? Number(eta) : null,
      status: grid?.getAttribute('data-run-status') ?? '',
      exactRows: rows.length,
    };
  });
}

/** Poll the page every 200 ms until the run is done (or the limit), recording what it shows. */
async function watch(page: Page, t0: number, limitMs: number): Promise<Sample[]> {
  const out: Sample[] = [];
  for (;;) {
    const s = { t: performance.now() - t0, ...(await sample(page)) };
    out.push(s);
    if (s.status === 'done' || s.status === 'error' || s.t > limitMs) return out;
    await page.waitForTimeout(200);
  }
}

/** |ETA − actual remaining| / actual remaining at fractions of the run's wall time (null: no ETA shown then). */
export function etaErrors(samples: Array<Pick<Sample, 't' | 'etaMs'>>, endMs: number, fractions = [0.25, 0.5, 0.75]): Array<number | null> {
  return fractions.map((f) => {
    const s = samples.find((x) => x.t >= f * endMs);
    if (!s || s.etaMs === null) return null;
    const actual = endMs - s.t;
    return actual > 0 ? Math.abs(s.etaMs - actual) / actual : null;
  });
}

async function benchModel(page: Page, port: number, model: string, limitMs: number, query: string): Promise<PlaygroundRow> {
  const row: PlaygroundRow = { model, etaError: [], note: '' };
  const t0 = performance.now();
  await page.goto(`http://localhost:${port}/?model=${model}&data=${DATA[model]}${query ? `&${query}` : ''}`);
  const samples = await watch(page, t0, limitMs);
  const last = samples[samples.length - 1];
  const methods = await page.locator('table.summary tbody tr[data-method]:not([data-method="dense"])').count();
  row.firstExactMs = samples.find((s) => s.exactRows > 0)?.t;
  if (last.status !== 'done') {
    row.note =
      last.status === 'error'
        ? `error: ${(
            await page
              .locator('.notice.error')
              .first()
              .innerText()
              .catch(() => '')
          ).slice(0, 120)}`
        : `not done after ${limitMs / 1000} s`;
    return row;
  }
  row.completeMs = samples.find((s) => s.exactRows === methods)?.t ?? last.t;
  row.etaError = etaErrors(samples, last.t);
  // the slider: one keyboard step to the next grid density, until that run is done
  const before = Number(await page.locator('.grid').getAttribute('data-run-id'));
  await page.getByRole('slider', { name: 'Sparsity' }).focus();
  const t1 = performance.now();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((id) => Number(document.querySelector('.grid')?.getAttribute('data-run-id')) > id, before);
  const after = await watch(page, t1, limitMs);
  if (after[after.length - 1].status === 'done') row.sliderExactMs = after[after.length - 1].t;
  else row.note = `slider run not done after ${limitMs / 1000} s`;
  return row;
}

export async function measurePlayground(
  models: string[],
  limitMs: number,
  port: number,
  log: (s: string) => void = (s) => process.stderr.write(`${s}\n`),
  query = '',
): Promise<PlaygroundRow[]> {
  return withServedChromium(port, async (browser) => {
    const rows: PlaygroundRow[] = [];
    for (const model of models) {
      // a fresh page per model: nothing cached from the one before
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      try {
        rows.push(await benchModel(page, port, model, limitMs, query));
      } catch (e) {
        rows.push({ model, etaError: [], note: `failed: ${(e as Error).message.split('\n')[0]}` });
      } finally {
        await page.close();
      }
      log(`  playground ${model}: ${JSON.stringify(rows[rows.length - 1])}`);
    }
    return rows;
  });
}

const pctOrDash = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(0)}%`);

/** For bench/suites/run.ts: rows of the combined table. */
export async function playgroundBenches(opts: { quick: boolean; log: (s: string) => void }): Promise<BenchRow[]> {
  const models = opts.quick ? ['mlp', 'convnet'] : ['mlp', 'convnet', 'resnet20', 'vgg16_bn'];
  const rows = await measurePlayground(models, opts.quick ? 120_000 : 300_000, 4181, opts.log);
  const out: BenchRow[] = [];
  for (const r of rows) {
    const note = [
      `page defaults, ${DATA[r.model]}, wasm`,
      `ETA error at 25/50/75%: ${r.etaError.map(pctOrDash).join(' / ') || '—'}`,
      r.note,
    ]
      .filter(Boolean)
      .join('; ');
    const add = (c: string, ms?: number) =>
      ms !== undefined &&
      out.push({ env: 'chromium', backend: 'wasm', case: `${r.model}: ${c}`, seconds: ms / 1000, runs: [ms / 1000], note });
    add('first exact result (page)', r.firstExactMs);
    add('complete exact result, all methods (page)', r.completeMs);
    add('slider step → exact result (page)', r.sliderExactMs);
    if (r.firstExactMs === undefined)
      out.push({ env: 'chromium', backend: 'wasm', case: `${r.model}: first exact result (page)`, seconds: NaN, runs: [], note });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  measurePlayground(String(args.models).split(','), Number(args['limit-s']) * 1000, Number(args.port), undefined, String(args.query))
    .then((rows) => {
      console.log('| model | first exact | complete exact | slider → exact | ETA error 25/50/75% | note |');
      console.log('|---|---|---|---|---|---|');
      const s = (ms?: number) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);
      for (const r of rows)
        console.log(
          `| ${r.model} | ${s(r.firstExactMs)} | ${s(r.completeMs)} | ${s(r.sliderExactMs)} | ${r.etaError.map(pctOrDash).join(' / ')} | ${r.note} |`,
        );
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
