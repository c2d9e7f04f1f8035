// One job at a time, the newest winning: starting a job aborts the one before, and `cancel(id)`
// aborts a job by its request id. The metric sweep and the score histograms run like this (a
// page shows only the newest of each).
import { AbortError } from '../core/pruners/schedule';

export class LatestJob {
  private current: { id: number; controller: AbortController; done: Promise<unknown> } | null = null;

  /**
   * Run `body` once the job before it has stopped. Resolves with its value, or with `onAbort()`
   * when it was cancelled or superseded.
   */
  async run<T>(id: number, body: (signal: AbortSignal) => Promise<T>, onAbort: () => T): Promise<T> {
    const before = this.current;
    before?.controller.abort();
    const controller = new AbortController();
    const done = (async () => {
      await before?.done.catch(() => undefined);
      if (controller.signal.aborted) return onAbort();
      try {
        return await body(controller.signal);
      } catch (e) {
        if (controller.signal.aborted || e instanceof AbortError) return onAbort();
        throw e;
      }
    })();
    this.current = { id, controller, done };
    try {
      return await done;
    } finally {
      if (this.current?.controller === controller) this.current = null;
    }
  }

  /**
   * `run` for a streamed request: resolves with null once `ends.cancelled()` (cancelled or
   * superseded) or `ends.failed(message)` (it threw) has reported how it ended.
   */
  runReported<T>(id: number, body: (signal: AbortSignal) => Promise<T>, ends: { cancelled: () => void; failed: (message: string) => void }): Promise<T | null> {
    return this.run<T | null>(id, body, () => {
      ends.cancelled();
      return null;
    }).catch((e: unknown) => {
      ends.failed(e instanceof Error ? e.message : String(e));
      return null;
    });
  }

  cancel(id: number): void {
    if (this.current?.id === id) this.current.controller.abort();
  }
}

export function checkAbort(signal: AbortSignal): void {
  if (signal.aborted) throw new AbortError();
}
