import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config';
import type { RunEvent } from '../../shared/protocol';
import { MockSource } from '../dev/mockSource';
import { emptyRun, reduceRun } from './runView';

describe('reduceRun', () => {
  it('folds a whole mock stream into a finished view, ignoring other requests', async () => {
    const config = { ...DEFAULT_CONFIG, rounds: 3 };
    const events: RunEvent[] = [];
    await new MockSource().run(7, config, (e) => events.push(e));
    const stale: RunEvent = { type: 'ntk-dense', requestId: 6, ntk: { eigenvalues: [1], trace: 1, condition: 1, samples: 1, ms: 0 } };
    const view = [stale, ...events].reduce(reduceRun, emptyRun(7, config));
    expect(view.status).toBe('done');
    expect(view.progress).toBe(1);
    expect(view.denseNtk!.eigenvalues.length).toBe(80);
    expect(view.methods.map((m) => m.method)).toEqual(DEFAULT_CONFIG.methods);
    for (const m of view.methods) {
      expect(m.status).toBe('done');
      expect(m.summary!.kept).toBeGreaterThan(0);
      expect(m.layers!.length).toBe(3);
      expect(m.ntk!.eigenvalues.length).toBe(80);
    }
    expect(view.methods[0].rounds.map((r) => r.round)).toEqual([1, 2, 3]);
  });

  it('marks running methods cancelled, keeps finished ones', () => {
    const done = DEFAULT_CONFIG.methods[0];
    let v = emptyRun(1, DEFAULT_CONFIG);
    v = { ...v, methods: v.methods.map((m) => (m.method === done ? { ...m, status: 'done' as const } : m)) };
    v = reduceRun(v, { type: 'end', requestId: 1, outcome: 'cancelled' });
    expect(v.status).toBe('cancelled');
    expect(v.methods.map((m) => m.status)).toEqual(DEFAULT_CONFIG.methods.map((m) => (m === done ? 'done' : 'cancelled')));
  });

  it('an error end ends the run with its message', () => {
    const v = reduceRun(emptyRun(1, DEFAULT_CONFIG), { type: 'end', requestId: 1, outcome: 'error', code: 'data', message: 'bad' });
    expect(v).toMatchObject({ status: 'error', error: 'bad' });
  });
});
