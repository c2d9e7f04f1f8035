// How a request ended: the one last event of every request of every kind (pruning run, training
// or sweep, transfer, density scan, score histograms). Each kind adds its own payload to `done`
// (and, for pruning runs, to `error`); the outcome is always one of three, and the page reads it
// with one handler shape (`onEnd`).

/** `diverged`: a training run's loss or weights stopped being finite (lower the learning rate). */
export type ErrorCode = 'invalid' | 'memory' | 'data' | 'backend' | 'internal' | 'diverged';

export type EndOutcome = 'done' | 'cancelled' | 'error';

/** The end event of a request kind: `Done` is its result payload, `Failure` any extra fields of its error. */
export type RequestEnd<Done extends object = object, Failure extends object = object> =
  | ({ type: 'end'; requestId: number; outcome: 'done' } & Done)
  | { type: 'end'; requestId: number; outcome: 'cancelled' }
  | ({ type: 'end'; requestId: number; outcome: 'error'; code: ErrorCode; message: string } & Failure);

export type EndOf<E, O extends EndOutcome> = Extract<E, { type: 'end'; outcome: O }>;

export function cancelledEnd(requestId: number): { type: 'end'; requestId: number; outcome: 'cancelled' } {
  return { type: 'end', requestId, outcome: 'cancelled' };
}

export function errorEnd(
  requestId: number,
  code: ErrorCode,
  message: string,
): { type: 'end'; requestId: number; outcome: 'error'; code: ErrorCode; message: string } {
  return { type: 'end', requestId, outcome: 'error', code, message };
}

/** One handler per outcome (the page's one way to read an end event). */
export interface EndHandlers<E extends { type: 'end'; outcome: EndOutcome }, R> {
  done: (e: Extract<E, { outcome: 'done' }>) => R;
  cancelled: (e: Extract<E, { outcome: 'cancelled' }>) => R;
  error: (e: Extract<E, { outcome: 'error' }>) => R;
}

export function onEnd<E extends { type: 'end'; outcome: EndOutcome }, R>(e: E, handlers: EndHandlers<E, R>): R {
  if (e.outcome === 'done') return handlers.done(e as Extract<E, { outcome: 'done' }>);
  if (e.outcome === 'cancelled') return handlers.cancelled(e as Extract<E, { outcome: 'cancelled' }>);
  return handlers.error(e as Extract<E, { outcome: 'error' }>);
}
