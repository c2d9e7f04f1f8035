// The same configuration gives the same examples and the same masks in the browser (the page's
// worker) and on the command line (npx px-lab prune): the class-balanced scoring subset of 10
// examples per class, SNIP's seeded batch, and the kept count per layer.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { RunConfig } from '../src/shared/config';
import type { RunEvent } from '../src/shared/protocol';
import type { PxLabHook } from '../src/app/dev/testHook';

declare global {
  interface Window {
    __pxlab: PxLabHook;
  }
}

const cfg: Partial<RunConfig> = {
  model: 'mlp',
  dataset: 'mnist',
  methods: ['px', 'snip'],
  rounds: 3,
  oneShotRounds: 1,
  density: 0.05,
  seed: 7,
  examplesPerClass: 10,
  batchSize: 64,
  ntkSamples: 1,
};

test('browser and CLI score the same MNIST examples and keep the same weights', async ({ page }) => {
  await page.goto('/?data=cifar10');
  await page.waitForFunction(() => Boolean(window.__pxlab));
  const events = (await page.evaluate(async (c) => {
    const h = window.__pxlab;
    h.reset();
    await h.run(c);
    return h.lastEvents;
  }, cfg)) as RunEvent[];
  const start = events.find((e) => e.type === 'start');
  if (!start || start.type !== 'start') throw new Error('no start event');
  expect(start.subsetIndices.length).toBe(100);

  const dir = mkdtempSync(join(tmpdir(), 'pxlab-e2e-'));
  for (const [method, rounds] of [
    ['px', 3],
    ['snip', 1],
  ] as const) {
    const summaryFile = join(dir, `${method}.json`);
    execFileSync(
      'npx',
      [
        'px-lab',
        'prune',
        '--arch',
        'mlp',
        '--dataset',
        'mnist',
        '--method',
        method,
        '--density',
        '0.05',
        '--rounds',
        String(rounds),
        '--seed',
        '7',
        '--examples-per-class',
        '10',
        '--batch-size',
        '64',
        '--out',
        join(dir, `${method}.safetensors`),
        '--summary',
        summaryFile,
      ],
      { stdio: 'pipe' },
    );
    const cli = JSON.parse(readFileSync(summaryFile, 'utf8'));
    if (method === 'px') expect(start.subsetIndices).toEqual(cli.subset_indices);
    else expect(start.lossIndices).toEqual(cli.loss_batch_indices);
    // the exact run's layer table in the browser keeps what the CLI kept, layer by layer
    const layers =
      events.filter((e) => e.type === 'layers' && e.method === method && e.source === 'exact').at(-1) ??
      events.filter((e) => e.type === 'layers' && e.method === method).at(-1);
    if (!layers || layers.type !== 'layers') throw new Error(`no layer table for ${method}`);
    expect(layers.rows.map((r) => r.kept)).toEqual(cli.layers.map((l: { kept: number }) => l.kept));
  }
});
