// GraSP (Wang et al. 2020) as in Synaptic-Flow / the official PX code: g = ∂L/∂w on logits/200,
// Hg by differentiating g·stop(g), score = w ⊙ Hg divided by |Σ| + 1e-10. The sign is kept (not
// negated, despite the official comment): the most negative weights are pruned.
import { addAll, tf, type Tensor } from '../tf';
import { addLists, crossEntropy, divideAll, forwardWith, globalSum, prunableTensors, toScoreMap } from './common';
import type { Batch, Pruner, ScoreInput, ScoreOutput } from './types';

const TEMPERATURE = 200;
const EPS = 1e-10;

export class GraspPruner implements Pruner {
  readonly method = 'grasp' as const;
  readonly data = 'loss-batches' as const;

  async score({ model, params, masks, lossBatches }: ScoreInput): Promise<ScoreOutput> {
    if (!lossBatches.length) throw new Error('GraSP needs at least one batch of data');
    const weights = prunableTensors(model, params);
    const loss =
      (b: Batch) =>
      (...ws: Tensor[]) =>
        crossEntropy(tf.div(forwardWith(model, b.x, { params, masks, bn: 'train' }, ws), TEMPERATURE) as tf.Tensor2D, b.y);
    let stopped: Tensor[] | null = null;
    for (const b of lossBatches)
      stopped = addLists(
        stopped,
        tf.tidy(() => tf.grads(loss(b))(weights)),
      );
    let hg: Tensor[] | null = null;
    for (const b of lossBatches) {
      const h = tf.tidy(() =>
        tf.grads((...ws: Tensor[]) => {
          const g = tf.grads(loss(b))(ws);
          return addAll(g.map((gi, i) => tf.sum(tf.mul(gi, stopped![i])))) as tf.Scalar;
        })(weights),
      );
      hg = addLists(hg, h);
    }
    const scores = tf.tidy(() => {
      const s = hg!.map((t, i) => tf.mul(t, weights[i]));
      return divideAll(s, tf.add(tf.abs(globalSum(s)), EPS) as tf.Scalar);
    });
    stopped!.forEach((t) => t.dispose());
    hg!.forEach((t) => t.dispose());
    return { scores: toScoreMap(model, scores) };
  }
}
