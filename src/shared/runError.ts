// The typed error of a pruning run. The worker throws it inside a request and sends its fields as
// the request's `end` event (outcome `error`); the page turns that event back into one (src/app/workerClient.ts),
// so callers test `instanceof RunError`, never an error's name.
import type { MemoryEstimate, RunEvent } from './protocol';
import type { EndOf, ErrorCode } from './requestEnd';

export class RunError extends Error {
  override readonly name = 'RunError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly estimate?: MemoryEstimate,
  ) {
    super(message);
  }

  /** The error a request's error end describes. */
  static fromEvent(e: EndOf<RunEvent, 'error'>): RunError {
    return new RunError(e.code, e.message, e.estimate);
  }
}
