// Iterative magnitude pruning with rewinding, the lottery-ticket procedure (Frankle & Carbin,
// ICLR 2019, "The lottery ticket hypothesis"; Frankle et al., ICML 2020, "Linear mode
// connectivity and the lottery ticket hypothesis"): every round trains the masked network from
// the rewind point, then prunes the trained weights of smallest magnitude globally; the shared
// schedule's R rounds each keep d^(1/R) of the remaining weights, reaching density d.
// As the lab runs it: the rewind point is the weights the job starts from (iteration j = 0,
// rewinding to initialisation as Frankle & Carbin; a sweep cell then trains the ticket from
// them); a round's training k is one pass over the method's loss batches (IMP_BATCHES seeded
// batches of the prune batch size), SGD with the official recipe's optimiser (lr 0.1, momentum
// 0.9, weight decay 1e-4), BatchNorm in train mode. Scores are |trained weight| on kept weights
// and 0 on pruned ones, so pruned weights stay pruned.
// Departures: the reference trains whole epochs every round and, for deep networks, rewinds to an
// early iteration j > 0; the lab trains a few batches per round (to fit a browser) and rewinds to 0.
import type { ParamMap } from '../models/state';
import { disposeMap } from '../models/state';
import { Sgd } from '../train/sgd';
import { trainStep } from '../train/step';
import { tf } from '../tf';
import type { Pruner, ScoreInput, ScoreOutput } from './types';

/** Batches (of the prune batch size) one round trains on. */
export const IMP_BATCHES = 8;
/** The official training recipe's optimiser. */
export const IMP_SGD = { lr: 0.1, momentum: 0.9, weightDecay: 1e-4, nesterov: false } as const;

export class ImpPruner implements Pruner {
  readonly method = 'imp' as const;
  readonly data = 'loss-batches' as const;
  readonly batchLimit = IMP_BATCHES;

  async score({ model, params, masks, lossBatches }: ScoreInput): Promise<ScoreOutput> {
    if (!lossBatches.length) throw new Error('imp needs training batches');
    // rewind: every round trains a fresh copy of the starting weights under the current masks
    const state = { params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, tf.clone(v)])) as ParamMap, masks };
    const sgd = new Sgd(IMP_SGD);
    let loss = NaN;
    try {
      for (const b of lossBatches) loss = await trainStep(model, state, sgd, b.x, b.y, IMP_SGD.lr);
      const scores: ScoreOutput['scores'] = {};
      for (const l of model.prunable) scores[l.weight] = tf.tidy(() => tf.mul(tf.abs(state.params[l.weight]), masks[l.weight]));
      return { scores, meta: { lastLoss: loss } };
    } finally {
      disposeMap(state.params);
      sgd.dispose();
    }
  }
}
