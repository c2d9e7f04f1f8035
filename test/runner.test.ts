// The worker's core-facing part in Node (wasm backend, synthetic data): event order,
// cancellation within a round, tensors freed, path-derived masks equal direct prunes for
// one-shot methods, the exact run of iterative methods equals the CLI's, cache hits, memory guard.
import { describe, expect, it } from 'vitest';
import { runPruneJob } from '../src/core/job';
import { buildModel } from '../src/core/models';
import { initStateDict } from '../src/core/models/state';
import { tf } from '../src/core/tf';
import { DEFAULT_CONFIG, RunConfigSchema, type RunConfig } from '../src/shared/config';
import { type MethodId } from '../src/shared/methods';
import { PATH_FLOOR_DENSITY, type RunEvent } from '../src/shared/protocol';
import type { EndOf } from '../src/shared/requestEnd';
import { openSyntheticOnly, requestData } from '../src/worker/data';
import { coreMetrics } from '../src/worker/metrics';
import { estimateMemory } from '../src/worker/memory';
import { LabRunner } from '../src/worker/runner';
import { openDatasetForCli } from '../src/cli/datasets';
import { balancedSubset } from '../src/core/data/subset';
import { Rng } from '../src/core/rng';

const base: RunConfig = {
  ...DEFAULT_CONFIG,
  model: 'mlp',
  dataset: 'synthetic',
  methods: ['snip'],
  rounds: 4,
  oneShotRounds: 1,
  batchSize: 32,
  examplesPerClass: 2,
  ntkSamples: 4,
};

function collect(): { events: RunEvent[]; emit: (e: RunEvent) => void } {
  const events: RunEvent[] = [];
  return { events, emit: (e) => events.push(e) };
}

/** The CLI's masks for a config (src/cli/prune.ts: same init, same loss batch, same subset). */
async function cliMasks(cfg: RunConfig, method: MethodId, rounds: number): Promise<Map<string, Float32Array>> {
  const model = buildModel(cfg.model);
  const ds = await openSyntheticOnly(cfg.dataset, model, cfg.seed);
  const d = requestData(ds, cfg);
  const res = await runPruneJob({
    model,
    stateDict: initStateDict(model, cfg.seed),
    method,
    density: cfg.density,
    rounds,
    scope: cfg.scope,
    seed: cfg.seed,
    lossData: d.lossData,
    subsetData: d.subsetData,
    batchSize: cfg.batchSize,
  });
  return res.masks;
}

function sameMasks(runner: LabRunner, requestId: number, method: MethodId, expected: Map<string, Float32Array>): void {
  const got = runner.masks(requestId, method);
  expect(got).not.toBeNull();
  for (const m of got!) {
    const want = expected.get(m.name.replace(/_mask$/, ''))!;
    let diff = 0;
    for (let i = 0; i < want.length; i++) if (want[i] !== m.data[i]) diff++;
    expect(diff, `${method} ${m.name}`).toBe(0);
  }
}

describe('LabRunner', () => {
  it('streams events in order: paths (one-shot), exact runs (iterative, no path yet), done; nothing after it', async () => {
    const runner = new LabRunner({ metrics: coreMetrics });
    const { events, emit } = collect();
    const summary = await runner.run({ id: 1, config: { ...base, methods: ['synflow', 'snip'], density: 0.2 } }, emit);
    expect(summary).not.toBeNull();
    const seq = events.map((e) =>
      'phase' in e
        ? `${e.type}:${e.phase}`
        : 'method' in e
          ? `${e.type}:${e.method}`
          : 'summary' in e && e.type === 'result'
            ? `result:${e.summary.method}:${e.summary.source}`
            : e.type === 'end'
              ? `end:${e.outcome}`
              : e.type,
    );
    const compact = seq.filter((s, i) => s !== seq[i - 1]);
    // SynFlow (iterative, off its path floor, no path yet) runs its exact schedule at once; its
    // rounds are kept as the path the slider reads next
    expect(compact).toEqual([
      'start',
      'ntk-dense',
      'method-start:path',
      'round:path',
      'layers:snip',
      'ntk:snip',
      'result:snip:exact',
      // NTKs along the exact run (cheap here) after rounds 1, 2, 3 of 4
      'method-start:exact',
      'round:exact',
      'ntk:synflow',
      'round:exact',
      'ntk:synflow',
      'round:exact',
      'ntk:synflow',
      'round:exact',
      'layers:synflow',
      'ntk:synflow',
      'result:synflow:exact',
      'end:done',
    ]);
    expect(events.filter((e) => e.type === 'ntk').map((e) => e.type === 'ntk' && [e.method, e.source, e.round])).toEqual([
      ['snip', 'exact', null],
      ['synflow', 'exact', 1],
      ['synflow', 'exact', 2],
      ['synflow', 'exact', 3],
      ['synflow', 'exact', null],
    ]);
    const rounds = events.filter((e): e is Extract<RunEvent, { type: 'round' }> => e.type === 'round');
    expect(rounds.filter((r) => r.method === 'synflow' && r.phase === 'path')).toEqual([]);
    // nothing is recorded after `done`: only SNIP's one-shot path is cached
    await runner.idle();
    expect(runner.stats().pathEntries).toBe(1);
    expect(rounds.filter((r) => r.method === 'synflow' && r.phase === 'exact').at(-1)!.density).toBeCloseTo(0.2, 12);
    const r0 = rounds[0];
    expect(r0.keptPerLayer.length).toBe(3);
    expect(r0.widthPerLayer.length).toBe(3);
    expect(summary!.methods.map((m) => [m.method, m.source, m.exactPending])).toEqual([
      ['synflow', 'exact', false],
      ['snip', 'exact', false],
    ]);
    const layers = events.find((e) => e.type === 'layers');
    expect(layers && layers.type === 'layers' && layers.rows.every((r) => r.effectiveWidth !== undefined && r.flops! > 0)).toBe(true);
    for (const m of summary!.methods) {
      expect(m.disconnected).toBe(false);
      expect(m.effectiveDensity).toBeGreaterThan(0);
      expect(m.effectiveDensity).toBeLessThanOrEqual(m.keptFraction);
      expect(m.ntkTraceRatio).toBeGreaterThan(0);
      expect(m.condition).toBeGreaterThanOrEqual(1);
      expect(m.keptFraction).toBeCloseTo(0.2, 3);
    }
    expect(summary!.dense!.eigenvalues.length).toBe(base.ntkSamples * 10);
    // the next density reads a provisional result off the exact run's rounds at once, then runs exactly
    const next = collect();
    await runner.run({ id: 2, config: { ...base, methods: ['synflow', 'snip'], density: 0.3 } }, next.emit);
    const pathResult = next.events.find((e) => e.type === 'result' && e.summary.source === 'path');
    expect(pathResult && pathResult.type === 'result' && pathResult.summary.exactPending).toBe(true);
  });

  it('a slider step right after a run reads the run\u2019s own rounds: the mask after round r at that round\u2019s density, at once', async () => {
    const runner = new LabRunner({ metrics: coreMetrics });
    const cfg: RunConfig = { ...base, methods: ['synflow'], rounds: 6, density: 0.2 };
    const first = collect();
    expect(await runner.run({ id: 1, config: cfg }, first.emit)).not.toBeNull();
    // nothing runs after `done`: the worker is free for the slider
    await runner.idle();
    expect(runner.stats().pathEntries).toBe(0);
    const rounds = first.events.filter((e): e is Extract<RunEvent, { type: 'round' }> => e.type === 'round');
    // independent truth: the exact run's own mask after round 3 (of 6), at that round's density
    const r3 = rounds.find((r) => r.round === 3)!;
    const step = collect();
    const summary = await runner.run({ id: 2, config: { ...cfg, density: r3.density } }, step.emit);
    const firstResult = step.events.find((e) => e.type === 'result');
    // the first answer is provisional, read off the path (no path rounds, no NTK yet), and comes
    // before any exact round
    expect(firstResult?.type === 'result' && [firstResult.summary.source, firstResult.summary.exactPending]).toEqual(['path', true]);
    const firstExactRound = step.events.findIndex((e) => e.type === 'round');
    expect(step.events.indexOf(firstResult!)).toBeLessThan(firstExactRound);
    expect(step.events.some((e) => e.type === 'round' && e.phase === 'path')).toBe(false);
    const provisional = step.events.find((e) => e.type === 'layers' && e.source === 'path');
    expect(provisional?.type === 'layers' && provisional.rows.map((r) => r.kept)).toEqual(r3.keptPerLayer);
    // then the exact answer
    expect(summary!.methods.map((m) => [m.source, m.exactPending])).toEqual([['exact', false]]);
    // below the run's density: the kept weights continue in the last round's score order
    const below = collect();
    await runner.run({ id: 3, config: { ...cfg, density: 0.05 } }, below.emit);
    const lower = below.events.find((e) => e.type === 'result' && e.summary.source === 'path');
    expect(lower?.type === 'result' && lower.summary.keptFraction).toBeCloseTo(0.05, 3);
    await runner.idle();
  });

  it('cancels mid-run within one round, emits nothing stale and frees every tensor', async () => {
    const runner = new LabRunner({ metrics: coreMetrics });
    // the runner keeps nothing on the device between requests: this is the baseline
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const { events, emit } = collect();
    let abortedAt = 0;
    const p = runner.run(
      { id: 7, config: { ...base, methods: ['synflow'], rounds: 20, density: 0.3 } },
      (e) => {
        emit(e);
        if (e.type === 'round' && e.round === 3 && !abortedAt) {
          abortedAt = events.length;
          controller.abort();
        }
      },
      { signal: controller.signal },
    );
    expect(await p).toBeNull();
    await runner.idle();
    const after = events.slice(abortedAt);
    expect(after).toEqual([{ type: 'end', requestId: 7, outcome: 'cancelled' }]);
    expect(events.filter((e) => e.type === 'round').length).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a cancel arriving as a message (another task) stops the run within one round', async () => {
    const runner = new LabRunner();
    let rounds = 0;
    let atCancel = -1;
    const p = runner.run({ id: 9, config: { ...base, methods: ['synflow'], rounds: 200, density: 0.3 } }, (e) => {
      if (e.type === 'round') rounds++;
      if (e.type === 'round' && rounds === 2) {
        setTimeout(() => {
          atCancel = rounds;
          runner.cancel(9);
        }, 0);
      }
    });
    expect(await p).toBeNull();
    expect(atCancel).toBeGreaterThan(0);
    expect(rounds - atCancel).toBeLessThanOrEqual(1);
    await runner.idle();
  });

  it('a newer request supersedes the older one and adopts the path it was recording', async () => {
    const runner = new LabRunner();
    const a = collect();
    const b = collect();
    let pb: Promise<unknown> | null = null;
    // A prunes to the path floor, so it records the path (exact there) that B adopts
    const cfgA: RunConfig = { ...base, methods: ['synflow'], rounds: 8, density: PATH_FLOOR_DENSITY };
    const pa = runner.run({ id: 1, config: cfgA }, (e) => {
      a.emit(e);
      if (e.type === 'round' && e.round === 3 && !pb) pb = runner.run({ id: 2, config: { ...cfgA, density: 0.2 } }, b.emit);
    });
    expect(await pa).toBeNull();
    expect(a.events.at(-1)).toEqual({ type: 'end', requestId: 1, outcome: 'cancelled' });
    const sb = (await pb) as { methods: { source: string }[] } | null;
    expect(sb!.methods[0].source).toBe('exact');
    // the path was not started again: B got A's rounds 1-3 replayed (the same measured times),
    // then the rest live
    const pathRounds = (ev: RunEvent[]) => ev.flatMap((e) => (e.type === 'round' && e.phase === 'path' ? [[e.round, e.elapsedMs]] : []));
    expect(pathRounds(b.events).map(([r]) => r)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(pathRounds(b.events).slice(0, 3)).toEqual(pathRounds(a.events).slice(0, 3));
    await runner.idle();
  });

  it('adopts the path also when the page cancels the old request before sending the new one', async () => {
    const runner = new LabRunner();
    const a = collect();
    const b = collect();
    let pb: Promise<unknown> | null = null;
    // A prunes to the path floor, so it records the path (exact there) that B adopts
    const cfgA: RunConfig = { ...base, methods: ['synflow'], rounds: 8, density: PATH_FLOOR_DENSITY };
    const pa = runner.run({ id: 1, config: cfgA }, (e) => {
      a.emit(e);
      if (e.type === 'round' && e.round === 3 && !pb) {
        // two messages, as the worker gets them from the page: cancel(1), then run(2)
        pb = new Promise((resolve) =>
          setTimeout(() => {
            runner.cancel(1);
            setTimeout(() => resolve(runner.run({ id: 2, config: { ...cfgA, density: 0.2 } }, b.emit)), 0);
          }, 0),
        );
      }
    });
    expect(await pa).toBeNull();
    const sb = (await await pb!) as { methods: { source: string }[] } | null;
    expect(sb!.methods[0].source).toBe('exact');
    const pathRounds = (ev: RunEvent[]) => ev.flatMap((e) => (e.type === 'round' && e.phase === 'path' ? [[e.round, e.elapsedMs]] : []));
    expect(pathRounds(b.events).map(([r]) => r)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(pathRounds(b.events).slice(0, 3)).toEqual(pathRounds(a.events).slice(0, 3));
    await runner.idle();
  });

  for (const scope of ['global', 'local'] as const) {
    it(`path-derived masks equal direct prunes for one-shot methods (${scope})`, async () => {
      const runner = new LabRunner();
      let id = 1;
      let recorded: unknown[] = [];
      const roundsOf = (ev: RunEvent[]) => ev.flatMap((e) => (e.type === 'round' ? [{ ...e, requestId: 0, replay: undefined }] : []));
      for (const density of [0.5, 0.1, 0.02]) {
        const cfg: RunConfig = { ...base, methods: ['snip', 'grasp', 'mag', 'rand'], density, scope };
        const { events, emit } = collect();
        const s = await runner.run({ id, config: cfg }, emit);
        expect(s).not.toBeNull();
        // recorded once, at the first density; read off the path afterwards (its rounds
        // replayed exactly, measured times included: nothing was pruned again)
        if (density === 0.5) recorded = roundsOf(events);
        expect(recorded).toHaveLength(4);
        expect(roundsOf(events)).toEqual(recorded);
        for (const m of cfg.methods) sameMasks(runner, id, m, await cliMasks(cfg, m, 1));
        id++;
      }
    });
  }

  it("on MNIST, reads the same examples as the CLI and gives the CLI's masks (snip, px)", async () => {
    const runner = new LabRunner({ openDataset: (name, model, seed) => openDatasetForCli(name, model, seed) });
    const cfg: RunConfig = { ...base, dataset: 'mnist', methods: ['snip', 'px'], rounds: 2, density: 0.05, examplesPerClass: 3 };
    expect(await runner.run({ id: 5, config: cfg }, () => undefined)).not.toBeNull();
    // exactly src/cli/prune.ts's selection
    const model = buildModel('mlp');
    const ds = await openDatasetForCli('mnist', model, cfg.seed);
    const labels = ds.labels('train');
    const lossData = ds.batch(
      'train',
      Array.from(Rng.derive(cfg.seed, 'loss-batch').permutation(labels.length).subarray(0, Math.min(cfg.batchSize, labels.length))),
    );
    const subsetData = ds.batch('train', balancedSubset(labels, cfg.examplesPerClass));
    for (const [method, rounds] of [
      ['snip', 1],
      ['px', 2],
    ] as const) {
      const res = await runPruneJob({
        model,
        stateDict: initStateDict(model, cfg.seed),
        method,
        density: cfg.density,
        rounds,
        scope: cfg.scope,
        seed: cfg.seed,
        lossData,
        subsetData,
        batchSize: cfg.batchSize,
      });
      sameMasks(runner, 5, method, res.masks);
    }
  });

  it('px-2024 reads the first two batches of the loss shuffle, as px-lab prune does; SNIP in the same request still reads the first', async () => {
    const runner = new LabRunner({ openDataset: (name, model, seed) => openDatasetForCli(name, model, seed) });
    const cfg: RunConfig = { ...base, dataset: 'mnist', methods: ['snip', 'px-2024'], rounds: 2, density: 0.05, batchSize: 16 };
    expect(await runner.run({ id: 6, config: cfg }, () => undefined)).not.toBeNull();
    const model = buildModel('mlp');
    const ds = await openDatasetForCli('mnist', model, cfg.seed);
    const order = Rng.derive(cfg.seed, 'loss-batch').permutation(ds.labels('train').length);
    const job = { model, stateDict: initStateDict(model, cfg.seed), density: cfg.density, scope: cfg.scope, seed: cfg.seed, batchSize: 16 };
    const snip = await runPruneJob({ ...job, method: 'snip', rounds: 1, lossData: ds.batch('train', Array.from(order.subarray(0, 16))) });
    sameMasks(runner, 6, 'snip', snip.masks);
    const px = await runPruneJob({ ...job, method: 'px-2024', rounds: 2, lossData: ds.batch('train', Array.from(order.subarray(0, 32))) });
    sameMasks(runner, 6, 'px-2024', px.masks);
    // and the second batch matters
    const oneBatch = await runPruneJob({
      ...job,
      method: 'px-2024',
      rounds: 2,
      lossData: ds.batch('train', Array.from(order.subarray(0, 16))),
    });
    expect(model.prunable.some((l) => oneBatch.masks.get(l.weight)!.some((v, i) => v !== px.masks.get(l.weight)![i]))).toBe(true);
  });

  it('the exact run of an iterative method equals the CLI (px)', async () => {
    const runner = new LabRunner();
    const cfg: RunConfig = { ...base, methods: ['px'], rounds: 3, density: 0.1 };
    const { events, emit } = collect();
    const s = await runner.run({ id: 3, config: cfg }, emit);
    expect(s!.methods[0].source).toBe('exact');
    // no path yet: the exact schedule at once
    expect(events.filter((e) => e.type === 'result').map((e) => e.type === 'result' && e.summary.source)).toEqual(['exact']);
    sameMasks(runner, 3, 'px', await cliMasks(cfg, 'px', 3));
  });

  it('serves a repeated configuration from the cache', async () => {
    const runner = new LabRunner();
    const cfg: RunConfig = { ...base, methods: ['synflow', 'snip'], density: 0.2 };
    const first = collect();
    await runner.run({ id: 1, config: cfg }, first.emit);
    const { events, emit } = collect();
    const t0 = performance.now();
    const s = await runner.run({ id: 2, config: cfg }, emit);
    expect(performance.now() - t0).toBeLessThan(200);
    // nothing recomputed: the rounds are replayed as they were (so the charts draw the same)
    const rounds = (ev: RunEvent[]) => ev.flatMap((e) => (e.type === 'round' ? [[e.method, e.phase, e.round, e.kept]] : []));
    const byMethod = (r: unknown[][]) => [...r].sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    expect(byMethod(rounds(events))).toEqual(byMethod(rounds(first.events).filter(([m, phase]) => m === 'snip' || phase === 'exact')));
    expect(s!.methods.every((m) => m.cached && m.source === 'exact')).toBe(true);
    expect(runner.stats().resultEntries).toBe(2);
  });

  it('refuses, with the estimate and a suggestion, what would not fit', async () => {
    const runner = new LabRunner({ budgetBytes: () => 2 * 1024 ** 3 });
    const { events, emit } = collect();
    const s = await runner.run({ id: 1, config: { ...base, model: 'vgg16_bn', methods: ['grasp'], batchSize: 512 } }, emit);
    expect(s).toBeNull();
    expect(events.map((e) => e.type === 'end' && e.outcome)).toEqual(['error']);
    const err = events[0] as EndOf<RunEvent, 'error'>;
    expect(err.code).toBe('memory');
    expect(err.estimate!.bytes).toBeGreaterThan(err.estimate!.budgetBytes);
    expect(err.message).toMatch(/batch size of \d+ or less/);
    // the suggestion is right: that batch size fits
    const b = Number(/batch size of (\d+)/.exec(err.message)![1]);
    const smaller = RunConfigSchema.parse({ ...base, model: 'vgg16_bn', methods: ['grasp'], batchSize: b });
    expect(estimateMemory(buildModel('vgg16_bn'), smaller, 2 * 1024 ** 3).fits).toBe(true);
  });

  it('reports an invalid configuration as an error event', async () => {
    const runner = new LabRunner();
    const { events, emit } = collect();
    expect(await runner.run({ id: 1, config: { ...base, density: 2 } }, emit)).toBeNull();
    expect(events).toMatchObject([{ type: 'end', outcome: 'error', code: 'invalid' }]);
    await runner.idle();
    // and data that cannot give what the request asks for is a data error
    const d = collect();
    expect(await runner.run({ id: 2, config: { ...base, dataset: 'mnist' } }, d.emit)).toBeNull();
    expect(d.events).toMatchObject([{ type: 'end', outcome: 'error', code: 'data' }]);
  });
});
