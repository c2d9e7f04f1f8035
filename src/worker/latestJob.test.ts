// The worker's one "newest request wins" helper: a newer job supersedes the running one, every
// request ends with exactly one end event (done, cancelled or error), and a job starts only once
// the one before has stopped.
import { describe, expect, it } from 'vitest';
import type { RequestEnd } from '../shared/requestEnd';
import { RunError } from '../shared/runError';
import { throwIfAborted } from './abort';
import { LatestJob } from './latestJob';

type End = RequestEnd<{ value: number }>;

/** A job that counts steps until it is aborted or reaches `steps` (one macrotask per step). */
function counting(steps: number, log: string[], name: string) {
  return async (signal: AbortSignal) => {
    log.push(`${name} start`);
    for (let i = 0; i < steps; i++) {
      await new Promise((r) => setTimeout(r, 1));
      throwIfAborted(signal);
    }
    log.push(`${name} finish`);
    return steps;
  };
}

function ends() {
  const events: End[] = [];
  return { events, report: { emit: (e: End) => void events.push(e), done: (value: number) => ({ value }) } };
}

describe('LatestJob', () => {
  it('the newest request wins: the older one ends cancelled exactly once, the newer starts after it stopped', async () => {
    const jobs = new LatestJob();
    const log: string[] = [];
    const a = ends();
    const b = ends();
    const pa = jobs.runToEnd(1, counting(1000, log, 'a'), a.report);
    await new Promise((r) => setTimeout(r, 5));
    const pb = jobs.runToEnd(2, counting(3, log, 'b'), b.report);
    jobs.cancel(1); // a cancel after the supersede changes nothing
    expect(await pa).toBeNull();
    expect(await pb).toBe(3);
    expect(a.events).toEqual([{ type: 'end', requestId: 1, outcome: 'cancelled' }]);
    expect(b.events).toEqual([{ type: 'end', requestId: 2, outcome: 'done', value: 3 }]);
    expect(log).toEqual(['a start', 'b start', 'b finish']);
    expect(jobs.running).toBe(false);
  });

  it('a request superseded before it started never runs and still ends cancelled once', async () => {
    const jobs = new LatestJob();
    const log: string[] = [];
    const [a, b, c] = [ends(), ends(), ends()];
    const pa = jobs.runToEnd(1, counting(50, log, 'a'), a.report);
    const pb = jobs.runToEnd(2, counting(50, log, 'b'), b.report);
    const pc = jobs.runToEnd(3, counting(2, log, 'c'), c.report);
    expect(await Promise.all([pa, pb, pc])).toEqual([null, null, 2]);
    expect(log).not.toContain('b start');
    expect([a.events, b.events].map((e) => e.map((x) => x.outcome))).toEqual([['cancelled'], ['cancelled']]);
    expect(c.events.map((x) => x.outcome)).toEqual(['done']);
  });

  it('cancel(id) ends that request cancelled; an outer signal does too', async () => {
    const jobs = new LatestJob();
    const a = ends();
    const pa = jobs.runToEnd(4, counting(1000, [], 'a'), a.report);
    setTimeout(() => jobs.cancel(4), 5);
    expect(await pa).toBeNull();
    const outer = new AbortController();
    const b = ends();
    const pb = jobs.runToEnd(5, counting(1000, [], 'b'), b.report, { signal: outer.signal });
    setTimeout(() => outer.abort(), 5);
    expect(await pb).toBeNull();
    expect([...a.events, ...b.events]).toEqual([
      { type: 'end', requestId: 4, outcome: 'cancelled' },
      { type: 'end', requestId: 5, outcome: 'cancelled' },
    ]);
  });

  it('a job that throws ends with one error event: the error code it carries, else internal, or the kind’s own failure', async () => {
    const jobs = new LatestJob();
    const a = ends();
    expect(
      await jobs.runToEnd(
        1,
        async () => {
          throw new RunError('memory', 'too big');
        },
        a.report,
      ),
    ).toBeNull();
    const b = ends();
    expect(
      await jobs.runToEnd(
        2,
        async () => {
          throw new Error('broken');
        },
        b.report,
      ),
    ).toBeNull();
    const c = ends();
    const failure = (_e: unknown, message: string) => ({ code: 'diverged' as const, message: `diverged: ${message}` });
    expect(
      await jobs.runToEnd(
        3,
        () => {
          throw new Error('nan');
        },
        { ...c.report, failure },
      ),
    ).toBeNull();
    expect([...a.events, ...b.events, ...c.events]).toEqual([
      { type: 'end', requestId: 1, outcome: 'error', code: 'memory', message: 'too big' },
      { type: 'end', requestId: 2, outcome: 'error', code: 'internal', message: 'broken' },
      { type: 'end', requestId: 3, outcome: 'error', code: 'diverged', message: 'diverged: nan' },
    ]);
    expect(jobs.running).toBe(false);
  });

  it('`started` sees the new job’s signal after the job before was told to stop', async () => {
    const jobs = new LatestJob();
    let firstSignal: AbortSignal | null = null;
    const pa = jobs.runToEnd(1, counting(1000, [], 'a'), ends().report, { started: (s) => (firstSignal = s) });
    let seenAborted: boolean | null = null;
    const pb = jobs.runToEnd(2, counting(1, [], 'b'), ends().report, { started: () => (seenAborted = firstSignal!.aborted) });
    await Promise.all([pa, pb]);
    expect(seenAborted).toBe(true);
  });
});
