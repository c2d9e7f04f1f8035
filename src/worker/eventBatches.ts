// A request's events on their way to the page. Each message across the worker boundary is a task
// of its own on the page, and the browser may draw between two tasks: events sent one by one are
// folded and drawn one by one. Sent in batches (what the request emitted before its next
// microtask turn), a burst such as a slider answer's start, dense NTK and provisional rows is one
// message, one fold and one draw.
import type { EventBatches } from '../shared/workerApi';

export interface BatchedEmit<E> {
  /** Queue an event; it leaves with the rest of its burst. */
  emit(e: E): void;
  /** Resolves once the page has taken every batch sent so far (sends the open one first). */
  drained(): Promise<void>;
}

export function batchedEmit<E>(send: EventBatches<E>): BatchedEmit<E> {
  let open: E[] | null = null;
  let last: Promise<unknown> = Promise.resolve();
  const flush = () => {
    const events = open;
    open = null;
    if (events?.length) last = Promise.resolve(send(events)).catch(() => undefined);
  };
  return {
    emit(e) {
      if (!open) {
        open = [];
        queueMicrotask(flush);
      }
      open.push(e);
    },
    async drained() {
      flush();
      await last;
    },
  };
}
