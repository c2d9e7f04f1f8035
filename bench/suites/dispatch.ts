// WebGPU dispatches per pruning round (each costs launch overhead on a GPU). For one round of px-2024, px, synflow and
// snip on ResNet-20 it counts the tfjs kernels (tf.profile) on Node wasm, and on tfjs-backend-webgpu
// the compute dispatches, GPU → CPU reads and queue submits (bench/suites/dispatchCounter.ts): in headless
// Chromium (--enable-unsafe-webgpu; SwiftShader here, so counts only, not speed) and in Node via
// Dawn when the optional `webgpu` package is installed (a GPU machine). Counts do not depend on
// the batch size (checked with --images: same counts at 8 and 16). Part of `npm run bench`; alone:
//   npx tsx bench/suites/dispatch.ts [--images 8] [--methods px-2024,px] [--no-browser] [--out bench/measured/dispatches.json]
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { useBackend } from '../../src/core/backend';
import { tf } from '../../src/core/tf';
import type { MethodId } from '../../src/shared/methods';
import { COUNT_METHODS, countRound, countTable, type RoundCount } from './dispatchRound';
import { countTrainStep, type StepCount } from './dispatchStep';
import { bundlePage } from './bundlePage';
import type { PageResult } from './dispatchPage';

const here = dirname(fileURLToPath(import.meta.url));

export interface GpuRun {
  env: string;
  adapter: string;
  rows: RoundCount[];
  /** one ResNet-20 training step */
  step?: StepCount;
}

export interface DispatchReport {
  date: string;
  images: number;
  wasm: RoundCount[];
  /** one ResNet-20 training step's tfjs kernels (Node wasm) */
  wasmStep?: StepCount;
  webgpu: GpuRun[];
  /** why a WebGPU run is missing */
  skipped: string[];
}

function serve(js: string, port: number): Promise<Server> {
  const html = '<!doctype html><meta charset="utf-8"><title>dispatch count</title><script type="module" src="/dispatch.js"></script>';
  const server = createServer((req, res) => {
    const isJs = req.url === '/dispatch.js';
    res.writeHead(200, { 'content-type': isJs ? 'text/javascript' : 'text/html' });
    res.end(isJs ? js : html);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function chromiumCounts(
  methods: MethodId[],
  images: number,
  port: number,
  limitMs: number,
  log: (s: string) => void,
): Promise<GpuRun> {
  const { chromium } = await import('@playwright/test');
  const server = await serve(await bundlePage(join(here, 'dispatchPage.ts')), port);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--enable-unsafe-webgpu',
      '--enable-features=Vulkan',
    ],
  });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(limitMs);
    page.on('console', (m) => log(`  chromium: ${m.text()}`));
    await page.goto(`http://localhost:${port}/`);
    await page.waitForFunction(() => Boolean((window as unknown as { __dispatch?: unknown }).__dispatch));
    const res = (await page.evaluate(
      ([m, n]) =>
        (window as unknown as { __dispatch: (m: string[], n: number) => Promise<unknown> }).__dispatch(m as string[], n as number),
      [methods, images] as const,
    )) as PageResult;
    return { env: 'chromium', adapter: res.adapter, rows: res.rows, step: res.step };
  } finally {
    await browser.close();
    server.close();
  }
}

/** Node + Dawn (the optional `webgpu` package): only where it is installed and finds an adapter. */
async function dawnCounts(methods: MethodId[], images: number): Promise<GpuRun> {
  await import('./gpu-setup');
  await import('@tensorflow/tfjs-backend-webgpu');
  await useBackend('webgpu');
  const { installDispatchCounter } = await import('./dispatchCounter');
  const counter = installDispatchCounter();
  const rows: RoundCount[] = [];
  for (const m of methods) rows.push(await countRound(m, images, counter));
  const step = await countTrainStep(images, counter);
  const info = (tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } }).adapterInfo;
  return { env: 'node-dawn', adapter: [info?.vendor, info?.architecture].filter(Boolean).join(' ') || 'Dawn adapter', rows, step };
}

export async function dispatchBench(opts: {
  images?: number;
  methods?: MethodId[];
  /** Methods counted on WebGPU in Chromium (SwiftShader takes minutes per ResNet-20 round); default: all of `methods`. */
  browserMethods?: MethodId[];
  browser?: boolean;
  dawn?: boolean;
  port?: number;
  limitS?: number;
  log: (s: string) => void;
}): Promise<DispatchReport> {
  const images = opts.images ?? 8;
  const methods = opts.methods ?? COUNT_METHODS;
  const report: DispatchReport = { date: new Date().toISOString(), images, wasm: [], webgpu: [], skipped: [] };
  await useBackend('wasm');
  for (const m of methods) {
    const r = await countRound(m, images);
    opts.log(`  node wasm ${m}: ${r.kernelsRound} kernels per round (${r.kernelsScore} in score), tensors leaked ${r.tensorLeak}`);
    report.wasm.push(r);
  }
  report.wasmStep = await countTrainStep(images);
  opts.log(`  node wasm training step: ${report.wasmStep.kernels} kernels, tensors leaked ${report.wasmStep.tensorLeak}`);
  if (opts.browser !== false) {
    try {
      const run = await chromiumCounts(
        opts.browserMethods ?? methods,
        images,
        opts.port ?? Number(process.env.PXLAB_PORT ?? 4192),
        (opts.limitS ?? 900) * 1000,
        opts.log,
      );
      for (const r of run.rows)
        opts.log(`  chromium webgpu ${r.method}: ${r.round?.dispatches} dispatches, ${r.round?.reads} reads per round`);
      opts.log(`  chromium webgpu training step: ${run.step?.gpu?.dispatches} dispatches, ${run.step?.gpu?.reads} reads`);
      report.webgpu.push(run);
    } catch (e) {
      report.skipped.push(`chromium webgpu: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (opts.dawn !== false) {
    try {
      report.webgpu.push(await dawnCounts(methods, images));
    } catch (e) {
      report.skipped.push(`node dawn: ${(e as Error).message.split('\n')[0]} (needs \`npm install --no-save webgpu\` and a GPU)`);
    }
  }
  for (const s of report.skipped) opts.log(`  skipped ${s}`);
  return report;
}

export function dispatchMarkdown(r: DispatchReport): string {
  const parts = [`Node wasm, tfjs kernels (backend-independent), ResNet-20, ${r.images} images per batch:\n\n${countTable(r.wasm, false)}`];
  if (r.wasmStep) parts.push(`One training step (second step, masked, SGD with momentum): ${r.wasmStep.kernels} tfjs kernels.`);
  for (const g of r.webgpu) {
    parts.push(`${g.env} WebGPU (${g.adapter}), ${r.images} images per batch:\n\n${countTable(g.rows, true)}`);
    if (g.step?.gpu)
      parts.push(
        `One training step on ${g.env} WebGPU: ${g.step.gpu.dispatches} dispatches, ${g.step.gpu.reads} reads, ${g.step.gpu.submits} submits.`,
      );
  }
  if (r.skipped.length) parts.push(`Not counted: ${r.skipped.join('; ')}.`);
  return parts.join('\n\n');
}

async function main() {
  const { values } = parseArgs({
    options: {
      images: { type: 'string', default: '8' },
      methods: { type: 'string' },
      'no-browser': { type: 'boolean' },
      out: { type: 'string' },
      port: { type: 'string' },
      'limit-s': { type: 'string', default: '900' },
    },
  });
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const report = await dispatchBench({
    images: Number(values.images),
    methods: values.methods ? (values.methods.split(',') as MethodId[]) : undefined,
    browser: !values['no-browser'],
    port: values.port ? Number(values.port) : undefined,
    limitS: Number(values['limit-s']),
    log,
  });
  if (values.out) writeFileSync(values.out, `${JSON.stringify(report, null, 1)}\n`);
  console.log(dispatchMarkdown(report));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
