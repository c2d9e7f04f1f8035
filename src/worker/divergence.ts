// A run whose loss or weights stop being finite has diverged: its accuracy (a NaN network still
// predicts class 0, "10.00%") is not a result. One place decides it for the worker's Train, Sweep
// and Transfer runs: a non-finite step loss stops the run at once (checkStepLoss), a finished
// cell with any non-finite number is refused (isFiniteRun), and an error the core trainer throws
// for the same reason is recognised (divergenceOf) so both checks give the same failure.
import type { TrainResult } from '../shared/protocol';

/** The hint every divergence message ends with. */
export const DIVERGENCE_HINT = 'lower the learning rate';

/** Thrown when a run diverges; `code` is the protocol's error code. */
export class DivergedRunError extends Error {
  readonly code = 'diverged' as const;
  constructor(
    readonly step: number | null,
    what = 'the loss',
  ) {
    super(`training diverged${step !== null ? ` at step ${step}` : ''}: ${what} is not a finite number; ${DIVERGENCE_HINT}.`);
    this.name = 'DivergedRunError';
  }
}

/** Throws DivergedRunError at the first non-finite loss (`step` is 1-based; `what` names the loss). */
export function checkStepLoss(step: number, loss: number, what = 'the loss'): void {
  if (!Number.isFinite(loss)) throw new DivergedRunError(step, what);
}

/** An epoch's log: its mean train loss and test loss must be finite. */
export function checkEpochLog(log: { step: number; trainLoss: number; testLoss: number | null }): void {
  checkStepLoss(log.step, log.trainLoss, "the epoch's mean train loss");
  checkStepLoss(log.step, log.testLoss ?? 0, 'the test loss');
}

/** Every number of a finished cell is finite (losses, accuracy, each epoch's log). */
export function isFiniteRun(r: TrainResult): boolean {
  const nums = [r.testAccuracy, r.testLoss, r.trainLoss, ...r.epochs.flatMap((e) => [e.trainLoss, e.testAccuracy ?? 0, e.testLoss ?? 0])];
  return nums.every(Number.isFinite);
}

/** The finished cell, or DivergedRunError when it is not finite everywhere. */
export function checkFiniteRun(r: TrainResult): TrainResult {
  if (!isFiniteRun(r)) throw new DivergedRunError(null, 'a test or train loss of the finished run');
  return r;
}

/**
 * The divergence an error stands for, or null: ours, or the core trainer's own (any error whose
 * `code` is "diverged" or whose name says so), with its message kept and the hint added if absent.
 */
export function divergenceOf(e: unknown): DivergedRunError | null {
  if (e instanceof DivergedRunError) return e;
  if (!(e instanceof Error)) return null;
  const tagged = (e as { code?: unknown }).code === 'diverged' || /diverge/i.test(e.name);
  if (!tagged) return null;
  const step = (e as { step?: unknown }).step;
  const out = new DivergedRunError(typeof step === 'number' ? step : null);
  out.message = e.message.includes(DIVERGENCE_HINT) ? e.message : `${e.message.replace(/\.$/, '')}; ${DIVERGENCE_HINT}.`;
  return out;
}
