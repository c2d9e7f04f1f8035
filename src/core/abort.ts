// Cancellation in core: a job checks its signal between steps and stops with an AbortError, the
// one error every caller (worker, CLI) reads as "cancelled" rather than as a failure.

export class AbortError extends Error {
  constructor() {
    super('aborted');
    this.name = 'AbortError';
  }
}

/** Throws an AbortError once the signal has aborted (no-op without a signal). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError();
}
