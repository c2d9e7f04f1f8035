// The worker's one way to run requests of a kind: one job at a time, the newest winning. Starting
// a job aborts the one before and waits until it has stopped; `cancel(id)` aborts a job by its
// request id. Training, transfer, the metric sweep and the score histograms run like this (a
// page shows only the newest of each); pruning runs (runner.ts) add adopting a recorded path.
import { isAbort } from './abort';

export interface JobEnds {
  /** It was cancelled or superseded. */
  cancelled: () => void;
  /** It threw (the message, and the error for its code). */
  failed: (message: string, error: unknown) => void;
}

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
        if (isAbort(e, controller.signal)) return onAbort();
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

  /** `run` for a streamed request: resolves with null once `ends` has reported how it ended. */
  runReported<T>(id: number, body: (signal: AbortSignal) => Promise<T>, ends: JobEnds): Promise<T | null> {
    return this.run<T | null>(id, body, () => {
      ends.cancelled();
      return null;
    }).catch((e: unknown) => {
      ends.failed(e instanceof Error ? e.message : String(e), e);
      return null;
    });
  }

  cancel(id: number): void {
    if (this.current?.id === id) this.current.controller.abort();
  }

  /** Resolves when no job is running (tests: tensors are back). */
  async idle(): Promise<void> {
    while (this.current) await this.current.done.catch(() => undefined);
  }
}
