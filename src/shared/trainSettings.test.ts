import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config';
import { DEFAULT_TRAIN_SETTINGS, sweepKey, sweepPlanOf } from './trainSettings';

describe('sweepKey (the IndexedDB key of stored sweep cells)', () => {
  const plan = sweepPlanOf(DEFAULT_CONFIG, DEFAULT_TRAIN_SETTINGS);
  it('differs when the weights differ, so cells trained from other weights are never reused', () => {
    const init = sweepKey(plan, 'wasm', 'init');
    expect(sweepKey(plan, 'wasm', 'pretrained:mlp-mnist')).not.toBe(init);
    expect(sweepKey(plan, 'wasm', `file:${'a'.repeat(64)}:w.safetensors`)).not.toBe(init);
    expect(sweepKey(plan, 'cpu', 'init')).not.toBe(init);
  });
  it('ignores the grid and the seeds (cells are found by their own method, density and seed)', () => {
    expect(sweepKey({ ...plan, methods: ['snip'], densities: [0.5], seeds: [3], dense: false }, 'wasm', 'init')).toBe(
      sweepKey(plan, 'wasm', 'init'),
    );
  });
});
