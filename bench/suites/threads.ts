// wasm thread scaling in headless Chromium (dedicated worker, cross-origin isolated): one PX,
// SNIP and SynFlow round on ResNet-20, the dense NTK (n = 8) and one training step (ResNet-20,
// batch 128, SGD, synthetic images), on 1 and on 2 threads (or --threads 1,2,4), alternating,
// best of --repeats. Part of `npm run bench`; alone:
//
//   npx vite build --mode e2e && npx tsx bench/suites/threads.ts [--threads 1,2] [--repeats 2] [--port 4180]
//
// Inputs as in the side-by-side reference (sidebyside.py): 12 images per class (120) for PX,
// one batch of 128 for SNIP, one all-ones input for SynFlow. Per-round times are differences
// of the rounds' elapsed times after the first round (the first includes the warm-up).
import { parseArgs } from 'node:util';
import type { RunConfig } from '../../src/shared/config';
import type { RunEvent, TrainEvent } from '../../src/shared/protocol';
import { DEFAULT_RECIPE, type SweepPlan } from '../../src/shared/train';
import type { PxLabHook } from '../../src/app/dev/testHook';
import { withServedChromium } from './serve';

declare global {
  interface Window {
    __pxlab: PxLabHook;
  }
}

export interface ThreadRun {
  threads: number;
  label: string;
  /** Best per-round seconds by method (min over rounds after the first and over repeats). */
  round: Record<'px' | 'snip' | 'synflow', number>;
  ntkSeconds: number;
  /** Best seconds per training step (ResNet-20, batch 128), from the gaps between streamed steps. */
  trainStepSeconds: number;
}

const config: Partial<RunConfig> = {
  model: 'resnet20',
  dataset: 'synthetic',
  methods: ['px', 'snip', 'synflow'],
  rounds: 3,
  oneShotRounds: 2,
  density: 0.5,
  examplesPerClass: 12,
  batchSize: 128,
  ntkSamples: 8,
};

/** A dense ResNet-20 trained for a few steps at batch 128. The Train section evaluates the test set
 * 8 times a line (every 2 steps here); perStep leaves out the gaps with an evaluation in them. */
const trainPlan: SweepPlan = {
  version: 1,
  arch: 'resnet20',
  dataset: 'synthetic',
  methods: [],
  densities: [],
  seeds: [0],
  dense: true,
  rounds: 1,
  oneShotRounds: 1,
  scope: 'global',
  examplesPerClass: 10,
  pruneBatchSize: 128,
  ablation: 'none',
  recipe: { ...DEFAULT_RECIPE, steps: 16 },
};

/** Seconds per step: the smallest gap between consecutive streamed step batches with no test
 * evaluation between them, per step in the later one (the first includes warm-up). */
function perStep(events: Array<{ t: number; e: TrainEvent }>): number {
  const gaps: number[] = [];
  let last: number | null = null;
  for (const { t, e } of events) {
    if (e.type === 'train-eval') last = null;
    if (e.type !== 'train-steps') continue;
    if (last !== null) gaps.push((t - last) / e.points.length);
    last = t;
  }
  return gaps.length > 1 ? Math.min(...gaps.slice(1)) / 1000 : NaN;
}

function perRound(events: RunEvent[], method: string): number {
  // the first phase that ran this method's rounds (the page runs iterative methods exactly first, one-shot ones on their path)
  const rounds = events.flatMap((e) => (e.type === 'round' && e.method === method ? [e] : []));
  const elapsed = rounds.filter((e) => e.phase === rounds[0]?.phase).map((e) => e.elapsedMs);
  const diffs = elapsed.slice(1).map((t, i) => t - elapsed[i]);
  return Math.min(...(diffs.length ? diffs : elapsed)) / 1000;
}

export async function threadScaling(opts: {
  threads: number[];
  repeats: number;
  port: number;
  log: (s: string) => void;
}): Promise<ThreadRun[]> {
  const best = new Map<number, ThreadRun>();
  return withServedChromium(opts.port, async (browser, url) => {
    const page = await browser.newPage();
    // tsx (esbuild, keepNames) wraps functions in __name(); the page has no such helper
    await page.addInitScript('globalThis.__name = (f) => f;');
    await page.goto(`${url}?data=cifar10`);
    await page.waitForFunction(() => Boolean(window.__pxlab));
    for (let rep = 0; rep < opts.repeats; rep++) {
      for (const threads of opts.threads) {
        const r = await page.evaluate(
          async ({ threads, cfg, plan }) => {
            window.__pxlab.useClient({ only: 'wasm', wasmThreads: threads, probeTimeoutMs: 120_000 });
            const info = await window.__pxlab.backend();
            await window.__pxlab.run(cfg);
            const events = window.__pxlab.lastEvents;
            const trained = await window.__pxlab.train(plan);
            return { label: info.label, got: info.wasm?.threads ?? 0, events, trainEvents: trained.events };
          },
          { threads, cfg: { ...config, seed: rep }, plan: trainPlan },
        );
        if (r.got !== threads) throw new Error(`asked for ${threads} wasm threads, got ${r.got} (${r.label})`);
        const dense = r.events.find((e) => e.type === 'ntk-dense');
        const run: ThreadRun = {
          threads,
          label: r.label,
          round: { px: perRound(r.events, 'px'), snip: perRound(r.events, 'snip'), synflow: perRound(r.events, 'synflow') },
          ntkSeconds: dense && dense.type === 'ntk-dense' ? dense.ntk.ms / 1000 : NaN,
          trainStepSeconds: perStep(r.trainEvents),
        };
        opts.log(
          `  chromium wasm ${threads} thread(s): PX ${run.round.px.toFixed(3)} s, SNIP ${run.round.snip.toFixed(3)} s, SynFlow ${run.round.synflow.toFixed(3)} s, NTK ${run.ntkSeconds.toFixed(3)} s, train step ${run.trainStepSeconds.toFixed(3)} s`,
        );
        const b = best.get(threads);
        best.set(
          threads,
          b
            ? {
                ...b,
                round: {
                  px: Math.min(b.round.px, run.round.px),
                  snip: Math.min(b.round.snip, run.round.snip),
                  synflow: Math.min(b.round.synflow, run.round.synflow),
                },
                ntkSeconds: Math.min(b.ntkSeconds, run.ntkSeconds),
                trainStepSeconds: Math.min(b.trainStepSeconds, run.trainStepSeconds),
              }
            : run,
        );
      }
    }
    return opts.threads.map((t) => best.get(t)!);
  });
}

export function scalingTable(runs: ThreadRun[]): string {
  const one = runs.find((r) => r.threads === 1);
  const x = (a: number, b?: number) => (b ? ` (${(b / a).toFixed(2)}×)` : '');
  return [
    '| wasm threads (Chromium) | PX round | SNIP round | SynFlow round | NTK n=8 | train step (batch 128) |',
    '|---|---|---|---|---|---|',
    ...runs.map(
      (r) =>
        `| ${r.threads} | ${r.round.px.toFixed(3)} s${x(r.round.px, one?.round.px)} | ${r.round.snip.toFixed(3)} s${x(r.round.snip, one?.round.snip)} | ${r.round.synflow.toFixed(3)} s${x(r.round.synflow, one?.round.synflow)} | ${r.ntkSeconds.toFixed(3)} s${x(r.ntkSeconds, one?.ntkSeconds)} | ${r.trainStepSeconds.toFixed(3)} s${x(r.trainStepSeconds, one?.trainStepSeconds)} |`,
    ),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      threads: { type: 'string', default: '1,2' },
      repeats: { type: 'string', default: '2' },
      port: { type: 'string', default: '4180' },
    },
    strict: false,
  });
  threadScaling({
    threads: String(values.threads).split(',').map(Number),
    repeats: Number(values.repeats),
    port: Number(values.port),
    log: (s) => process.stderr.write(`${s}\n`),
  })
    .then((runs) => console.log(scalingTable(runs)))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
