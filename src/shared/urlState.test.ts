import { pretrainedFor } from './pretrained';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DENSITY_GRID, RunConfigSchema } from './config';
import { METHOD_NAMES } from './methods';
import {
  DEFAULT_URL_STATE,
  MAX_NOTICES,
  URL_FIELDS,
  configOf,
  parseUrlState,
  sameUrlState,
  serializeUrlState,
  trainSettingsOf,
  type UrlState,
} from './urlState';
import { ABLATIONS, LR_SCHEDULES } from './train';
import { TrainSettingsSchema } from './trainSettings';

/** The 20 malformed links of the acceptance test (e2e/app.spec.ts opens the same list). */
const MALFORMED: Array<[string, string, Partial<UrlState>]> = [
  ['wrong type: density text', '?density=lots', { density: DEFAULT_URL_STATE.density }],
  ['wrong type: seed text', '?seed=abc&model=resnet20', { seed: 0, model: 'resnet20' }],
  ['wrong type: rounds float', '?rounds=2.5', { rounds: 3 }],
  ['out of range: density 0', '?density=0', { density: 0.001 }],
  ['out of range: density 5', '?density=5&data=synthetic', { density: 1, dataset: 'synthetic' }],
  ['out of range: negative seed', '?seed=-7', { seed: 0 }],
  ['out of range: huge rounds', '?rounds=1e9', { rounds: 1000 }],
  ['out of range: epc 0', '?epc=0', { examplesPerClass: 1 }],
  ['unknown method', '?methods=px,foo,synflow', { methods: ['px', 'synflow'] }],
  ['only unknown methods', '?methods=evil,,,', { methods: DEFAULT_URL_STATE.methods }],
  ['unknown model', '?model=gpt5&data=mnist', { model: DEFAULT_URL_STATE.model, dataset: 'mnist' }],
  ['unknown dataset', '?data=imagenet', { dataset: DEFAULT_URL_STATE.dataset }],
  ['unknown field', '?model=convnet&colour=red', { model: 'convnet' }],
  ['very long value', `?seed=${'9'.repeat(5000)}`, { seed: DEFAULT_URL_STATE.seed }],
  ['very long query', `?model=vgg16_bn&x=${'a'.repeat(10000)}`, { model: 'vgg16_bn' }],
  ['script tag', '?model=%3Cscript%3Ealert(1)%3C%2Fscript%3E&seed=3', { model: DEFAULT_URL_STATE.model, seed: 3 }],
  ['script tag in methods', '?methods=px,<img src=x onerror=alert(1)>', { methods: ['px'] }],
  ['NaN and Infinity', '?density=NaN&seed=Infinity', { density: DEFAULT_URL_STATE.density, seed: 0 }],
  ['prototype pollution', '?__proto__=x&constructor=y&scope=local', { scope: 'local' }],
  ['bad percent-encoding and duplicates', '?seed=%E0%A4%A&seed=5&scope=sideways&snap=maybe', { scope: 'global', snap: true }],
];

describe('parseUrlState', () => {
  it('reads an empty link as the defaults, without notices', () => {
    for (const s of ['', '?', 'http://localhost:4173/', 'http://localhost:4173/?']) {
      const r = parseUrlState(s);
      expect(r.notices).toEqual([]);
      expect(sameUrlState(r.state, DEFAULT_URL_STATE)).toBe(true);
    }
  });

  it('reads a full link', () => {
    const r = parseUrlState(
      '?v=1&model=resnet20&data=synthetic&methods=synflow,px&density=0.01801&rounds=20&oneshot=2&scope=local&seed=42&epc=5&batch=64&ntk=4&snap=0',
    );
    expect(r.notices).toEqual([]);
    // every field the link names, as read; every other field (view, training) at its default
    expect(r.state).toEqual({
      ...DEFAULT_URL_STATE,
      model: 'resnet20',
      dataset: 'synthetic',
      methods: ['px', 'synflow'],
      density: 0.01801,
      rounds: 20,
      oneShotRounds: 2,
      scope: 'local',
      seed: 42,
      examplesPerClass: 5,
      batchSize: 64,
      ntkSamples: 4,
      snap: false,
      // a field the link leaves out takes its model's default (one sweep seed on ResNet-20)
      sweepSeeds: 1,
    });
  });

  it('reads the view: per-layer metric and open section', () => {
    const r = parseUrlState('?lm=width&tab=sweep');
    expect(r.notices).toEqual([]);
    expect([r.state.layerMetric, r.state.tab]).toEqual(['width', 'sweep']);
    expect(parseUrlState(`?${serializeUrlState(r.state)}`).state).toEqual(r.state);
    expect(parseUrlState('?lm=bars').notices.length).toBe(1);
  });

  it('reads the Metrics section: its view, sweep seeds and compared run, round-tripping', () => {
    const r = parseUrlState('?tab=metrics&mview=compare&mseeds=3&cmp=17&pin=12&lm=width');
    expect(r.notices).toEqual([]);
    expect([r.state.tab, r.state.metricsView, r.state.scanSeeds, r.state.compare, r.state.pin, r.state.layerMetric]).toEqual([
      'metrics',
      'compare',
      3,
      17,
      12,
      'width',
    ]);
    expect(parseUrlState(`?${serializeUrlState(r.state)}`).state).toEqual(r.state);
    // out of range or unknown: clamped or the default, with a notice each
    const bad = parseUrlState('?mview=spectrum&mseeds=40&cmp=-2');
    expect([bad.state.metricsView, bad.state.scanSeeds, bad.state.compare]).toEqual(['sweep', 5, 0]);
    expect(bad.notices).toHaveLength(3);
  });

  it('reads the Train and Sweep settings', () => {
    const r = parseUrlState(
      '?train=1&tbudget=steps&epochs=3&steps=500&lr=0.05&sched=cosine&tbatch=64&wd=0.0005&aug=1&ablation=reinit&dense=0&sweep=1&sdens=1,0.1,0.3&smethods=synflow,px&sseeds=3',
    );
    expect(r.notices).toEqual([]);
    expect(trainSettingsOf(r.state)).toEqual({
      trainOnOpen: true,
      budget: 'steps',
      epochs: 3,
      steps: 500,
      lr: 0.05,
      schedule: 'cosine',
      trainBatch: 64,
      weightDecay: 0.0005,
      augment: true,
      ablation: 'reinit',
      dense: false,
      sweepOnOpen: true,
      sweepDensities: [1, 0.3, 0.1],
      sweepMethods: ['px', 'synflow'],
      sweepSeeds: 3,
      impRewind: 0,
    });
  });

  it('clamps or drops bad Train and Sweep values with a notice each, keeping the good ones', () => {
    const r = parseUrlState('?epochs=0&lr=abc&sched=weird&tbatch=64&sdens=0.5,foo,0.5,2&smethods=px,bogus&sseeds=99&tbudget=hours&wd=-1');
    expect(r.state.epochs).toBe(1);
    expect(r.state.lr).toBe(DEFAULT_URL_STATE.lr);
    expect(r.state.schedule).toBe(DEFAULT_URL_STATE.schedule);
    expect(r.state.trainBatch).toBe(64);
    // 0.5 kept once, "foo" dropped, 2 clamped to 1; largest first
    expect(r.state.sweepDensities).toEqual([1, 0.5]);
    expect(r.state.sweepMethods).toEqual(['px']);
    expect(r.state.sweepSeeds).toBe(10);
    expect(r.state.budget).toBe('epochs');
    expect(r.state.weightDecay).toBe(0);
    expect(r.notices.length).toBe(MAX_NOTICES);
    expect(TrainSettingsSchema.safeParse(trainSettingsOf(r.state)).success).toBe(true);
    const only = parseUrlState('?sdens=x,y');
    expect(only.state.sweepDensities).toEqual(DEFAULT_URL_STATE.sweepDensities);
    expect(only.notices.join(' ')).toMatch(/Sweep densities/);
    const many = parseUrlState(`?sdens=${Array.from({ length: 15 }, (_, i) => (i + 1) / 100).join(',')}`);
    expect(many.state.sweepDensities).toHaveLength(12);
    expect(many.notices.join(' ')).toMatch(/more than 12/);
  });

  it.each(MALFORMED)('%s: keeps the valid fields, defaults the rest, says so', (_name, url, expected) => {
    const r = parseUrlState(url);
    expect(r.notices.length).toBeGreaterThan(0);
    expect(r.notices.length).toBeLessThanOrEqual(MAX_NOTICES);
    for (const n of r.notices) expect(n.length).toBeLessThan(200);
    expect(RunConfigSchema.safeParse(configOf(r.state)).success).toBe(true);
    for (const [k, v] of Object.entries(expected)) expect(r.state[k as keyof UrlState]).toEqual(v);
    // fields not named in the link keep their defaults
    expect(Object.prototype.hasOwnProperty.call(r.state, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('has 20 malformed cases', () => expect(MALFORMED).toHaveLength(20));

  it('never echoes more than a short quote of a hostile value', () => {
    const r = parseUrlState(`?model=${encodeURIComponent('<script>' + 'x'.repeat(100) + '</script>')}`);
    expect(r.notices.join(' ')).not.toContain('x'.repeat(30));
  });

  it('caps the number of notices', () => {
    const r = parseUrlState(Array.from({ length: 30 }, (_, i) => `junk${i}=1`).join('&'));
    expect(r.notices).toHaveLength(MAX_NOTICES);
    expect(r.notices[MAX_NOTICES - 1]).toMatch(/more problems/);
  });

  it('never throws and always returns a valid state (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const r = parseUrlState(s);
        expect(RunConfigSchema.safeParse(configOf(r.state)).success).toBe(true);
      }),
      { numRuns: 500 },
    );
    const keyValue = fc.tuple(fc.constantFrom(...URL_FIELDS.map((f) => f.param), 'v', 'junk'), fc.string({ maxLength: 30 }));
    fc.assert(
      fc.property(fc.array(keyValue, { maxLength: 8 }), (pairs) => {
        const r = parseUrlState(pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'));
        expect(RunConfigSchema.safeParse(configOf(r.state)).success).toBe(true);
        expect(TrainSettingsSchema.safeParse(trainSettingsOf(r.state)).success).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('serializeUrlState', () => {
  const stateArb: fc.Arbitrary<UrlState> = fc
    .record({
      model: fc.constantFrom('mlp', 'convnet', 'resnet20', 'vgg16_bn'),
      dataset: fc.constantFrom('mnist', 'fashion-mnist', 'cifar10', 'synthetic'),
      methods: fc.subarray([...METHOD_NAMES], { minLength: 1 }),
      density: fc.oneof(fc.double({ min: 0.001, max: 1, noNaN: true }), fc.constantFrom(...DENSITY_GRID, 1, 0.001)),
      rounds: fc.integer({ min: 1, max: 1000 }),
      oneShotRounds: fc.integer({ min: 1, max: 1000 }),
      scope: fc.constantFrom('global', 'local'),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      examplesPerClass: fc.integer({ min: 1, max: 100 }),
      batchSize: fc.integer({ min: 1, max: 512 }),
      ntkSamples: fc.integer({ min: 1, max: 32 }),
      snap: fc.boolean(),
      layerMetric: fc.constantFrom('density' as const, 'width' as const),
      tab: fc.constantFrom('prune' as const, 'train' as const, 'sweep' as const, 'transfer' as const, 'metrics' as const),
      pin: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })),
      metricsView: fc.constantFrom('sweep' as const, 'scores' as const, 'compare' as const),
      scanSeeds: fc.integer({ min: 1, max: 5 }),
      compare: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })),
      trainOnOpen: fc.boolean(),
      budget: fc.constantFrom('epochs', 'steps'),
      epochs: fc.integer({ min: 1, max: 1000 }),
      steps: fc.integer({ min: 1, max: 1_000_000 }),
      lr: fc.double({ min: 1e-6, max: 10, noNaN: true }),
      schedule: fc.constantFrom(...LR_SCHEDULES),
      trainBatch: fc.integer({ min: 1, max: 4096 }),
      weightDecay: fc.double({ min: 0, max: 0.1, noNaN: true }),
      augment: fc.boolean(),
      ablation: fc.constantFrom(...ABLATIONS),
      dense: fc.boolean(),
      sweepOnOpen: fc.boolean(),
      // the link keeps sweep densities largest first, each once; the page writes 4 significant digits
      sweepDensities: fc
        .uniqueArray(
          fc.double({ min: 0.001, max: 1, noNaN: true }).map((x) => Number(x.toPrecision(4))),
          { minLength: 1, maxLength: 12 },
        )
        .map((a) => a.sort((x, y) => y - x)),
      sweepMethods: fc.subarray([...METHOD_NAMES], { minLength: 1 }),
      sweepSeeds: fc.integer({ min: 1, max: 10 }),
      impRewind: fc.integer({ min: 0, max: 7 }),
      weights: fc.constantFrom('init', 'pretrained', `file:${'0f'.repeat(32)}:ckpt (2).safetensors`),
    })
    // a link's checkpoint is one of its model's (another model's is refused with a notice)
    .map((s) => ({
      ...s,
      weights: s.weights === 'pretrained' ? (pretrainedFor(s.model)[0] ? `pretrained:${pretrainedFor(s.model)[0].id}` : 'init') : s.weights,
    })) as fc.Arbitrary<UrlState>;

  it('round-trips: parse(serialize(s)) == s, with no notice (property)', () => {
    fc.assert(
      fc.property(stateArb, (s) => {
        const r = parseUrlState(`?${serializeUrlState(s)}`);
        expect(r.notices).toEqual([]);
        expect(r.state).toEqual(s);
      }),
      { numRuns: 1000 },
    );
  });

  it('writes every field, readable and stable', () => {
    expect(serializeUrlState(DEFAULT_URL_STATE)).toBe(
      'v=1&model=mlp&data=mnist&methods=px-2024,snip,synflow&density=0.1074&rounds=20&oneshot=1&scope=global&seed=0&epc=10&batch=128&ntk=8&snap=1' +
        '&train=0&tbudget=epochs&epochs=1&steps=200&lr=0.1&sched=multistep&tbatch=128&wd=0.0001&aug=0&ablation=none&dense=1&sweep=0&sdens=0.1,0.032,0.01,0.0032&smethods=px-2024,snip,synflow,rand&sseeds=3&weights=init&lm=density&tab=prune&pin=0&mview=sweep&mseeds=1&cmp=0',
    );
  });

  it('the table covers every field of the state', () => {
    expect(URL_FIELDS.map((f) => f.key).sort()).toEqual(Object.keys(DEFAULT_URL_STATE).sort());
  });
});

describe('weights= (a bad value gets a notice like every other field)', () => {
  it('refuses an unknown checkpoint and another model’s, naming what the model has', () => {
    const nope = parseUrlState('?model=mlp&weights=pretrained:nope');
    expect(nope.state.weights).toBe('init');
    expect(nope.notices).toEqual(['Weights: there is no pretrained checkpoint “nope” (mlp has mlp-mnist); using init.']);
    const other = parseUrlState('?model=mlp&weights=pretrained:convnet-fashion-mnist');
    expect(other.state.weights).toBe('init');
    expect(other.notices).toEqual(['Weights: convnet-fashion-mnist is a checkpoint of convnet, not mlp; using init.']);
    expect(parseUrlState('?model=vgg16_bn&weights=pretrained:mlp-mnist').notices).toEqual([
      'Weights: mlp-mnist is a checkpoint of mlp, not vgg16_bn; using init.',
    ]);
    // a good one reads back without a notice
    const ok = parseUrlState('?model=convnet&weights=pretrained:convnet-fashion-mnist');
    expect([ok.state.weights, ok.notices]).toEqual(['pretrained:convnet-fashion-mnist', []]);
  });
});
