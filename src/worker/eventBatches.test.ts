// Events cross to the page in batches: a burst (what is emitted before the next microtask turn)
// is one message, in order, and a request ends only once the page has taken its last batch.
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../shared/protocol';
import { ranRunner, SMALL_MLP_RUN } from './analysis.testutil';
import { batchedEmit } from './eventBatches';

describe('batchedEmit', () => {
  it('sends a synchronous burst as one batch, in order, and a later burst as the next', async () => {
    const sent: number[][] = [];
    const out = batchedEmit<number>((events) => void sent.push(events));
    out.emit(1);
    out.emit(2);
    out.emit(3);
    expect(sent).toEqual([]);
    await Promise.resolve();
    expect(sent).toEqual([[1, 2, 3]]);
    await new Promise((r) => setTimeout(r, 0));
    out.emit(4);
    await out.drained();
    expect(sent).toEqual([[1, 2, 3], [4]]);
  });

  it('drained() sends the open batch at once and waits until the page has taken it', async () => {
    const sent: number[][] = [];
    let taken!: () => void;
    const out = batchedEmit<number>((events) => {
      sent.push(events);
      return new Promise<void>((r) => (taken = r)) as unknown as void;
    });
    out.emit(7);
    let done = false;
    const drained = out.drained().then(() => (done = true));
    expect(sent).toEqual([[7]]);
    await new Promise((r) => setTimeout(r, 0));
    expect(done).toBe(false);
    taken();
    await drained;
    expect(done).toBe(true);
    // the queued flush finds nothing left: no empty batch
    await Promise.resolve();
    expect(sent).toEqual([[7]]);
  });

  it('a page that fails to take a batch does not fail the request', async () => {
    const out = batchedEmit<number>(() => Promise.reject(new Error('port closed')) as unknown as void);
    out.emit(1);
    await expect(out.drained()).resolves.toBeUndefined();
  });
});

describe("a slider answer's opening burst", () => {
  it('is one batch: start, the cached dense NTK and the provisional row of the path the exact run left', async () => {
    const { runner } = await ranRunner();
    const batches: RunEvent[][] = [];
    const out = batchedEmit<RunEvent>((events) => void batches.push(events));
    await runner.run({ id: 2, config: { ...SMALL_MLP_RUN, density: 0.15 } }, out.emit);
    await out.drained();
    const first = batches[0].map((e) => (e.type === 'result' ? `result:${e.summary.method}:${e.summary.exactPending}` : e.type));
    // SNIP is one-shot (no provisional row); SynFlow is iterative: its row waits for its exact run
    expect(first).toEqual(['start', 'ntk-dense', 'result:synflow:true']);
    expect(batches.length).toBeGreaterThan(1);
  });
});
