// Shared by the worker specs with and without WebGPU flags: 50 rapid requests deliver only the
// last result, nothing stale reaches a callback, and tensor counts return to their baseline.
import { expect, type Page } from '@playwright/test';
import type { RunConfig } from '../src/shared/config';
import type { RunSummary } from '../src/shared/protocol';
import type { WorkerStats } from '../src/shared/workerApi';
import type { PxLabHook } from '../src/app/dev/testHook';

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

async function open(page: Page): Promise<void> {
  // the lab page stays idle on CIFAR-10 until files are dropped, so its own runs do not
  // supersede the ones made here through the same client
  await page.goto('/?data=cifar10');
  await page.waitForFunction(() => Boolean(window.__pxlab));
  await page.evaluate(() => window.__pxlab.backend());
}

export async function rapidRequests(page: Page): Promise<void> {
  await open(page);
  // a first run warms the caches (dataset, state dict) and sets the tensor baseline
  await page.evaluate((cfg) => window.__pxlab.run(cfg), small);
  const before = await page.evaluate(() => window.__pxlab.stats());
  const res = await page.evaluate(
    async (cfg) => {
      const h = window.__pxlab;
      h.reset();
      const runs: Promise<{ ok: boolean; density?: number; requestId?: number; error?: string; message?: string }>[] = [];
      for (let i = 0; i < 50; i++) {
        runs.push(
          h.run({ ...cfg, density: 0.5 - i * 0.008 }).then(
            (s: RunSummary) => ({ ok: true, density: s.config.density, requestId: s.requestId }),
            (e: Error) => ({ ok: false, error: e.name, message: e.message }),
          ),
        );
        // some requests reach the worker and start computing before the next supersedes them
        if (i % 5 === 4) await new Promise((r) => setTimeout(r, 30));
      }
      const out = await Promise.all(runs);
      return { out, delivered: h.delivered };
    },
    { ...small, rounds: 20 },
  );
  const ok = res.out.filter((o) => o.ok);
  expect(ok, JSON.stringify(res.out.slice(-3))).toHaveLength(1);
  expect(res.out[49].ok).toBe(true);
  expect(ok[0].density).toBeCloseTo(0.5 - 49 * 0.008, 12);
  expect(res.out.slice(0, 49).every((o) => o.error === 'AbortError')).toBe(true);
  const dones = res.delivered.filter((d) => d.type === 'end' && d.outcome === 'done');
  expect(dones.map((d) => d.requestId)).toEqual([ok[0].requestId]);
  // nothing of a stale request reached a callback after it was superseded: the last request's
  // events come last, and no request's events resume once a newer one has started
  const order = res.delivered.map((d) => d.requestId);
  for (let i = 1; i < order.length; i++) expect(order[i]).toBeGreaterThanOrEqual(order[i - 1]);
  const after: WorkerStats = await page.evaluate(() => window.__pxlab.stats());
  expect(after.tensors).toBe(before.tensors);
}
