// One table of field facts: every boundary takes a field's range from it. A link clamps into the
// page's range, the page's and the worker's schemas accept exactly that range, and the run schemas
// (plan files, px-lab) the run range; the learning rate is one range everywhere.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, RunConfigSchema } from './config';
import { FIELD_FACTS, rangeOf, rangeText, type FieldName } from './fields';
import { DEFAULT_RECIPE, TrainRecipeSchema } from './train';
import { DEFAULT_TRAIN_SETTINGS, TrainSettingsSchema } from './trainSettings';
import { DEFAULT_URL_STATE, parseUrlState, serializeUrlState, URL_FIELDS } from './urlState';

/** URL keys of the fields the table describes. */
const URL_KEY: Partial<Record<FieldName, keyof typeof DEFAULT_URL_STATE>> = {
  density: 'density',
  rounds: 'rounds',
  oneShotRounds: 'oneShotRounds',
  seed: 'seed',
  examplesPerClass: 'examplesPerClass',
  pruneBatch: 'batchSize',
  ntkSamples: 'ntkSamples',
  epochs: 'epochs',
  steps: 'steps',
  lr: 'lr',
  trainBatch: 'trainBatch',
  weightDecay: 'weightDecay',
  sweepSeeds: 'sweepSeeds',
};

describe('the field table', () => {
  it('the URL table takes every number field’s label and page range from it', () => {
    for (const [name, key] of Object.entries(URL_KEY) as Array<[FieldName, keyof typeof DEFAULT_URL_STATE]>) {
      const f = URL_FIELDS.find((u) => u.key === key)!;
      const fact = FIELD_FACTS[name];
      expect(f, name).toMatchObject({ label: fact.label, kind: fact.integer ? 'int' : 'number', ...rangeOf(fact, 'page') });
    }
  });

  it('a link clamps to the page range, and the page schemas accept exactly its ends', () => {
    for (const [name, key] of Object.entries(URL_KEY) as Array<[FieldName, keyof typeof DEFAULT_URL_STATE]>) {
      const { min, max } = rangeOf(FIELD_FACTS[name], 'page');
      const param = URL_FIELDS.find((u) => u.key === key)!.param;
      const over = parseUrlState(
        `${serializeUrlState(DEFAULT_URL_STATE)}`.replace(new RegExp(`(^|&)${param}=[^&]*`), `$1${param}=${max * 2 + 1}`),
      );
      expect(over.state[key], name).toBe(max);
      const schema = key in DEFAULT_CONFIG ? RunConfigSchema : TrainSettingsSchema;
      const base = key in DEFAULT_CONFIG ? DEFAULT_CONFIG : DEFAULT_TRAIN_SETTINGS;
      for (const v of [min, max]) expect(schema.safeParse({ ...base, [key]: v }).success, `${name} ${v}`).toBe(true);
      expect(schema.safeParse({ ...base, [key]: max * 2 + 1 }).success, name).toBe(false);
    }
  });

  it('the learning rate: one fact; runs take px-lab’s range (up to 100), the page offers up to 10', () => {
    const { min, max } = rangeOf(FIELD_FACTS.lr, 'run');
    expect({ min, max }).toEqual({ min: 1e-6, max: 100 });
    expect(rangeOf(FIELD_FACTS.lr, 'page')).toEqual({ min, max: 10 });
    expect(TrainRecipeSchema.safeParse({ ...DEFAULT_RECIPE, lr: max }).success).toBe(true);
    expect(TrainRecipeSchema.safeParse({ ...DEFAULT_RECIPE, lr: max * 1.5 }).success).toBe(false);
    expect(TrainRecipeSchema.safeParse({ ...DEFAULT_RECIPE, lr: min / 2 }).success).toBe(false);
    expect(TrainSettingsSchema.safeParse({ ...DEFAULT_TRAIN_SETTINGS, lr: 10 }).success).toBe(true);
    expect(TrainSettingsSchema.safeParse({ ...DEFAULT_TRAIN_SETTINGS, lr: 15 }).success).toBe(false);
    expect(rangeText(FIELD_FACTS.lr, 'run')).toBe('a number in [0.000001, 100]');
    expect(rangeText(FIELD_FACTS.rounds, 'run')).toBe('an integer in 1..10000');
  });
});
