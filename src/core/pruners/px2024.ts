// PX as released with the paper (Iurada et al., CVPR 2024; official commit 82ce2bf, 2024-04-09,
// lib/pruners.py launched with aux_model resnet20_no_act): the recipe behind the published tables.
// The official HEAD (ed6c40e, 2025; the lab's `px-official`, and `px` on running statistics)
// rewrote it. What 82ce2bf computes, checked against the release's own output
// (test/fixtures/px2024, scores within 1.8e-4):
//   - every copy runs in training mode: BatchNorm on the batch statistics of the real data;
//   - squared copy (pk, z2): every state_dict entry whose name contains none of weight_mask,
//     bias_mask, bn is squared (fc.weight and fc.bias too); ReLUs off; input = the data;
//   - "all-ones" copy (jvf, z1): the release writes `p[m > 0].fill_(1.0)`, which fills a copy made
//     by boolean indexing and leaves the weights as they are; its ReLUs are replaced by the gates
//     of the activation copy, i.e. of itself. So z1 is the network's own output f(x) in training
//     mode, and the factor p2 the score multiplies by is θ·mask, not the mask;
//   - objective Σ z1·z2 over the first batch_limit = 2 batches of the training loader. That
//     loader shuffles (seeded) and augments (random crop, flip), and every round iterates it
//     afresh, so each round reads 2 new batches; here (and in the fixtures) every round reads the
//     same lossBatches, as for SNIP/GraSP/NTK-SAP;
//   - score = |p1.grad · p1 · p2 · θ²| = |∂Σz1·z2/∂θ²| · |θ|⁵ (0 where the mask is 0).
// The `_no_act` auxiliary model is the same network with switchable ReLUs, so the same rules apply
// to every zoo model. With training-mode BN the masks after many rounds follow float32 rounding:
// reordering the 20 images of the public ResNet-20 case inside their batch (no change in exact
// arithmetic) flips 14,822 mask entries after 10 rounds (bench/measured/px2024-r10-*.json).
import { StandardOps } from '../models/ops';
import type { ParamMap } from '../models/state';
import { tf, type Tensor } from '../tf';
import { addLists, prunableTensors, toScoreMap, withPrunable } from './common';
import type { Pruner, ScoreInput, ScoreOutput } from './types';

const SKIP_2024 = ['weight_mask', 'bias_mask', 'bn'];

/** True when the release squares this state_dict entry in its pk copy (fc included). */
export function px2024Squares(name: string): boolean {
  return !SKIP_2024.some((s) => name.includes(s));
}

export const PX2024_COMMIT = '82ce2bf';
/** The release's batch_limit: batches of the training loader PX reads. */
export const PX2024_BATCH_LIMIT = 2;

export class Px2024Pruner implements Pruner {
  readonly method = 'px-2024' as const;
  readonly data = 'loss-batches' as const;
  readonly batchLimit = PX2024_BATCH_LIMIT;

  async score({ model, params, masks, lossBatches }: ScoreInput): Promise<ScoreOutput> {
    if (!lossBatches.length) throw new Error('PX (2024) needs at least one batch of data');
    const bn = 'train' as const;
    // per round, not per batch: the masked weights of z1 and the squared entries of the pk copy
    const { z1Params, pkParams } = tf.tidy(() => {
      const z1p: ParamMap = { ...params };
      for (const l of model.prunable) z1p[l.weight] = tf.mul(params[l.weight], masks[l.weight]);
      const pk: ParamMap = {};
      for (const [k, v] of Object.entries(params)) pk[k] = px2024Squares(k) ? tf.square(v) : v;
      return { z1Params: z1p, pkParams: pk };
    });
    let acc: Tensor[] | null = null;
    try {
      for (const b of lossBatches) {
        const grads = tf.tidy(() => {
          // z1: the network itself in training mode (a constant of the objective: no gradient
          // is taken through it, so the first-order kernels serve)
          const z1 = model.forward(b.x, new StandardOps({ params: z1Params, bn, firstOrder: true }));
          return tf.grads((...ws: Tensor[]) => {
            const ops = new StandardOps({ params: withPrunable(model, pkParams, ws), masks, bn, activation: (t) => t, firstOrder: true });
            return tf.sum(tf.mul(z1, model.forward(b.x, ops))) as tf.Scalar;
          })(prunableTensors(model, pkParams));
        });
        acc = addLists(acc, grads);
      }
    } finally {
      for (const l of model.prunable) z1Params[l.weight].dispose();
      for (const [k, v] of Object.entries(pkParams)) if (v !== params[k]) v.dispose();
    }
    // |g|·|θ|⁵ as |g·θ⁴·θ|: the same float32 magnitudes, one kernel fewer
    const scores = tf.tidy(() =>
      acc!.map((g, i) => {
        const w = params[model.prunable[i].weight];
        return tf.abs(tf.mul(tf.mul(g, tf.square(tf.square(w))), w));
      }),
    );
    acc!.forEach((t) => t.dispose());
    return { scores: toScoreMap(model, scores), meta: { batches: lossBatches.length } };
  }
}
