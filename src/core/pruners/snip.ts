// SNIP (Lee et al. 2019): |∂L/∂mask| = |g ⊙ w| of the cross-entropy loss on the data, in
// train mode (BN batch statistics), gradients summed over batches, then divided by their sum.
import { tf, type Tensor } from '../tf';
import { addLists, crossEntropy, divideAll, forwardWith, globalSum, prunableTensors, toScoreMap, withPrunable } from './common';
import type { Pruner, ScoreInput, ScoreOutput } from './types';

export class SnipPruner implements Pruner {
  readonly method = 'snip' as const;
  readonly data = 'loss-batches' as const;

  async score({ model, params, masks, lossBatches }: ScoreInput): Promise<ScoreOutput> {
    if (!lossBatches.length) throw new Error('SNIP needs at least one batch of data');
    const maskList = prunableTensors(model, masks);
    let acc: Tensor[] | null = null;
    for (const b of lossBatches) {
      const g = tf.tidy(() =>
        tf.grads((...ms: Tensor[]) => {
          // first order: the gradient is taken once, so BatchNorm may keep its statistics (and run the wasm kernels)
          return crossEntropy(
            forwardWith(model, b.x, { params, masks: withPrunable(model, masks, ms), bn: 'train', firstOrder: true }),
            b.y,
          );
        })(maskList),
      );
      acc = addLists(acc, g);
    }
    const scores = tf.tidy(() => {
      const abs = acc!.map((t) => tf.abs(t));
      return divideAll(abs, globalSum(abs));
    });
    acc!.forEach((t) => t.dispose());
    return { scores: toScoreMap(model, scores) };
  }
}
