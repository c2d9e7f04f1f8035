// The summary table's reading rules (a collapsed net never gets a ★; ties at the threshold are
// explained), on numbers measured on the page when those rules were missing.
import { describe, expect, it } from 'vitest';
import type { MethodSummary } from '../../shared/protocol';
import { METHOD_INFO } from '../../shared/methods';
import { bestIn, isCollapsed, targetKept, tieNotes } from './summaryRows';
import { SEE_BLOCKED, SEE_ERROR, chartState } from '../shell/panelState';
import { emptyRun } from '../common/runView';
import { DEFAULT_CONFIG } from '../../shared/config';

function summary(p: Partial<MethodSummary> & Pick<MethodSummary, 'method'>): MethodSummary {
  return {
    source: 'exact',
    exactPending: false,
    cached: false,
    density: 0.001,
    rounds: 1,
    kept: 270,
    total: 270_000,
    keptFraction: 0.001,
    collapsedLayers: 0,
    ms: 1,
    ...p,
  };
}

describe('collapse dominates how a row reads', () => {
  // ResNet-20 at 99.9% sparsity as measured in the issue: SNIP cut (3 collapsed layers,
  // effective density 0) with condition 11.21, PX intact with 2,487
  const snip = summary({
    method: 'snip',
    condition: 11.21,
    ntkTraceRatio: 0.9,
    collapsedLayers: 3,
    effectiveDensity: 0,
    disconnected: true,
  });
  const px = summary({ method: 'px', condition: 2487, ntkTraceRatio: 0.02, effectiveDensity: 0.0008 });
  const synflow = summary({ method: 'synflow', condition: 5000, ntkTraceRatio: 0.01, effectiveDensity: 0.0009 });

  it('a collapsed net never ranks best on condition or NTK trace', () => {
    expect(isCollapsed(snip)).toBe(true);
    expect(isCollapsed(px)).toBe(false);
    expect(bestIn([snip, px, synflow], 'condition')).toBe('px');
    expect(bestIn([snip, px, synflow], 'ntk')).toBe('px');
    expect(bestIn([snip, px, synflow], 'effective')).toBe('synflow');
    // with only one intact method there is nothing to rank against
    expect(bestIn([snip, px], 'condition')).toBeNull();
  });

  it('a collapse is read from any of its signs', () => {
    expect(isCollapsed({ collapsedLayers: 0, disconnected: true })).toBe(true);
    expect(isCollapsed({ collapsedLayers: 0, effectiveDensity: 0 })).toBe(true);
    expect(isCollapsed({ collapsedLayers: 1 })).toBe(true);
  });

  it('provisional (path) rows are not ranked', () => {
    expect(
      bestIn([{ ...px, exactPending: true }, synflow, summary({ method: 'mag', condition: 9000, effectiveDensity: 0.0001 })], 'condition'),
    ).toBe('synflow');
  });
});

describe('the tie rule explained', () => {
  it('target counts follow int((1 − d)·n) per layer or over all', () => {
    expect(targetKept(0.1, 'global', [10, 25])).toBe(35 - Math.trunc(0.9 * 35));
    expect(targetKept(0.1, 'local', [10, 25])).toBe(10 - 9 + (25 - Math.trunc(0.9 * 25)));
  });

  it('says which methods keep fewer than the target, and by how many', () => {
    const sizes = [500_000, 758_000];
    const target = targetKept(0.001, 'local', sizes);
    const notes = tieNotes(
      [summary({ method: 'px', kept: target - 25 }), summary({ method: 'snip', kept: target })],
      0.001,
      'local',
      sizes,
    );
    expect(notes).toHaveLength(1);
    expect(notes[0].startsWith(`${METHOD_INFO.px.label} keeps `)).toBe(true);
    expect(notes[0]).toMatch(/, 25 fewer than the target .*ties the threshold in its layer/);
  });
});

describe('panels point to one message instead of repeating it', () => {
  const cfg = { ...DEFAULT_CONFIG };
  it('blocked: the reason is shown under the slider only', () => {
    const s = chartState(null, 'Drop the CIFAR-10 binary files …', false, 'waiting');
    expect(s).toEqual({ kind: 'empty', message: SEE_BLOCKED });
  });
  it('a failed run: its error is shown in the notice only', () => {
    const view = { ...emptyRun(1, cfg), status: 'error' as const, error: 'This run needs about 9 GiB …' };
    const s = chartState(view, null, false, 'waiting');
    expect(s).toEqual({ kind: 'error', message: SEE_ERROR });
  });
});
