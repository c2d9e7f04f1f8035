// Iterative magnitude pruning with rewinding, the lottery-ticket procedure (Frankle & Carbin,
// ICLR 2019, "The lottery ticket hypothesis"; Frankle et al., ICML 2020, "Linear mode
// connectivity and the lottery ticket hypothesis"): train the network to iteration j (θ_j); then
// every round trains the masked network from θ_j to the end of training, prunes the trained
// weights of smallest magnitude globally and rewinds the survivors to θ_j; the shared schedule's
// R rounds each keep d^(1/R) of the remaining weights, reaching density d. The ticket is the
// final mask with the weights θ_j.
// As the lab runs it: "training" is one pass over the method's loss batches (IMP_BATCHES seeded
// batches of the prune batch size, steps 0..T−1 with T = IMP_BATCHES), SGD with the official
// recipe's optimiser (lr 0.1, momentum 0.9, weight decay 1e-4), BatchNorm in train mode. θ_j is
// the dense network after steps 0..j−1 (j = `rewind`, 0 = the initial weights, as Frankle &
// Carbin); every round restarts at θ_j with a fresh momentum buffer and trains steps j..T−1.
// Scores are |trained weight| on kept weights and 0 on pruned ones, so pruned weights stay
// pruned. A sweep cell trains the ticket (mask, θ_j) with the plan's whole recipe from θ_j.
// Departures: the reference trains whole epochs every round (T in the thousands, j a few hundred
// iterations) and resumes the learning-rate schedule at j when it trains the ticket; the lab
// trains T = 8 batches per round (to fit a browser), so j is at most 7 steps, and a cell's
// budget starts again at θ_j (the j steps are part of pruning, not of the cell's training).
import type { ParamMap } from '../models/state';
import { disposeMap } from '../models/state';
import { Sgd } from '../train/sgd';
import { trainStep } from '../train/step';
import { tf } from '../tf';
import type { Batch, Pruner, ScoreInput, ScoreOutput } from './types';
import { FIELD_FACTS } from '../../shared/fields';
import type { Model } from '../models/types';

/** Batches (of the prune batch size) one round trains on: the lab's T. */
export const IMP_BATCHES = 8;
/** The official training recipe's optimiser. */
export const IMP_SGD = { lr: 0.1, momentum: 0.9, weightDecay: 1e-4, nesterov: false } as const;

const cloneMap = (m: ParamMap): ParamMap => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, tf.clone(v)]));

/** Train `params` (copied; the copy is returned) under `masks` on `batches`, fresh momentum. */
async function trainCopy(
  model: Model,
  params: ParamMap,
  masks: ParamMap | null,
  batches: Batch[],
): Promise<{ params: ParamMap; loss: number }> {
  const state = { params: cloneMap(params), masks };
  const sgd = new Sgd(IMP_SGD);
  let loss = NaN;
  try {
    for (const b of batches) loss = await trainStep(model, state, sgd, b.x, b.y, IMP_SGD.lr);
    return { params: state.params, loss };
  } catch (e) {
    disposeMap(state.params);
    throw e;
  } finally {
    sgd.dispose();
  }
}

export class ImpPruner implements Pruner {
  readonly method = 'imp' as const;
  readonly data = 'loss-batches' as const;
  readonly batchLimit = IMP_BATCHES;
  /** θ_j, made on the first round (null while j = 0: the starting weights themselves). */
  private rewound: ParamMap | null = null;

  /** `rewind`: the rewind point j in steps, 0..IMP_BATCHES−1. */
  constructor(readonly rewind = 0) {
    const f = FIELD_FACTS.impRewind;
    if (!Number.isInteger(rewind) || rewind < f.min || rewind > Math.min(f.max, IMP_BATCHES - 1))
      throw new Error(`imp: rewind step must be an integer in ${f.min}..${IMP_BATCHES - 1} (got ${rewind})`);
  }

  async score({ model, params, masks, lossBatches }: ScoreInput): Promise<ScoreOutput> {
    if (lossBatches.length <= this.rewind)
      throw new Error(`imp needs more training batches than its rewind step ${this.rewind} (got ${lossBatches.length})`);
    if (this.rewind > 0 && !this.rewound) this.rewound = (await trainCopy(model, params, null, lossBatches.slice(0, this.rewind))).params;
    const start = this.rewound ?? params;
    const trained = await trainCopy(model, start, masks, lossBatches.slice(this.rewind));
    try {
      const scores: ScoreOutput['scores'] = {};
      for (const l of model.prunable) scores[l.weight] = tf.tidy(() => tf.mul(tf.abs(trained.params[l.weight]), masks[l.weight]));
      return { scores, meta: { lastLoss: trained.loss } };
    } finally {
      disposeMap(trained.params);
    }
  }

  /** The ticket's weights θ_j (owned by the pruner until dispose); null when j = 0. */
  ticketWeights(): ParamMap | null {
    return this.rewound;
  }

  dispose(): void {
    if (this.rewound) disposeMap(this.rewound);
    this.rewound = null;
  }
}
