// The page's one "newest request wins" helper: only the current request's events reach the page,
// a newer request stops the one before in the worker, a worker that stops under a request becomes
// that request's one error end, and a cancelled request's end still arrives when the kind asks.
import { describe, expect, it } from 'vitest';
import { cancelledEnd, errorEnd, type RequestEnd } from '../../shared/requestEnd';
import { LatestRequest, type RequestKind, type WorkerApi } from './latestRequest';
import type { LabClient } from './workerClient';

type Event = { type: 'tick'; requestId: number } | RequestEnd<{ value: number }>;

/** A fake worker: each request streams a tick, then waits until it is stopped or released. */
function fakeWorker() {
  const stopped: number[] = [];
  const running = new Map<number, { on: (e: Event) => void; finish: (v: number | null) => void }>();
  const api = {} as WorkerApi;
  const client = { remote: async () => ({ api, generation: 1 }) } as unknown as LabClient;
  // the worker sends events in batches (one a message)
  const start = (_api: WorkerApi, id: number, _request: number, onEvents: (events: Event[]) => void) =>
    new Promise<number | null>((finish) => {
      const on = (e: Event) => onEvents([e]);
      on({ type: 'tick', requestId: id });
      running.set(id, { on, finish });
    });
  const stop = (_api: WorkerApi, id: number) => {
    stopped.push(id);
    const r = running.get(id);
    r?.on(cancelledEnd(id));
    r?.finish(null);
  };
  const finish = (id: number, value: number) => {
    const r = running.get(id)!;
    r.on({ type: 'end', requestId: id, outcome: 'done', value });
    r.finish(value);
  };
  return { client, start, stop, stopped, finish };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

/** A LatestRequest on the fake worker (`kind` overrides its request kind's parts). */
function latestOn(w: ReturnType<typeof fakeWorker>, kind: Partial<RequestKind<number, Event, number>> = {}) {
  return new LatestRequest<number, Event, number>(w.client, {
    start: w.start,
    stop: w.stop,
    failed: (id, cause) => errorEnd(id, 'backend', `the compute worker stopped (${cause})`),
    ...kind,
  });
}

describe('LatestRequest', () => {
  it('the newest request wins: the older one is stopped in the worker and none of its events arrive after', async () => {
    const w = fakeWorker();
    const latest = latestOn(w);
    const seen: Event[] = [];
    const a = latest.run(1, (e) => seen.push(e), 11);
    await settle();
    const b = latest.run(2, (e) => seen.push(e), 12);
    await settle();
    w.finish(12, 42);
    expect(await a).toBeNull();
    expect(await b).toBe(42);
    expect(w.stopped).toEqual([11]);
    expect(seen).toEqual([
      { type: 'tick', requestId: 11 },
      { type: 'tick', requestId: 12 },
      { type: 'end', requestId: 12, outcome: 'done', value: 42 },
    ]);
  });

  it('with `passes`, a cancelled request still hears its one cancelled end', async () => {
    const w = fakeWorker();
    const latest = latestOn(w, { passes: (e) => e.type === 'end' && e.outcome === 'cancelled', deliverAfterCancel: true });
    const seen: Event[] = [];
    const a = latest.run(1, (e) => seen.push(e), 21);
    await settle();
    await latest.cancel();
    expect(await a).toBeNull();
    expect(seen.filter((e) => e.type === 'end')).toEqual([{ type: 'end', requestId: 21, outcome: 'cancelled' }]);
  });

  it('a worker that stops under the current request becomes its one error end', async () => {
    const w = fakeWorker();
    const latest = latestOn(w, { start: () => Promise.reject(new Error('the compute worker restarted before it answered')) });
    const seen: Event[] = [];
    expect(await latest.run(1, (e) => seen.push(e), 31)).toBeNull();
    expect(seen).toEqual([
      {
        type: 'end',
        requestId: 31,
        outcome: 'error',
        code: 'backend',
        message: 'the compute worker stopped (the compute worker restarted before it answered)',
      },
    ]);
  });
});
