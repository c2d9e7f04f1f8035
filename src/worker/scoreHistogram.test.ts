// Score histograms in Node (wasm, synthetic data): the kept weights counted equal the run's, and
// the global threshold splits the |score| axis (SNIP's scores are ≥ 0: no kept weight at or below
// it, no pruned one above it); a repeat comes from the cache.
import { describe, expect, it } from 'vitest';
import { tf } from '../core/tf';
import { SMALL_MLP_RUN, ranRunner } from './analysis.testutil';
import { ScoreHistograms } from './scoreHistogram';

const cfg = SMALL_MLP_RUN;

describe('ScoreHistograms', () => {
  it('bins every weight with the mask of the deciding round; the threshold separates kept from pruned', async () => {
    const { runner, summary } = await ranRunner(cfg);
    const before = tf.memory().numTensors;
    const hist = new ScoreHistograms(runner);
    const out = await hist.run({ id: 1, config: cfg }, () => undefined);
    expect(out!.map((h) => h.method)).toEqual(['snip', 'synflow']);
    for (const h of out!) {
      const kept = h.bins.reduce((a, b) => a + b.kept, 0) + h.zeros.kept;
      const all = kept + h.bins.reduce((a, b) => a + b.pruned, 0) + h.zeros.pruned;
      expect(all).toBe(h.total);
      expect(kept, h.method).toBe(summary!.methods.find((m) => m.method === h.method)!.kept);
      expect(h.round).toBe(h.rounds);
      expect(h.negative).toBe(0);
      expect(h.threshold).not.toBeNull();
      const t = Math.log10(h.threshold!);
      for (const b of h.bins) {
        if (b.lo > t) expect(b.pruned, `${h.method} bin above the threshold`).toBe(0);
        if (b.hi < t) expect(b.kept, `${h.method} bin below the threshold`).toBe(0);
      }
    }
    expect(await hist.run({ id: 2, config: cfg }, () => undefined)).toEqual(out);
    expect(tf.memory().numTensors).toBe(before);
  });
});
