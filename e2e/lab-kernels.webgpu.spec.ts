// The lab's WebGPU programs for BatchNorm (statistics, forward, backward, running statistics) and ReLU, in headless
// Chromium's WebGPU (SwiftShader here): against float64 (test/batchNormReference.ts) on data near
// and far from zero mean, and against tfjs's own Relu and its gradient (NaN, ±0, ±Inf included).
// The page lists the kernels that ran: the lab's programs, not tfjs's operations, must have run.
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { bundlePage } from '../bench/suites/bundlePage';
import type { LabKernelCheck } from './pages/labKernels';

const HTML = '<!doctype html><meta charset="utf-8"><title>lab kernels on WebGPU</title><script type="module" src="page.js"></script>';

test('lab BatchNorm and ReLU programs on WebGPU: float64 within float32 precision, the same numbers as tf.relu', async ({ page }) => {
  test.setTimeout(180_000);
  const js = await bundlePage(join('e2e', 'pages', 'labKernels.ts'));
  await page.route('**/lab-kernels-page/**', (route) =>
    route.request().url().endsWith('page.js')
      ? route.fulfill({ contentType: 'text/javascript', body: js })
      : route.fulfill({ contentType: 'text/html', body: HTML }),
  );
  await page.goto('/lab-kernels-page/index.html');
  await page.waitForFunction(() => '__labKernelCheck' in window);
  const r = await page.evaluate(() => (window as unknown as { __labKernelCheck: () => Promise<LabKernelCheck> }).__labKernelCheck());
  console.log(`lab kernels webgpu: ${JSON.stringify(r.errors)}; kernels ${r.kernels.join(', ')}`);
  expect(r.backend).toBe('webgpu');
  for (const k of ['PxBatchNormMoments', 'PxBatchNormForward', 'PxBatchNormBackward', 'PxRelu', 'PxReluGrad', 'PxBatchNormRunning'])
    expect(r.kernels).toContain(k);
  expect(r.reluSame).toBe(true);
  expect(r.reluGradSame).toBe(true);
  expect(r.leaked).toBe(0);
  for (const [k, e] of Object.entries(r.errors)) expect(e, k).toBeLessThan(TOLERANCE[k.split('@')[0]]);
});

/** Relative L2 bounds, as the wasm kernels' test (test/wasm-kernels.batchnorm.test.ts); measured
 * on SwiftShader: at most 4.4e-5 (dγ, mean 1000), 3.6e-6 (y), under 2e-7 elsewhere. */
const TOLERANCE: Record<string, number> = {
  mean: 1e-6,
  variance: 1e-5,
  y: 1e-4,
  dx: 1e-4,
  dgamma: 1e-4,
  dbeta: 1e-6,
  // one float32 rounding (2⁻²³): a fused multiply-add rounds once where torch rounds twice
  running: 2 ** -23,
};
