// A run whose loss or weights stop being finite has diverged: its accuracy (a NaN network still
// predicts class 0, "10.00%") is not a result. One place decides it for the worker's Train, Sweep
// and Transfer runs, with core's one type for it (DivergedError, as the core trainer throws): a
// non-finite step loss stops the run at once (checkStepLoss), a finished cell with any non-finite
// number is refused (checkFiniteRun), and divergenceOf tells a divergence from other failures.
import { DivergedError } from '../core/train';
import type { TrainResult } from '../shared/protocol';

/** Throws DivergedError at the first non-finite loss (`step` is 1-based; `what` names the loss). */
export function checkStepLoss(step: number, loss: number, what = 'the loss'): void {
  if (!Number.isFinite(loss)) throw new DivergedError(step, `${what} is not a finite number`);
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

/** The finished cell, or DivergedError when it is not finite everywhere. */
export function checkFiniteRun(r: TrainResult): TrainResult {
  if (!isFiniteRun(r)) throw new DivergedError(null, 'a test or train loss of the finished run is not a finite number');
  return r;
}

/** The divergence an error stands for (the trainer's or these checks'), or null for any other failure. */
export function divergenceOf(e: unknown): DivergedError | null {
  return e instanceof DivergedError ? e : null;
}
