// What a request draws depends on the request only: not on the machine's speed, not on what
// earlier requests left in the caches. Each test here failed before its fix:
// NTK points along exact runs depended on a measured time; a slider move emptied one-shot
// methods' rounds; a change of examples per class re-ran every method; a cached result said 0 ms.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../src/shared/config';
import type { RunEvent } from '../src/shared/protocol';
import { resultsJson, withoutTiming } from '../src/app/common/exporters';
import { emptyRun, reduceRun } from '../src/app/common/runView';
import { methodSeries } from '../src/app/common/chartData';
import { coreMetrics } from '../src/worker/metrics';
import { LabRunner, type MetricsAdapter } from '../src/worker/runner';
import { ntkTraceRounds } from '../src/worker/runPlan';

const base: RunConfig = {
  ...DEFAULT_CONFIG,
  model: 'mlp',
  dataset: 'synthetic',
  methods: ['snip', 'synflow'],
  rounds: 4,
  oneShotRounds: 1,
  batchSize: 32,
  examplesPerClass: 2,
  ntkSamples: 4,
  density: 0.2,
};

/** The page's view of a request's events, as JSON without timing, and its drawn round series. */
function drawn(id: number, cfg: RunConfig, events: RunEvent[]) {
  const view = events.reduce(reduceRun, emptyRun(id, cfg));
  const json = withoutTiming(resultsJson(view, 'http://lab/?x')) as { methods: Array<{ rounds: unknown[] }> };
  const series = view.methods.map((m) => [m.method, [...methodSeries(m, view.denseNtk?.trace).points.entries()]]);
  return { json, series, view };
}

async function runOnce(runner: LabRunner, id: number, cfg: RunConfig): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  await runner.run({ id, config: cfg }, (e) => events.push(e));
  return events;
}

/** Metrics whose reported NTK time is `ms` (a slow or a fast machine), numbers unchanged. */
function timedMetrics(ms: number): MetricsAdapter {
  return { ...coreMetrics, ntk: async (job) => ({ ...(await coreMetrics.ntk(job)), ms }) };
}

describe('a request draws the same whatever ran before and however fast', () => {
  it('NTK points along exact runs depend on the request, not on how long the dense NTK took', async () => {
    const fast = await runOnce(new LabRunner({ metrics: timedMetrics(1) }), 1, base);
    const slow = await runOnce(new LabRunner({ metrics: timedMetrics(60_000) }), 1, base);
    const along = (ev: RunEvent[]) =>
      ev.filter((e) => e.type === 'ntk' && e.round !== null).map((e) => e.type === 'ntk' && [e.method, e.round]);
    expect(along(fast)).toEqual([
      ['synflow', 1],
      ['synflow', 2],
      ['synflow', 3],
    ]);
    expect(along(slow)).toEqual(along(fast));
    expect(drawn(1, base, slow).json).toEqual(drawn(1, base, fast).json);
    // the rule itself: by model and rounds only
    expect(ntkTraceRounds({ model: 'mlp' }, 100)).toEqual([25, 50, 75]);
    expect(ntkTraceRounds({ model: 'resnet20' }, 100)).toEqual([]);
    // the ConvNet's NTKs along a run delayed its first complete exact result by seconds
    expect(ntkTraceRounds({ model: 'convnet' }, 100)).toEqual([]);
    expect(ntkTraceRounds({ model: 'mlp' }, 3)).toEqual([]);
  });

  it('after a slider move, one-shot and iterative methods draw and export the rounds a fresh load does', async () => {
    const moved = { ...base, density: 0.3 };
    const runner = new LabRunner({ metrics: coreMetrics });
    await runOnce(runner, 1, base);
    const afterMove = drawn(2, moved, await runOnce(runner, 2, moved));
    const fresh = drawn(1, moved, await runOnce(new LabRunner({ metrics: coreMetrics }), 1, moved));
    // SNIP (one-shot) keeps its round: before the fix, `rounds: []` and no point in the chart
    const snip = afterMove.view.methods.find((m) => m.method === 'snip')!;
    expect(snip.rounds.length).toBe(1);
    expect(afterMove.json).toEqual(fresh.json);
    expect(afterMove.series).toEqual(fresh.series);
    // and the same request again, all from the result cache, still draws the same
    const again = drawn(3, moved, await runOnce(runner, 3, moved));
    expect(again.view.methods.every((m) => m.summary?.cached)).toBe(true);
    expect(again.json).toEqual(fresh.json);
    expect(again.series).toEqual(fresh.series);
  });

  it('changing examples per class re-runs only the methods that read them (PX)', async () => {
    const cfg: RunConfig = { ...base, methods: ['px', 'snip', 'synflow'], density: 0.3 };
    const runner = new LabRunner({ metrics: coreMetrics });
    const first = await runOnce(runner, 1, cfg);
    const second = await runOnce(runner, 2, { ...cfg, examplesPerClass: 3 });
    const results = (ev: RunEvent[]) =>
      ev.flatMap((e) => (e.type === 'result' && !e.summary.exactPending ? [[e.summary.method, e.summary.cached]] : []));
    expect(results(first).sort()).toEqual([
      ['px', false],
      ['snip', false],
      ['synflow', false],
    ]);
    expect(results(second).sort()).toEqual([
      ['px', false],
      ['snip', true],
      ['synflow', true],
    ]);
    // the batch size is read by SNIP (its loss batch) and not by SynFlow (data-free)
    const third = await runOnce(runner, 3, { ...cfg, examplesPerClass: 3, batchSize: 16 });
    expect(results(third).sort()).toEqual([
      ['px', false],
      ['snip', false],
      ['synflow', true],
    ]);
  });

  it('a cached result keeps the time it originally took, marked cached', async () => {
    const runner = new LabRunner({ metrics: coreMetrics });
    const first = await runner.run({ id: 1, config: base }, () => undefined);
    const again = await runner.run({ id: 2, config: base }, () => undefined);
    for (const m of again!.methods) {
      const orig = first!.methods.find((x) => x.method === m.method)!;
      expect(m.cached).toBe(true);
      expect(m.ms).toBe(orig.ms);
    }
    expect(again!.methods.find((m) => m.method === 'synflow')!.ms).toBeGreaterThan(0);
  });
});
