// wasm threads in the page: cross-origin isolated (vite preview sends COOP/COEP) the backend
// badge shows one thread per logical core and the numbers do not depend on the thread count;
// served without those headers (stripped here by a route on the document) it falls back to one
// thread and says why.
import { expect, test, type Page } from '@playwright/test';
import type { RunConfig } from '../src/shared/config';
import type { MethodId } from '../src/shared/methods';
import type { BackendInfo, RunSummary } from '../src/shared/protocol';
import type { PxLabHook } from '../src/app/dev/testHook';

declare global {
  interface Window {
    __pxlab: PxLabHook;
  }
}

const IDLE_PAGE = '/?data=cifar10';

async function open(page: Page): Promise<{ info: BackendInfo; cores: number; isolated: boolean }> {
  await page.goto(IDLE_PAGE);
  await page.waitForFunction(() => Boolean(window.__pxlab));
  return page.evaluate(async () => ({
    info: await window.__pxlab.backend(),
    cores: navigator.hardwareConcurrency,
    isolated: self.crossOriginIsolated,
  }));
}

test('cross-origin isolated: wasm runs one thread per logical core and the badge says how many', async ({ page }) => {
  const { info, cores, isolated } = await open(page);
  expect(isolated).toBe(true);
  expect(info.crossOriginIsolated).toBe(true);
  expect(info.name).toBe('wasm');
  const want = Math.min(8, cores);
  expect(info.wasm!.threads).toBe(want);
  // the lab's own kernels get as many threads (helper workers sharing tfjs's memory)
  expect(info.wasm!.labKernels).toBe(true);
  expect(info.wasm!.kernelThreads).toBe(want);
  if (cores > 1) {
    expect(info.wasm!.threads).toBeGreaterThan(1);
    expect(info.wasm!.threadsReason).toBeUndefined();
  }
  expect(info.label).toBe(
    `wasm · SIMD · ${want} thread${want === 1 ? '' : 's'}${want === 1 ? ` (${info.wasm!.threadsReason!.split(':')[0]})` : ''}`,
  );
  await expect(page.getByTestId('backend')).toHaveText(info.label);
  await expect(page.getByTestId('isolation')).toHaveText(/^Isolation: headers/);
});

// no headers and no service worker (blocked, as in some private windows): the page says so
test.describe('without isolation', () => {
  test.use({ serviceWorkers: 'block' });
  test('not cross-origin isolated: one thread, and the reason is shown', async ({ page }) => {
    // the document without COOP/COEP: no SharedArrayBuffer, so tfjs cannot start threads
    await page.route(
      (url) => url.pathname === '/',
      async (route) => {
        const response = await route.fetch();
        const headers = { ...response.headers() };
        delete headers['cross-origin-opener-policy'];
        delete headers['cross-origin-embedder-policy'];
        await route.fulfill({ response, headers });
      },
    );
    const { info, isolated } = await open(page);
    expect(isolated).toBe(false);
    expect(info.crossOriginIsolated).toBe(false);
    expect(info.name).toBe('wasm');
    expect(info.wasm!.threads).toBe(1);
    expect(info.wasm!.threadsReason).toMatch(
      /^not cross-origin isolated: .*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/,
    );
    expect(info.label).toBe('wasm · SIMD · 1 thread (not cross-origin isolated)');
    await expect(page.getByTestId('backend')).toHaveText(info.label);
    // the sentence under the badge names the headers to send
    expect(info.reason).toContain(info.wasm!.threadsReason!);
    await expect(page.locator('.field.backend .hint').first()).toContainText('Cross-Origin-Embedder-Policy: require-corp');
    // the reasons are shown whole, never cut with an ellipsis
    for (const hint of await page.locator('.field.backend .hint').all()) {
      const { client, scroll } = await hint.evaluate((e) => ({ client: e.clientHeight, scroll: e.scrollHeight }));
      expect(client).toBeGreaterThanOrEqual(scroll);
    }
    await expect(page.getByTestId('isolation')).toHaveAttribute('data-mode', 'none');
    await expect(page.getByTestId('isolation')).toHaveText(
      /^Isolation: none — no COOP\/COEP headers from the server, and the service worker could not register/,
    );
  });
});

test('the thread count does not change the numbers (ResNet-20, PX and SNIP on 1 and 2 threads)', async ({ page }) => {
  await page.goto(IDLE_PAGE);
  await page.waitForFunction(() => Boolean(window.__pxlab));
  const config: Partial<RunConfig> = {
    model: 'resnet20',
    dataset: 'synthetic',
    methods: ['px', 'snip'] as MethodId[],
    rounds: 2,
    oneShotRounds: 1,
    density: 0.2,
    examplesPerClass: 1,
    batchSize: 16,
    ntkSamples: 1,
    seed: 5,
  };
  const runOn = (threads: number) =>
    page.evaluate(
      async ({ threads, config }) => {
        window.__pxlab.useClient({ only: 'wasm', wasmThreads: threads });
        const info = await window.__pxlab.backend();
        const summary: RunSummary = await window.__pxlab.run(config);
        const layers = window.__pxlab.lastEvents.flatMap((e) =>
          e.type === 'round' ? [`${e.method} ${e.phase} ${e.round}: ${e.keptPerLayer.join(',')}`] : [],
        );
        return { threads: info.wasm!.threads, kernelThreads: info.wasm!.kernelThreads, summary, layers };
      },
      { threads, config },
    );
  const one = await runOn(1);
  const two = await runOn(2);
  expect(one.threads).toBe(1);
  expect(two.threads).toBe(2);
  expect([one.kernelThreads, two.kernelThreads]).toEqual([1, 2]);
  expect(two.summary.methods.map((m) => m.method)).toEqual(['px', 'snip']);
  // XNNPACK splits work between threads by output tiles and the lab's kernels by output channels,
  // images or rows, so each sum stays on one thread: every
  // round keeps the same weights in every layer, and the NTK trace ratio is bit-identical
  expect(one.layers.length).toBeGreaterThanOrEqual(3);
  expect(two.layers).toEqual(one.layers);
  for (const [i, m] of one.summary.methods.entries()) {
    expect(m.ntkTraceRatio).toBeGreaterThan(0);
    expect(two.summary.methods[i].ntkTraceRatio).toBe(m.ntkTraceRatio);
  }
});
