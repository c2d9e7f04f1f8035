// The density scan in Node (wasm backend, synthetic data): a one-shot method's point at the page
// density equals the run's own summary (the path's mask there is the direct prune); one point per
// seed × method × density; a repeat is served from the cache with the same numbers; a newer scan
// supersedes an older one; every tensor is freed.
import { describe, expect, it } from 'vitest';
import { tf } from '../core/tf';
import { aggregate, scanDensities, type DensityScanEvent } from '../shared/densityScan';
import { SMALL_MLP_RUN, ranRunner } from './analysis.testutil';
import { coreMetrics } from './metrics';
import { DensityScanner } from './densityScan';
import { LabRunner, pathFloor } from './runner';

const cfg = SMALL_MLP_RUN;

describe('DensityScanner', () => {
  it('reads every method of every seed off its path, matching the run where the path is exact', async () => {
    const { runner, summary } = await ranRunner(cfg);
    const tensorsBefore = tf.memory().numTensors;
    const scanner = new DensityScanner(runner, coreMetrics);
    const events: DensityScanEvent[] = [];
    const points = await scanner.run({ id: 1, config: cfg, seeds: 2 }, (e) => events.push(e));
    expect(points).not.toBeNull();
    const perSeed = scanDensities(cfg, 'snip', pathFloor).length + scanDensities(cfg, 'synflow', pathFloor).length;
    expect(points!.length).toBe(2 * perSeed);
    expect(events.map((e) => e.type)).toEqual(['scan-start', 'scan-points', 'scan-points', 'scan-points', 'scan-points', 'end']);
    expect(events.at(-1)).toMatchObject({ outcome: 'done' });

    const snipRun = summary!.methods.find((m) => m.method === 'snip')!;
    const snipPoint = points!.find((p) => p.method === 'snip' && p.seed === cfg.seed && p.density === cfg.density)!;
    expect(snipPoint.source).toBe('exact');
    // same mask, same NTK inputs, same dense NTK: the same numbers, bit for bit
    expect(snipPoint.ntkTraceRatio).toBe(snipRun.ntkTraceRatio);
    expect(snipPoint.condition).toBe(snipRun.condition);
    expect(snipPoint.effectiveDensity).toBe(snipRun.effectiveDensity);
    expect(snipPoint.collapsedLayers).toBe(snipRun.collapsedLayers);
    expect(snipPoint.keptFraction).toBe(snipRun.keptFraction);
    // SynFlow off its floor is read off the path and labelled so
    expect(points!.find((p) => p.method === 'synflow' && p.density === cfg.density)!.source).toBe('path');
    // the second seed gives other numbers (other weights, other batch)
    const other = points!.find((p) => p.method === 'snip' && p.seed === cfg.seed + 1 && p.density === cfg.density)!;
    expect(other.ntkTraceRatio).not.toBe(snipPoint.ntkTraceRatio);
    expect(aggregate(points!, 'ntkTraceRatio').every((a) => a.n === 2)).toBe(true);

    // a repeat: from the cache, the same numbers
    const again = await scanner.run({ id: 2, config: cfg, seeds: 2 }, () => undefined);
    expect(again).toEqual(points);
    await runner.idle();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('a newer scan supersedes an older one (cancelled, nothing after)', async () => {
    const runner = new LabRunner({ metrics: coreMetrics });
    const scanner = new DensityScanner(runner, coreMetrics);
    const first: DensityScanEvent[] = [];
    const a = scanner.run({ id: 1, config: { ...cfg, seed: 5 }, seeds: 1 }, (e) => first.push(e));
    const b = scanner.run({ id: 2, config: { ...cfg, methods: ['snip'], seed: 5 }, seeds: 1 }, () => undefined);
    expect(await a).toBeNull();
    expect(first.at(-1)).toEqual({ type: 'end', requestId: 1, outcome: 'cancelled' });
    expect((await b)!.every((p) => p.method === 'snip')).toBe(true);
    await runner.idle();
  });
});
