// IMP's rewind point on the page: its link field, the plans the Train and Sweep tabs build from it,
// and the Train tab's command line.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config';
import { planId } from './sweep';
import { DEFAULT_TRAIN_SETTINGS, sweepPlanOf, trainCommand, trainPlanOf, type TrainSettings } from './trainSettings';
import { DEFAULT_URL_STATE, parseUrlState, serializeUrlState } from './urlState';

describe('the rewind field of a link (rewind=)', () => {
  it('is left out at 0, so a link without it reads and writes exactly as before', () => {
    const old = serializeUrlState(DEFAULT_URL_STATE);
    expect(old).not.toMatch(/rewind/);
    const r = parseUrlState(`?${old}`);
    expect(r.notices).toEqual([]);
    expect(r.state).toEqual(DEFAULT_URL_STATE);
    expect(r.state.impRewind).toBe(0);
  });

  it('keeps a value and reproduces it', () => {
    const state = { ...parseUrlState('?methods=imp,snip&tab=train').state, impRewind: 3 };
    const link = serializeUrlState(state);
    expect(link).toMatch(/&rewind=3(&|$)/);
    const r = parseUrlState(`?${link}`);
    expect(r.notices).toEqual([]);
    expect(r.state).toEqual(state);
    expect(serializeUrlState(r.state)).toBe(link);
  });

  it('clamps out-of-range values and refuses non-numbers with a notice each, as other fields', () => {
    const high = parseUrlState('?rewind=9');
    expect(high.state.impRewind).toBe(7);
    expect(high.notices).toEqual(['IMP rewind step: "9" is outside 0–7; clamped to 7.']);
    expect(parseUrlState('?rewind=-1').state.impRewind).toBe(0);
    const junk = parseUrlState('?rewind=abc');
    expect(junk.state.impRewind).toBe(0);
    expect(junk.notices).toEqual(['IMP rewind step: "abc" is not a number; using the default.']);
    const frac = parseUrlState('?rewind=2.4');
    expect(frac.state.impRewind).toBe(2);
    expect(frac.notices).toHaveLength(1);
  });
});

describe('the plans the Train and Sweep tabs build', () => {
  const cfg = { ...DEFAULT_CONFIG, methods: ['imp' as const, 'snip' as const] };
  const at = (impRewind: number, patch: Partial<TrainSettings> = {}): TrainSettings => ({
    ...DEFAULT_TRAIN_SETTINGS,
    sweepMethods: ['imp', 'rand'],
    ...patch,
    impRewind,
  });

  it('carry impRewind only when j > 0 and imp is among the methods', () => {
    expect(trainPlanOf(cfg, at(3)).impRewind).toBe(3);
    expect(sweepPlanOf(cfg, at(3)).impRewind).toBe(3);
    expect('impRewind' in trainPlanOf(cfg, at(0))).toBe(false);
    expect('impRewind' in sweepPlanOf(cfg, at(0))).toBe(false);
    // the Train tab runs the prune methods, the Sweep tab its own list: each decides for its plan
    expect('impRewind' in trainPlanOf({ ...cfg, methods: ['snip'] }, at(3))).toBe(false);
    expect(sweepPlanOf({ ...cfg, methods: ['snip'] }, at(3)).impRewind).toBe(3);
    expect(trainPlanOf(cfg, at(3, { sweepMethods: ['rand'] })).impRewind).toBe(3);
    expect('impRewind' in sweepPlanOf(cfg, at(3, { sweepMethods: ['rand'] }))).toBe(false);
  });

  it('keep their ids at j = 0 (the plan before the setting existed) and change them for j > 0', () => {
    const { impRewind: _j, ...before } = DEFAULT_TRAIN_SETTINGS;
    const oldSettings = before as TrainSettings; // a plan built without the field
    const id0 = planId(trainPlanOf(cfg, at(0)));
    expect(id0).toBe(planId(trainPlanOf(cfg, { ...oldSettings, sweepMethods: ['imp', 'rand'] })));
    expect(planId(trainPlanOf(cfg, at(2)))).not.toBe(id0);
    expect(planId(sweepPlanOf(cfg, at(0)))).toBe(planId(sweepPlanOf(cfg, { ...oldSettings, sweepMethods: ['imp', 'rand'] })));
  });
});

describe('the Train tab command line', () => {
  const cfg = { ...DEFAULT_CONFIG, methods: ['imp' as const, 'snip' as const] };
  it('gives --imp-rewind J to the imp line when j > 0, and nowhere else', () => {
    const plan = trainPlanOf(cfg, { ...DEFAULT_TRAIN_SETTINGS, impRewind: 4 });
    expect(trainCommand(plan, 'imp')).toMatch(/ --imp-rewind 4 /);
    expect(trainCommand(plan, 'snip')).not.toMatch(/imp-rewind/);
    expect(trainCommand(plan, 'dense')).not.toMatch(/imp-rewind/);
    expect(trainCommand(trainPlanOf(cfg, DEFAULT_TRAIN_SETTINGS), 'imp')).not.toMatch(/imp-rewind/);
  });
});
