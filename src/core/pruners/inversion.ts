// Inversion, the sanity check of Frankle et al. (ICLR 2021, "Pruning neural networks at
// initialization: why are we missing the mark?"): keep the weights a method scores LOWEST. A
// method whose scores mean something should lose accuracy when inverted; one that does not has
// learnt little beyond each layer's kept count.
// As the lab runs it: every round's scores are negated before the official masking rule, so the
// rule keeps the lowest; weights already pruned get a score below every kept one, so they stay
// pruned over rounds (negating a pruned weight's zero score would otherwise revive it).
// Departure: the reference (OpenLTH, their `inverted` strategies) inverts one-shot scores; for
// the iterative methods (SynFlow, PX, NTK-SAP) the lab inverts every round of the schedule.
import type { ParamMap } from '../models/state';
import type { Model } from '../models/types';
import { tf } from '../tf';

/** Inverted scores (new tensors; the caller disposes both): −s where the mask keeps a weight,
 * −max(s) − 1 where it is already pruned. */
export function invertScores(model: Model, scores: ParamMap, masks: ParamMap): ParamMap {
  return tf.tidy(() => {
    const top = tf.max(tf.stack(model.prunable.map((l) => tf.max(scores[l.weight]))));
    const floor = tf.sub(tf.neg(top), 1);
    const out: ParamMap = {};
    for (const l of model.prunable) {
      const s = scores[l.weight];
      out[l.weight] = tf.where(tf.greater(masks[l.weight], 0), tf.neg(s), tf.broadcastTo(floor, s.shape));
    }
    return out;
  });
}
