// Divergence is a failure, never a result: the first non-finite loss or parameter stops the run.
import type { ParamMap } from '../models/state';
import { tf } from '../tf';

/** Training produced a non-finite loss or parameter: nothing it made may be used or written. */
export class DivergedError extends Error {
  override name = 'DivergedError';
  constructor(
    /** The optimiser step (1-based) whose loss, or whose update, was not finite. */
    readonly step: number,
    readonly totalSteps: number,
    what: string,
    readonly lr: number,
  ) {
    super(`training diverged at step ${step}/${totalSteps}: ${what} (learning rate ${lr} at that step); lower the learning rate`);
  }
}

/** Whether every entry of `params` is finite: one reduction per tensor, one read back. */
export async function paramsFinite(params: ParamMap): Promise<boolean> {
  const probe = tf.tidy(() => {
    const ts = Object.values(params).filter((t) => t.dtype === 'float32');
    // x·0 is 0 for finite x and NaN for ±Inf and NaN: one sum per tensor says whether any is not
    return ts.length ? tf.addN(ts.map((t) => tf.sum(tf.mul(t, 0)))) : tf.scalar(0);
  });
  try {
    return Number.isFinite((await probe.data())[0]);
  } finally {
    probe.dispose();
  }
}
