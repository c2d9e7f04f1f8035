// Per-model page defaults: a link without a field gets its model's default, a link
// with every field keeps its meaning, and picking a model moves only the fields still at the old
// model's defaults.
import { describe, expect, it } from 'vitest';
import { MODEL_NAMES } from './models';
import { MODEL_OPTIONS, pageDefaults } from './models';
import { DEFAULT_URL_STATE, MODEL_DEFAULT_KEYS, parseUrlState, serializeUrlState, withModel } from './urlState';

describe('per-model page defaults', () => {
  it('every page model has defaults, shown in its picker hint', () => {
    for (const m of MODEL_NAMES) {
      const d = pageDefaults(m);
      expect(d.rounds).toBeGreaterThanOrEqual(1);
      expect(MODEL_OPTIONS.find((o) => o.id === m)!.cost).toContain(`${d.rounds} rounds, batch ${d.batchSize}`);
    }
  });

  it('a link that names only the model gets that model’s defaults', () => {
    const r = parseUrlState('?model=resnet20&data=synthetic');
    expect(r.notices).toEqual([]);
    const d = pageDefaults('resnet20');
    expect([r.state.rounds, r.state.batchSize, r.state.ntkSamples]).toEqual([d.rounds, d.batchSize, d.ntkSamples]);
    expect(d).not.toEqual(pageDefaults('mlp'));
  });

  it('a full link keeps every value, whatever the model’s defaults (old links keep their meaning)', () => {
    const old = {
      ...DEFAULT_URL_STATE,
      model: 'resnet20' as const,
      dataset: 'synthetic' as const,
      rounds: 20,
      batchSize: 128,
      ntkSamples: 8,
    };
    const back = parseUrlState(serializeUrlState(old)).state;
    expect([back.rounds, back.batchSize, back.ntkSamples]).toEqual([20, 128, 8]);
    // given fields win over the model's defaults one by one
    expect(parseUrlState('?model=resnet20&rounds=100').state.rounds).toBe(100);
    expect(parseUrlState('?model=resnet20&rounds=100').state.batchSize).toBe(pageDefaults('resnet20').batchSize);
  });

  it('the default page state is the default model’s defaults', () => {
    for (const k of MODEL_DEFAULT_KEYS) expect(DEFAULT_URL_STATE[k]).toBe(pageDefaults(DEFAULT_URL_STATE.model)[k]);
  });

  it('picking a model moves fields still at the old defaults and keeps chosen ones', () => {
    const moved = withModel(DEFAULT_URL_STATE, 'resnet20');
    const d = pageDefaults('resnet20');
    expect([moved.model, moved.rounds, moved.batchSize, moved.ntkSamples]).toEqual(['resnet20', d.rounds, d.batchSize, d.ntkSamples]);
    const chosen = withModel({ ...DEFAULT_URL_STATE, rounds: 7 }, 'resnet20');
    expect([chosen.rounds, chosen.batchSize]).toEqual([7, d.batchSize]);
    // sweep seeds: 3 on the MLP, 1 on the conv nets (models.ts), a chosen count kept
    expect([pageDefaults('mlp').sweepSeeds, pageDefaults('convnet').sweepSeeds, d.sweepSeeds]).toEqual([3, 1, 1]);
    expect(moved.sweepSeeds).toBe(1);
    expect(withModel({ ...DEFAULT_URL_STATE, sweepSeeds: 5 }, 'resnet20').sweepSeeds).toBe(5);
    // and back: a round trip through another model restores the defaults
    expect(withModel(moved, 'mlp')).toEqual({ ...DEFAULT_URL_STATE });
    expect(withModel(DEFAULT_URL_STATE, 'mlp')).toBe(DEFAULT_URL_STATE);
  });
});
