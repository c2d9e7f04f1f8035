// Run history records: a finished run round-trips; anything damaged is refused.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../../shared/config';
import type { RunEvent } from '../../shared/protocol';
import { MockSource } from '../dev/mockSource';
import { parseRecord, pinnedView, recordOf } from './history';
import { emptyRun, reduceRun } from '../common/runView';

async function finishedView(config: RunConfig) {
  const events: RunEvent[] = [];
  await new MockSource().run(3, config, (e) => events.push(e));
  return events.reduce(reduceRun, emptyRun(3, config));
}

describe('run history records', () => {
  it('a finished run round-trips through JSON (what IndexedDB stores) and draws as pinned', async () => {
    const view = await finishedView({ ...DEFAULT_CONFIG, rounds: 3 });
    const rec = recordOf(view, 1_700_000_000_000)!;
    expect(rec).not.toBeNull();
    const back = parseRecord(JSON.parse(JSON.stringify(rec)));
    expect(back).toEqual(rec);
    const pinned = pinnedView(back!);
    expect(pinned.methods.map((m) => m.method)).toEqual(view.methods.map((m) => m.method));
    expect(pinned.methods[0].ntk!.eigenvalues).toEqual(view.methods[0].ntk!.eigenvalues);
  });

  it('an unfinished run is not recorded', () => {
    expect(recordOf(emptyRun(1, DEFAULT_CONFIG), 1)).toBeNull();
  });

  it('damaged records are refused', async () => {
    const rec = recordOf(await finishedView({ ...DEFAULT_CONFIG, rounds: 3 }), 1_700_000_000_000)!;
    expect(parseRecord(null)).toBeNull();
    expect(parseRecord({ id: 5, junk: true })).toBeNull();
    expect(parseRecord({ ...rec, config: { ...rec.config, density: 7 } })).toBeNull();
    expect(parseRecord({ ...rec, methods: [{ ...rec.methods[0], summary: { method: 'px' } }] })).toBeNull();
    expect(parseRecord({ ...rec, wallMs: 'soon' })).toBeNull();
  });
});
