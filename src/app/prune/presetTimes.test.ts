import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config';
import { measuredPresetTime, presetTimeLine, readPresetTimes, writePresetTime } from './presetTimes';
import { DEMO_PRESET } from './presets';
import type { MethodSummary } from '../../shared/protocol';
import { emptyRun, type RunView } from '../common/runView';

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) } as Storage;
}

const demoConfig = {
  ...DEFAULT_CONFIG,
  model: 'mlp' as const,
  dataset: 'mnist' as const,
  rounds: 20,
  oneShotRounds: 1,
  density: DEMO_PRESET.patch.density!,
  examplesPerClass: 10,
  scope: 'global' as const,
  methods: [...DEMO_PRESET.patch.methods!],
};

function finished(patch: Partial<RunView>, config = demoConfig): RunView {
  const run = emptyRun(1, config);
  const methods = run.methods.map((m) => ({ ...m, status: 'done' as const, summary: { cached: false } as MethodSummary }));
  return {
    ...run,
    methods,
    startedAt: 1_000,
    endedAt: 15_500,
    status: 'done',
    backend: { label: 'wasm · SIMD · 2 threads' } as RunView['backend'],
    ...patch,
  };
}

describe('preset times, as measured here', () => {
  it('a from-scratch finished run with the preset’s settings is its time', () => {
    expect(measuredPresetTime(finished({}), DEMO_PRESET)).toEqual({ ms: 14_500, backend: 'wasm · SIMD · 2 threads', at: 15_500 });
  });
  it('a cached replay, an unfinished run or other settings measure nothing', () => {
    const run = finished({});
    expect(
      measuredPresetTime({ ...run, methods: run.methods.map((m) => ({ ...m, summary: { ...m.summary!, cached: true } })) }, DEMO_PRESET),
    ).toBeNull();
    // one method computed, the rest (and the dense NTK) from caches: still a measured run
    expect(
      measuredPresetTime(
        { ...run, denseNtkLive: false, methods: run.methods.map((m, i) => ({ ...m, summary: { ...m.summary!, cached: i > 0 } })) },
        DEMO_PRESET,
      )?.ms,
    ).toBe(14_500);
    expect(measuredPresetTime(finished({ status: 'cancelled' }), DEMO_PRESET)).toBeNull();
    expect(measuredPresetTime(finished({}, { ...demoConfig, rounds: 21 }), DEMO_PRESET)).toBeNull();
    expect(measuredPresetTime(null, DEMO_PRESET)).toBeNull();
  });
  it('kept across visits; unreadable storage reads as none; the line says when nothing was measured', () => {
    const s = memoryStorage();
    expect(readPresetTimes(s)).toEqual({});
    writePresetTime('demo', { ms: 14_500, backend: 'wasm', at: 1 }, s);
    expect(readPresetTimes(s).demo?.ms).toBe(14_500);
    s.setItem('px-lab-preset-times', '{"demo":{"ms":-3,"backend":"x"},"paper":"junk"');
    expect(readPresetTimes(s)).toEqual({});
    expect(presetTimeLine({ ms: 14_500, backend: 'wasm · SIMD · 2 threads', at: 1 })).toBe('Took 14.5 s here (wasm · SIMD · 2 threads).');
    expect(presetTimeLine(undefined)).toBe('Time here: not measured yet.');
  });
});
