// Run history records: a finished run round-trips; anything damaged is refused.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../../shared/config';
import type { RunEvent } from '../../shared/protocol';
import { MockSource } from '../dev/mockSource';
import { checkRecord, configKey, parseRecord, pinnedView, recordLabel, recordOf } from './history';
import { emptyRun, reduceRun } from '../common/runView';

async function finishedView(config: RunConfig) {
  const events: RunEvent[] = [];
  await new MockSource().run(3, config, (e) => events.push(e));
  return events.reduce(reduceRun, emptyRun(3, config));
}

describe('run history records', () => {
  it('a finished run round-trips through JSON (what IndexedDB stores) and draws as pinned', async () => {
    const view = await finishedView({ ...DEFAULT_CONFIG, rounds: 3 });
    const rec = recordOf(view, 1_700_000_000_000, 'init')!;
    expect(rec).not.toBeNull();
    const back = parseRecord(JSON.parse(JSON.stringify(rec)));
    expect(back).toEqual(rec);
    const pinned = pinnedView(back!);
    expect(pinned.methods.map((m) => m.method)).toEqual(view.methods.map((m) => m.method));
    expect(pinned.methods[0].ntk!.eigenvalues).toEqual(view.methods[0].ntk!.eigenvalues);
  });

  it('an unfinished run is not recorded', () => {
    expect(recordOf(emptyRun(1, DEFAULT_CONFIG), 1, 'init')).toBeNull();
  });

  it('damaged records are refused', async () => {
    const rec = recordOf(await finishedView({ ...DEFAULT_CONFIG, rounds: 3 }), 1_700_000_000_000, 'init')!;
    expect(parseRecord(null)).toBeNull();
    expect(parseRecord({ id: 5, junk: true })).toBeNull();
    expect(parseRecord({ ...rec, config: { ...rec.config, density: 7 } })).toBeNull();
    expect(parseRecord({ ...rec, methods: [{ ...rec.methods[0], summary: { method: 'px' } }] })).toBeNull();
    expect(parseRecord({ ...rec, wallMs: 'soon' })).toBeNull();
  });

  it('impossible numbers are refused with one line saying why', async () => {
    const rec = recordOf(await finishedView({ ...DEFAULT_CONFIG, model: 'mlp', rounds: 3 }), 1_700_000_000_000, 'init')!;
    const m = rec.methods[0];
    const withSummary = (over: object) => ({ ...rec, methods: [{ ...m, summary: { ...m.summary, ...over } }, ...rec.methods.slice(1)] });
    expect(checkRecord(withSummary({ kept: -7 })).ok).toBe(false);
    expect(checkRecord(withSummary({ keptFraction: 4.2 })).ok).toBe(false);
    expect(checkRecord(withSummary({ kept: m.summary.total + 1 })).ok).toBe(false);
    expect(checkRecord(withSummary({ total: 94_304, kept: 10, keptFraction: 10 / 94_304 }))).toEqual({
      ok: false,
      reason: "a stored run: methods.0.summary 94304 weights is not mlp's count (266200): another model's result",
    });
    expect(checkRecord({ ...rec, weights: 'file:xyz' })).toEqual({
      ok: false,
      reason: 'a stored run: weights is not init, pretrained:<id> or file:<sha256>:<name>',
    });
  });

  it('a record states its weights: a run on a file never replaces the same configuration on the init', async () => {
    const view = await finishedView({ ...DEFAULT_CONFIG, rounds: 3 });
    const file = `file:${'ab'.repeat(32)}:m.safetensors`;
    const onInit = recordOf(view, 1_700_000_000_000, 'init')!;
    const onFile = recordOf(view, 1_700_000_000_001, file)!;
    expect(configKey(onInit)).not.toBe(configKey(onFile));
    expect(recordLabel(onInit)).toMatch(/ · random init \(seed 0\)$/);
    expect(recordLabel(onFile)).toMatch(/ · m\.safetensors \(sha256 abababababab…\)$/);
    expect(parseRecord(JSON.parse(JSON.stringify(onFile)))?.weights).toBe(file);
  });
});
