// Divergence is a failure, never a result: the first non-finite loss or parameter stops the run.
import type { ParamMap } from '../models/state';
import { tf } from '../tf';

/** The hint every divergence message ends with. */
const DIVERGENCE_HINT = 'lower the learning rate';

/** Training produced a non-finite loss or parameter: nothing it made may be used or written. */
export class DivergedError extends Error {
  override name = 'DivergedError';
  /** The error code the page's protocol reports a diverged run with. */
  readonly code = 'diverged' as const;
  constructor(
    /** The optimiser step (1-based) whose loss, or whose update, was not finite; null when found after the run. */
    readonly step: number | null,
    what: string,
    /** The run's length in steps and the learning rate at that step, where the trainer knows them. */
    readonly at: { steps: number; lr: number } | null = null,
  ) {
    const where = step === null ? '' : ` at step ${step}${at ? `/${at.steps}` : ''}`;
    super(`training diverged${where}: ${what}${at ? ` (learning rate ${at.lr} at that step)` : ''}; ${DIVERGENCE_HINT}`);
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
