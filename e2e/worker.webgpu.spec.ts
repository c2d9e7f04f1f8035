// The compute worker with --enable-unsafe-webgpu: the WebGPU adapter is SwiftShader, a software
// fallback; it passes the self-check but wasm wins the probe and runs the request. Forced onto
// WebGPU, a lost device restarts the worker on the next backend and re-runs the request.
import { expect, test } from '@playwright/test';
import type { RunConfig } from '../src/shared/config';
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

const tiny: Partial<RunConfig> = {
  model: 'mlp',
  dataset: 'synthetic',
  methods: ['snip'],
  density: 0.1,
  examplesPerClass: 1,
  batchSize: 16,
  ntkSamples: 1,
};

test('WebGPU is reported as SwiftShader (software) and wasm wins the probe', async ({ page }) => {
  await page.goto(IDLE_PAGE);
  await page.waitForFunction(() => Boolean(window.__pxlab));
  const info = await page.evaluate(() => window.__pxlab.backend());
  const gpu = info.probes.find((p) => p.backend === 'webgpu')!;
  expect(gpu.adapter).toMatchObject({ architecture: 'swiftshader', software: true });
  expect(gpu.ok).toBe(true);
  const wasm = info.probes.find((p) => p.backend === 'wasm')!;
  expect(wasm.ok).toBe(true);
  expect(wasm.ms!).toBeLessThan(gpu.ms!);
  expect(info.name).toBe('wasm');
  expect(info.reason).toMatch(/webgpu is a software adapter/);
  // every browser backend computes the probe conv net's loss and gradients (strided conv, the
  // lab's own conv gradient) like the cpu backend
  for (const b of ['webgpu', 'webgl', 'wasm'] as const) {
    const p = info.probes.find((q) => q.backend === b)!;
    expect(p.ok, `${b}: ${p.error}`).toBe(true);
    // float32 on GPUs (WebGL packs and rounds differently): seen ≤ 1.4e-4 here
    expect(p.maxRelError!).toBeLessThan(1e-3);
  }
  const summary = await page.evaluate((cfg) => window.__pxlab.run(cfg), tiny);
  expect(summary.backend).toBe('wasm');
});

test('forced onto WebGPU, a run completes there; a lost device restarts on the next backend', async ({ page }) => {
  await page.goto(IDLE_PAGE);
  await page.waitForFunction(() => Boolean(window.__pxlab));
  const first = await page.evaluate(async (cfg) => {
    const h = window.__pxlab;
    h.useClient({ only: 'webgpu' });
    const info = await h.backend();
    const summary = await h.run(cfg);
    return { info, summary };
  }, tiny);
  expect(first.info.name).toBe('webgpu');
  expect(first.info.label).toBe('WebGPU · SwiftShader (software)');
  expect(first.summary.backend).toBe('webgpu');
  const second = await page.evaluate(
    async (cfg) => {
      const h = window.__pxlab;
      h.reset();
      const run = h.run(cfg);
      setTimeout(() => void h.simulateFault('device-lost'), 200);
      const summary = await run;
      return { summary, notices: h.notices, info: await h.backend() };
    },
    { ...tiny, density: 0.2 },
  );
  expect(second.info.name).not.toBe('webgpu');
  expect(second.info.excluded).toContain('webgpu');
  expect(second.summary.backend).toBe(second.info.name);
  // the run's failing read and the device's `lost` promise race: either reports the restart
  expect(second.notices.some((n) => /WebGPU (device was lost|backend failed)/.test(n.message))).toBe(true);
});

test('with WebGPU flags too, 50 rapid requests deliver only the last result', ({ page }) => rapidRequests(page));
