// The worker's one way to run requests of a kind: one job at a time, the newest winning. Starting
// a job aborts the one before and waits until it has stopped; `cancel(id)` aborts a job by its
// request id. Every request kind runs like this (a page shows only the newest of each) and ends
// with exactly one `end` event (done, cancelled or error); pruning runs (runner.ts) use the
// `started` hook to share path recordings between requests (pathJobs.ts).
import type { ErrorCode, RequestEnd } from '../shared/requestEnd';
import { cancelledEnd } from '../shared/requestEnd';
import { isAbort } from './abort';

export interface JobOptions {
  /** Also abort the job when this signal aborts. */
  signal?: AbortSignal;
  /**
   * Called at once with the new job's signal, after the job before was told to stop and before
   * waiting for it (pruning runs stop background recordings and let go of paths on abort here).
   */
  started?: (signal: AbortSignal) => void;
}

/** How a request's end event is made: `done`'s payload from the result, `error`'s fields from what was thrown. */
export interface EndReport<T, D extends object, F extends object> {
  /** Where the end event goes (not muted by the abort: a cancelled request still hears `cancelled`). */
  emit: (e: RequestEnd<D, F>) => void;
  done: (value: T) => D;
  /** Default: the error's own `code` (RunError and tagged errors) or 'internal', and its message. */
  failure?: (e: unknown, message: string) => { code: ErrorCode; message: string } & F;
}

/** The code an error carries (RunError, or an Error tagged with `code`), if any. */
export function taggedCode(e: unknown): ErrorCode | undefined {
  return (e as { code?: ErrorCode } | null)?.code;
}

/** An emitter that goes quiet once the signal aborts (a superseded request shows nothing more). */
export function untilAborted<E>(emit: (e: E) => void, signal: AbortSignal): (e: E) => void {
  return (e) => {
    if (!signal.aborted) emit(e);
  };
}

export class LatestJob {
  private current: { id: number; controller: AbortController; done: Promise<unknown> } | null = null;

  /**
   * Run `body` once the job before it has stopped. Resolves with its value, or with `onAbort()`
   * when it was cancelled or superseded.
   */
  async run<T>(id: number, body: (signal: AbortSignal) => Promise<T>, onAbort: () => T, opts: JobOptions = {}): Promise<T> {
    const before = this.current;
    before?.controller.abort();
    const controller = new AbortController();
    const outer = opts.signal;
    if (outer?.aborted) controller.abort();
    else outer?.addEventListener('abort', () => controller.abort(), { once: true });
    opts.started?.(controller.signal);
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

  /**
   * `run` for a streamed request: ends it with exactly one `end` event (done with the result's
   * payload, cancelled when cancelled or superseded, error with what was thrown) and resolves
   * with the result, or null when it was cancelled or failed.
   */
  runToEnd<T, D extends object, F extends object = object>(
    id: number,
    body: (signal: AbortSignal) => Promise<T>,
    end: EndReport<T, D, F>,
    opts: JobOptions = {},
  ): Promise<T | null> {
    const cancelled = Symbol('cancelled');
    return this.run<T | typeof cancelled>(id, body, () => cancelled, opts).then(
      (value) => {
        if (value === cancelled) {
          end.emit(cancelledEnd(id));
          return null;
        }
        end.emit({ type: 'end', requestId: id, outcome: 'done', ...end.done(value) } as RequestEnd<D, F>);
        return value;
      },
      (e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        const failure = end.failure?.(e, message) ?? { code: taggedCode(e) ?? 'internal', message };
        end.emit({ type: 'end', requestId: id, outcome: 'error', ...failure } as RequestEnd<D, F>);
        return null;
      },
    );
  }

  /** A job is running (or waiting for the one before to stop). */
  get running(): boolean {
    return this.current !== null;
  }

  cancel(id: number): void {
    if (this.current?.id === id) this.current.controller.abort();
  }

  /** Resolves when no job is running (tests: tensors are back). */
  async idle(): Promise<void> {
    while (this.current) await this.current.done.catch(() => undefined);
  }
}
