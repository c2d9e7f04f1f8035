// The compute worker in headless Chromium without WebGPU: a run completes on the backend the
// page reports, 50 rapid requests deliver only the last result, a crashed worker restarts on
// the next backend and re-runs the request with a notice. Driven through window.__pxlab.
import { expect, test, type Page } from '@playwright/test';
import type { RunConfig } from '../src/shared/config';
import type { BackendInfo, RunEvent } from '../src/shared/protocol';
import type { PxLabHook } from '../src/app/dev/testHook';
import { rapidRequests } from './rapid-requests';

// The lab page stays idle on CIFAR-10 until files are dropped, so its own runs do not
// supersede the ones these tests make through the same client.
const IDLE_PAGE = '/?data=cifar10';

declare global {
  interface Window {
    __pxlab: PxLabHook;
  }
}

const small: Partial<RunConfig> = {
  model: 'mlp',
  dataset: 'mnist',
  methods: ['snip', 'synflow'],
  rounds: 5,
  density: 0.1,
  examplesPerClass: 2,
  batchSize: 32,
  ntkSamples: 2,
};

async function open(page: Page): Promise<BackendInfo> {
  await page.goto(IDLE_PAGE);
  await page.waitForFunction(() => Boolean(window.__pxlab));
  return page.evaluate(() => window.__pxlab.backend());
}

test('a run completes on the backend the page reports (wasm with threads, cross-origin isolated)', async ({ page }) => {
  const info = await open(page);
  expect(info.crossOriginIsolated).toBe(true);
  expect(info.name).toBe('wasm');
  expect(info.wasm?.simd).toBe(true);
  expect(info.wasm!.threads).toBeGreaterThanOrEqual(1);
  expect(info.label).toMatch(/^wasm · SIMD · \d threads?$/);
  // the lab's own kernels run in the threaded build's shared memory
  expect(info.wasm!.labKernels).toBe(true);
  const wasmProbe = info.probes.find((p) => p.backend === 'wasm')!;
  expect(wasmProbe.ok).toBe(true);
  expect(wasmProbe.maxRelError!).toBeLessThan(2e-3);
  // WebGL is there on SwiftShader: a software renderer, it loses to wasm
  const webgl = info.probes.find((p) => p.backend === 'webgl');
  if (webgl?.ok) expect(webgl.adapter?.software).toBe(true);

  const { summary, events } = await page.evaluate(async (cfg) => {
    const s = await window.__pxlab.run(cfg);
    return { summary: s, events: window.__pxlab.lastEvents };
  }, small);
  expect(summary.backend).toBe(info.name);
  const start = events.find((e) => e.type === 'start') as Extract<RunEvent, { type: 'start' }>;
  expect(start.backend).toBe(info.name);
  expect(start.dataset).toMatch(/MNIST/);
  expect(events.find((e) => e.type === 'backend')).toMatchObject({ info: { name: info.name } });
  expect(events.some((e) => e.type === 'ntk-dense')).toBe(true);
  expect(events.at(-1)).toMatchObject({ type: 'end', outcome: 'done' });
  expect(summary.methods.map((m) => m.method)).toEqual(['snip', 'synflow']);
  for (const m of summary.methods) {
    expect(m.source).toBe('exact');
    expect(m.keptFraction).toBeCloseTo(0.1, 2);
    expect(m.ntkTraceRatio).toBeGreaterThan(0);
  }
});

test('50 rapid requests: only the last result is delivered, tensors back to baseline', ({ page }) => rapidRequests(page));

test('a crashed worker restarts on the next backend and re-runs the request, with a notice', async ({ page }) => {
  const info = await open(page);
  const res = await page.evaluate(
    async (cfg) => {
      const h = window.__pxlab;
      h.reset();
      const run = h.run(cfg);
      // crash while it computes (after its first round)
      while (!h.delivered.some((d) => d.type === 'round')) await new Promise((r) => setTimeout(r, 10));
      await h.simulateFault('crash');
      const summary = await run;
      return {
        summary,
        notices: h.notices,
        backend: await h.backend(),
        rounds: h.lastEvents.flatMap((e) => (e.type === 'round' && e.phase === 'exact' ? [e.round] : [])),
      };
    },
    { ...small, methods: ['synflow'], rounds: 10, dataset: 'synthetic', ntkSamples: 1 } as Partial<RunConfig>,
  );
  expect(res.backend.name).not.toBe(info.name);
  expect(res.backend.excluded).toContain(info.name);
  expect(res.summary.backend).toBe(res.backend.name);
  expect(res.notices.some((n) => /crashed/.test(n.message) && /re-running/.test(n.message))).toBe(true);
  // the re-run started over on the new worker: all 10 exact rounds arrived (no path yet: the
  // exact schedule runs first, the path follows in the background)
  expect(res.rounds.slice(-10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});
