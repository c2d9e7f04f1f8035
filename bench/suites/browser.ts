// Browser benchmark of the compute worker, per tfjs backend headless Chromium offers (here:
// webgpu and webgl on SwiftShader, wasm, cpu; on a machine with a GPU: hardware WebGPU): one PX
// round and one NTK on ResNet-20 at 100 images, and the slider's response when the mask is read
// off the recorded pruning path. Part of `npm run bench`; alone:
//
//   npx vite build --mode e2e && npx tsx bench/suites/browser.ts [--backends wasm,cpu] [--limit-s 300] [--ntk 8]
//
// Inputs are synthetic 3×32×32 images (CIFAR-10's shape; CIFAR-10 itself comes from user files),
// 10 per class = 100 images for PX in one batch. Each backend runs in its own worker, forced with
// `only`; a backend that exceeds the limit is reported as such. Prints a markdown table.
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import { withServedChromium } from './serve';
import type { RunConfig } from '../../src/shared/config';
import type { BackendInfo, BackendName, RunEvent } from '../../src/shared/protocol';
import type { PxLabHook } from '../../src/app/dev/testHook';
import type { BenchRow } from './node';
import { sweepRows } from './browserSweep';

declare global {
  interface Window {
    __pxlab: PxLabHook;
  }
}

const { values: args } = parseArgs({
  options: {
    backends: { type: 'string', default: 'webgpu,webgl,wasm,cpu' },
    'limit-s': { type: 'string', default: '300' },
    ntk: { type: 'string', default: '8' },
    port: { type: 'string', default: '4179' },
  },
  strict: false,
});
let backends = String(args.backends).split(',') as BackendName[];
let limitMs = Number(args['limit-s']) * 1000;
const port = Number(args.port);

const config: Partial<RunConfig> = {
  model: 'resnet20',
  dataset: 'synthetic',
  methods: ['px'],
  rounds: 1,
  density: 0.1,
  examplesPerClass: 10,
  batchSize: 100,
  ntkSamples: Number(args.ntk),
  seed: 0,
};

interface Row {
  backend: BackendName;
  label: string;
  probeMs?: number;
  ntkMs?: number;
  pxRoundMs?: number;
  sliderLayersMs?: number;
  sliderResultMs?: number;
  note: string;
}

async function benchBackend(page: Page, backend: BackendName): Promise<Row> {
  await page.goto(`http://localhost:${port}/?data=cifar10`);
  await page.waitForFunction(() => Boolean(window.__pxlab));
  const info: BackendInfo | string = await page.evaluate(async (b) => {
    window.__pxlab.useClient({ only: b, probeTimeoutMs: 120_000 });
    return window.__pxlab.backend().catch((e: Error) => e.message);
  }, backend);
  if (typeof info === 'string') return { backend, label: '—', note: `unavailable: ${info.slice(0, 120)}` };
  const probe = info.probes.find((p) => p.backend === backend);
  const row: Row = { backend, label: info.label, probeMs: probe?.ms, note: '' };

  // 1. a run records the path (one PX round) after the dense NTK
  const first = await page.evaluate(
    async ({ cfg, limit }) => {
      const h = window.__pxlab;
      h.reset();
      const run = h.run(cfg).then(
        () => 'done',
        (e: Error) => `error: ${e.message}`,
      );
      const outcome = await Promise.race([run, new Promise<string>((r) => setTimeout(() => r('limit'), limit))]);
      if (outcome === 'limit') h.cancel();
      return { outcome, events: h.lastEvents, notices: h.notices.map((n) => n.message) };
    },
    { cfg: config, limit: limitMs },
  );
  const ev = first.events as RunEvent[];
  // a backend that fails mid-run is replaced by the next one: its numbers are not this backend's
  const ran = ev.filter((e) => e.type === 'start').map((e) => (e.type === 'start' ? e.backend : backend));
  if (ran.some((b) => b !== backend))
    return { ...row, note: `failed on ${backend} (${first.notices.join(' ').slice(0, 160)}); the client fell back to ${ran.at(-1)}` };
  const dense = ev.find((e) => e.type === 'ntk-dense');
  if (dense && dense.type === 'ntk-dense') row.ntkMs = dense.ntk.ms;
  const round = ev.find((e) => e.type === 'round');
  if (round && round.type === 'round') row.pxRoundMs = round.elapsedMs;
  if (first.outcome !== 'done') {
    row.note = first.outcome === 'limit' ? `stopped after ${limitMs / 1000} s` : first.outcome;
    return row;
  }

  // 2. the slider moves: the mask at the new density is read off the path
  const slider = await page.evaluate(
    async ({ cfg, limit }) => {
      const h = window.__pxlab;
      h.reset();
      const t0 = performance.now();
      const run = h.run({ ...cfg, density: 0.3 }).catch(() => undefined);
      const end = performance.now() + limit;
      while (!h.delivered.some((d) => d.type === 'result') && performance.now() < end) await new Promise((r) => setTimeout(r, 5));
      const at = (type: string) => h.delivered.find((d) => d.type === type)?.t;
      await run;
      return {
        layers: (at('layers') ?? NaN) - t0,
        result: (at('result') ?? NaN) - t0,
        rounds: h.delivered.filter((d) => d.type === 'round').length,
      };
    },
    { cfg: config, limit: limitMs },
  );
  row.sliderLayersMs = slider.layers;
  row.sliderResultMs = slider.result;
  if (slider.rounds) row.note = `slider recomputed ${slider.rounds} rounds`;
  return row;
}

const fmt = (ms?: number) =>
  ms === undefined || Number.isNaN(ms) ? '—' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;

async function measure(): Promise<Row[]> {
  return withServedChromium(
    port,
    async (browser) => {
      const rows: Row[] = [];
      for (const b of backends) {
        const page = await browser.newPage();
        // tsx (esbuild, keepNames) wraps functions in __name(); the page has no such helper
        await page.addInitScript('globalThis.__name = (f) => f;');
        const t0 = Date.now();
        try {
          rows.push(await benchBackend(page, b));
        } catch (e) {
          rows.push({ backend: b, label: '—', note: `failed: ${(e as Error).message.split('\n')[0]}` });
        } finally {
          await page.close();
        }
        process.stderr.write(`${b}: ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
      }
      return rows;
    },
    { webgpu: true },
  );
}

function printTable(rows: Row[]): void {
  console.log(
    `\nResNet-20 (270,896 prunable weights), synthetic 3×32×32; PX on 100 images (10 per class, one batch); NTK on ${config.ntkSamples} inputs (${config.ntkSamples! * 10}×${config.ntkSamples! * 10} Θ); headless Chromium, dedicated worker\n`,
  );
  console.log('| backend | label | probe | NTK | PX round | slider → layers (path) | slider → result (+NTK) | note |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.backend} | ${r.label} | ${fmt(r.probeMs)} | ${fmt(r.ntkMs)} | ${fmt(r.pxRoundMs)} | ${fmt(r.sliderLayersMs)} | ${fmt(r.sliderResultMs)} | ${r.note} |`,
    );
}

/** For bench/suites/run.ts: the same measurements as rows of the combined table. */
export async function browserBenches(opts: { quick: boolean; log: (s: string) => void }): Promise<BenchRow[]> {
  // software WebGPU/WebGL take minutes per ResNet-20 round here: capped, and skipped when quick
  if (opts.quick) backends = ['wasm'];
  limitMs = opts.quick ? 120_000 : 180_000;
  const rows = await measure();
  const out: BenchRow[] = [];
  for (const r of rows) {
    const env = 'chromium' as const;
    const note = [r.label, r.note].filter(Boolean).join('; ');
    opts.log(
      `  chromium ${r.backend}: probe ${fmt(r.probeMs)}, NTK ${fmt(r.ntkMs)}, PX round ${fmt(r.pxRoundMs)}, slider ${fmt(r.sliderLayersMs)} ${r.note}`,
    );
    if (r.pxRoundMs !== undefined)
      out.push({
        env,
        backend: r.backend,
        case: 'px round, resnet20, 100 images (worker)',
        seconds: r.pxRoundMs / 1000,
        runs: [r.pxRoundMs / 1000],
        note,
      });
    if (r.ntkMs !== undefined)
      out.push({
        env,
        backend: r.backend,
        case: `NTK (n=${config.ntkSamples}) resnet20 (worker)`,
        seconds: r.ntkMs / 1000,
        runs: [r.ntkMs / 1000],
        note,
      });
    if (r.sliderLayersMs !== undefined && !Number.isNaN(r.sliderLayersMs))
      out.push({
        env,
        backend: r.backend,
        case: 'slider → layer table from the pruning path',
        seconds: r.sliderLayersMs / 1000,
        runs: [r.sliderLayersMs / 1000],
        note,
      });
    if (r.sliderResultMs !== undefined && !Number.isNaN(r.sliderResultMs))
      out.push({
        env,
        backend: r.backend,
        case: 'slider → full result incl. NTK',
        seconds: r.sliderResultMs / 1000,
        runs: [r.sliderResultMs / 1000],
        note,
      });
    if (r.pxRoundMs === undefined && r.ntkMs === undefined)
      out.push({ env, backend: r.backend, case: 'worker run', seconds: NaN, runs: [], note });
  }
  // the page's default sweep (bench/suites/browserSweep.ts)
  try {
    out.push(...(await sweepRows(opts)));
  } catch (e) {
    opts.log(`  chromium sweep failed: ${(e as Error).message.split('\n')[0]}`);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  measure()
    .then(printTable)
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
