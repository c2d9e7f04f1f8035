// NTK-SAP (Wang et al., ICLR 2023) as in the official PX repository: for each of R draws and each
// data batch, re-initialise the weights (kaiming normal; BN weight 1, bias 0), draw Gaussian
// inputs of the batch's shape, set BN running statistics from one train-mode pass (momentum 1,
// unbiased variance), then in eval mode compare f(θ) with f(θ + ε·N(0,1)) on the masked
// network: score = |∂ Σ‖f(θ)−f(θ')‖² / ∂mask| on kept weights (pruned weights score 0).
// Unlike the official code, the network's own weights are left untouched.
import { StandardOps } from '../models/ops';
import type { ParamMap } from '../models/state';
import { tf, type Tensor, type Tensor4D } from '../tf';
import { addLists, prunableTensors, toScoreMap, withPrunable } from './common';
import type { Pruner, ScoreInput, ScoreOutput } from './types';

export interface NtkSapOptions {
  /** Perturbation scale ε (official `ntksap_epsilon`). */
  epsilon: number;
  /** Independent draws per round (official `ntksap_R`). */
  draws: number;
}

export class NtkSapPruner implements Pruner {
  readonly method = 'ntksap' as const;
  readonly data = 'loss-batches' as const;

  constructor(readonly opts: NtkSapOptions = { epsilon: 0.01, draws: 1 }) {}

  async score({ model, params, masks, lossBatches, rng }: ScoreInput): Promise<ScoreOutput> {
    if (!lossBatches.length) throw new Error('NTK-SAP needs the shape of at least one batch');
    const maskList = prunableTensors(model, masks);
    let acc: Tensor[] | null = null;
    for (let d = 0; d < this.opts.draws; d++) {
      for (const b of lossBatches) {
        const [n, h, w, c] = b.x.shape;
        const g = tf.tidy(() => {
          const fresh: ParamMap = { ...params };
          const perturbed: ParamMap = {};
          for (const p of model.params) {
            if (p.role === 'weight') {
              const size = p.shape.reduce((a, s) => a * s, 1);
              fresh[p.name] = tf.tensor(rng.fillNormal(new Float32Array(size), Math.sqrt(2 / p.fanIn)), p.shape);
              perturbed[p.name] = tf.add(fresh[p.name], tf.tensor(rng.fillNormal(new Float32Array(size), this.opts.epsilon), p.shape));
            } else if (p.role === 'bn_weight') fresh[p.name] = tf.onesLike(params[p.name]);
            else if (p.role === 'bn_bias') fresh[p.name] = tf.zerosLike(params[p.name]);
          }
          const x = tf.tensor(rng.fillNormal(new Float32Array(n * h * w * c)), [n, h, w, c]) as Tensor4D;
          // running statistics from one train-mode pass with momentum 1 (PyTorch stores the unbiased variance)
          model.forward(
            x,
            new StandardOps({
              params: fresh,
              masks,
              bn: 'train',
              onBatchStats: (layer, mean, variance, count) => {
                fresh[`${layer}.running_mean`] = mean;
                fresh[`${layer}.running_var`] = count > 1 ? tf.mul(variance, count / (count - 1)) : variance;
              },
            }),
          );
          const pert: ParamMap = { ...fresh, ...perturbed };
          return tf.grads((...ms: Tensor[]) => {
            const mm = withPrunable(model, masks, ms);
            const a = model.forward(x, new StandardOps({ params: fresh, masks: mm, bn: 'eval' }));
            const bb = model.forward(x, new StandardOps({ params: pert, masks: mm, bn: 'eval' }));
            return tf.sum(tf.square(tf.sub(a, bb))) as tf.Scalar;
          })(maskList);
        });
        acc = addLists(acc, g);
      }
    }
    const scores = tf.tidy(() => acc!.map((t, i) => tf.abs(tf.mul(t, tf.cast(tf.notEqual(maskList[i], 0), 'float32')))));
    acc!.forEach((t) => t.dispose());
    return { scores: toScoreMap(model, scores) };
  }
}
