import { describe, expect, it } from 'vitest';
import { NOT_ISOLATED_REASON, planWasmThreads, WASM_MAX_THREADS, withReportedCores } from './wasmThreads';

describe('planWasmThreads', () => {
  it('one thread per logical core when cross-origin isolated, capped at the pre-created pthread workers', () => {
    expect(planWasmThreads({ isolated: true, hardwareConcurrency: 2 })).toEqual({ threads: 2 });
    expect(planWasmThreads({ isolated: true, hardwareConcurrency: 6 })).toEqual({ threads: 6 });
    expect(planWasmThreads({ isolated: true, hardwareConcurrency: 16 })).toEqual({ threads: WASM_MAX_THREADS });
  });

  it('one thread with the reason when not isolated, on one core, or when one is requested', () => {
    expect(planWasmThreads({ isolated: false, hardwareConcurrency: 16 })).toEqual({ threads: 1, reason: NOT_ISOLATED_REASON });
    expect(planWasmThreads({ isolated: false, hardwareConcurrency: 16, requested: 4 }).threads).toBe(1);
    expect(planWasmThreads({ isolated: true, hardwareConcurrency: 1 }).reason).toMatch(/one logical core/);
    expect(planWasmThreads({ isolated: true }).threads).toBe(1);
    expect(planWasmThreads({ isolated: true, hardwareConcurrency: 8, requested: 1 })).toEqual({
      threads: 1,
      reason: 'one thread requested',
    });
  });

  it('a requested count wins within 1..8, also above the core count (benchmarks of scaling)', () => {
    expect(planWasmThreads({ isolated: true, hardwareConcurrency: 2, requested: 4 })).toEqual({ threads: 4 });
    expect(planWasmThreads({ isolated: true, hardwareConcurrency: 2, requested: 99 }).threads).toBe(WASM_MAX_THREADS);
    expect(planWasmThreads({ isolated: true, hardwareConcurrency: 2, requested: 0 }).threads).toBe(1);
  });
});

// Like WorkerNavigator: hardwareConcurrency is a getter on the prototype (Node has no navigator)
class FakeNavigator {
  get hardwareConcurrency(): number {
    return 2;
  }
}

describe('withReportedCores', () => {
  it('reports 2 × threads only while the backend starts, then the real value again (also after a failure)', async () => {
    const nav = new FakeNavigator();
    let seen = 0;
    await withReportedCores(3, async () => void (seen = nav.hardwareConcurrency), nav);
    expect(seen).toBe(6);
    expect(nav.hardwareConcurrency).toBe(2);
    const failing = withReportedCores(4, () => Promise.reject(new Error('wasm failed')), nav);
    await expect(failing).rejects.toThrow('wasm failed');
    expect(nav.hardwareConcurrency).toBe(2);
    expect(Object.getOwnPropertyDescriptor(nav, 'hardwareConcurrency')).toBeUndefined();
  });

  it('leaves the value alone for one thread, and works without a navigator', async () => {
    const nav = new FakeNavigator();
    expect(await withReportedCores(1, async () => nav.hardwareConcurrency, nav)).toBe(2);
    expect(await withReportedCores(4, async () => 'started', undefined)).toBe('started');
  });
});
