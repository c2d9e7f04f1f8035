// "What to look for" states the paper's claim and then only what the run shows;
// presets set the paper's settings and say which data they use.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config';
import { METHOD_NAMES, type MethodId } from '../../shared/methods';
import { METHOD_INFO } from '../../shared/methods';
import type { MethodSummary } from '../../shared/protocol';
import { DEFAULT_URL_STATE, withModel } from '../../shared/urlState';
import { lookForLayers, lookForSpectrum, methodLine } from './explain';
import { DEMO_PRESET, PAPER_DENSITY, describePatch, paperPreset, presetActive } from './presets';
import { emptyRun, type RunView } from '../common/runView';

const sum = (p: Partial<MethodSummary> & Pick<MethodSummary, 'method'>): MethodSummary => ({
  source: 'exact',
  exactPending: false,
  cached: false,
  density: 0.01,
  rounds: 1,
  kept: 1,
  total: 100,
  keptFraction: 0.01,
  collapsedLayers: 0,
  ms: 1,
  ...p,
});

function viewWith(summaries: MethodSummary[]): RunView {
  const v = emptyRun(1, { ...DEFAULT_CONFIG, methods: summaries.map((s) => s.method) });
  return { ...v, methods: v.methods.map((m, i) => ({ ...m, summary: summaries[i] })) };
}

describe('what to look for', () => {
  it('before results it states the claim only, never a winner', () => {
    const v = emptyRun(1, DEFAULT_CONFIG);
    expect(lookForSpectrum(v)).not.toMatch(/Here:/);
    expect(lookForLayers(v)).not.toMatch(/Here:/);
  });

  it('names the closest-to-dense method among intact nets, never a collapsed one', () => {
    const v = viewWith([
      sum({ method: 'snip', ntkTraceRatio: 1.0, collapsedLayers: 2 }),
      sum({ method: 'px', ntkTraceRatio: 0.5 }),
      sum({ method: 'synflow', ntkTraceRatio: 0.1 }),
    ]);
    expect(lookForSpectrum(v)).toContain(`Here: ${METHOD_INFO.px.label} (trace 0.500× dense)`);
    expect(lookForLayers(v)).toMatch(/Here: collapsed — SNIP\./);
  });

  it('says when no method collapsed', () => {
    expect(lookForLayers(viewWith([sum({ method: 'px' }), sum({ method: 'snip' })]))).toMatch(/no method collapsed a layer/);
  });

  it('every method has a one-line explanation', () => {
    for (const m of METHOD_NAMES) expect(methodLine(m).length).toBeGreaterThan(10);
  });
});

describe('presets', () => {
  it('the paper: ResNet-20, 100 rounds, 1.8%, 10 per class; CIFAR-10 only when loaded, and says so', () => {
    expect(PAPER_DENSITY).toBeCloseTo(0.8 ** 18, 12);
    const without = paperPreset(false);
    expect(without.patch).toMatchObject({ model: 'resnet20', rounds: 100, batchSize: 128, examplesPerClass: 10, dataset: 'synthetic' });
    // applied as the page applies a patch (App.tsx): the paper's batch, not ResNet-20's page default
    const applied = { ...withModel(DEFAULT_URL_STATE, 'resnet20'), ...without.patch };
    expect(applied.batchSize).toBe(128);
    expect(presetActive(applied, without)).toBe(true);
    expect(without.explain).toMatch(/CIFAR-10 is not loaded/);
    expect(paperPreset(true).patch.dataset).toBe('cifar10');
    const state = { ...DEFAULT_URL_STATE, ...DEMO_PRESET.patch };
    expect(presetActive(state, DEMO_PRESET)).toBe(true);
    expect(presetActive(state, without)).toBe(false);
  });

  it('a preset sets only what its line names: the paper keeps the chosen methods, and no time is promised', () => {
    for (const p of [paperPreset(false), paperPreset(true), DEMO_PRESET]) {
      expect(p.explain.startsWith(describePatch(p.patch))).toBe(true);
      expect(p.explain).not.toMatch(/minutes|laptop/i);
    }
    expect(paperPreset(false).patch.methods).toBeUndefined();
    const mine = { ...DEFAULT_URL_STATE, methods: ['px', 'snip'] as MethodId[] };
    expect({ ...mine, ...paperPreset(false).patch }.methods).toEqual(['px', 'snip']);
    expect(paperPreset(false).explain).toMatch(
      /^ResNet-20, synthetic CIFAR-shaped images, 100 rounds, 1 round for one-shot methods, batch 128, 1\.80% of weights kept, 10 examples per class, one global threshold\./,
    );
    expect(DEMO_PRESET.explain).toMatch(/^MLP.*, MNIST, PX — as published \(2024\) vs SNIP vs SynFlow, 20 rounds/);
    // a field the line cannot name cannot be set
    expect(() => describePatch({ tab: 'train' })).toThrow(/cannot name/);
  });
});
