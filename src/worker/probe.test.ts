// The probe's known values are what the cpu backend computes, and wasm agrees within tolerance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend, type BackendName } from '../core/backend';
import { tf } from '../core/tf';
import { PROBE_EXPECTED, PROBE_TOLERANCE, probeError, probeValues, timeProbe } from './probe';

describe('backend probe', () => {
  let start: BackendName = 'wasm';
  beforeAll(() => {
    start = tf.getBackend() as BackendName;
  });
  afterAll(() => useBackend(start));

  it('matches the stored values on cpu (to float32 rounding)', async () => {
    await useBackend('cpu');
    expect(probeError(await probeValues(), PROBE_EXPECTED)).toBeLessThan(1e-6);
  });

  it('passes on wasm, is timed and frees its tensors', async () => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const t = await timeProbe(3);
    expect(probeError(t.values)).toBeLessThan(PROBE_TOLERANCE);
    expect(t.ms).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects wrong numbers', () => {
    const bad = PROBE_EXPECTED.map((v, i) => (i === 3 ? v * 1.1 : v));
    expect(probeError(bad)).toBeGreaterThan(PROBE_TOLERANCE);
    expect(probeError(PROBE_EXPECTED.map(() => NaN))).toBe(Infinity);
  });
});
