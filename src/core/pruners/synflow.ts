// SynFlow (Tanaka et al. 2020): with |θ| for every state_dict entry and the network in eval
// mode, R = Σ f(1); score = |θ ⊙ ∂R/∂θ|. Data-free: only the input shape is used.
// If float32 overflows on a deep net, the same pass is repeated with PX's running rescale
// (scores then differ by one positive factor, reported as scoreLogScale).
import { StandardOps } from '../models/ops';
import type { ParamMap } from '../models/state';
import { tf, type Tensor, type Tensor4D } from '../tf';
import { prunableTensors, toScoreMap, withPrunable } from './common';
import type { Pruner, ScoreInput, ScoreOutput } from './types';

export class SynFlowPruner implements Pruner {
  readonly method = 'synflow' as const;
  readonly data = 'input-shape' as const;

  async score({ model, params, masks }: ScoreInput): Promise<ScoreOutput> {
    const [c, h, w] = model.input;
    let kept: tf.Scalar | null = null;
    const run = (rescale: boolean) =>
      tf.tidy(() => {
        const absParams: ParamMap = {};
        for (const [k, v] of Object.entries(params)) absParams[k] = tf.abs(v);
        const weights = prunableTensors(model, absParams);
        const ones = tf.ones([1, h, w, c]) as Tensor4D;
        let logScale = tf.scalar(0);
        const grads = tf.grads((...ws: Tensor[]) => {
          const ops = new StandardOps({ params: withPrunable(model, absParams, ws), masks, bn: 'eval', rescale });
          const out = tf.sum(model.forward(ones, ops)) as tf.Scalar;
          if (ops.logScale) logScale = kept = tf.keep(ops.logScale.clone());
          return out;
        })(weights);
        const scores = grads.map((g, i) => tf.abs(tf.mul(g, weights[i])));
        return { scores, logScale };
      }) as { scores: Tensor[]; logScale: tf.Scalar };
    let r = run(false);
    const finiteT = tf.tidy(() => tf.all(tf.stack(r.scores.map((s) => tf.all(tf.isFinite(s))))));
    const finite = (await finiteT.data())[0];
    finiteT.dispose();
    const meta: Record<string, number | string> = {};
    if (!finite) {
      r.scores.forEach((s) => s.dispose());
      r.logScale.dispose();
      try {
        r = run(true);
      } catch (e) {
        // kept tensors outlive tidy: free the log scale of a pass that failed in its backward step
        (kept as tf.Scalar | null)?.dispose();
        throw e;
      }
      meta.scoreLogScale = (await r.logScale.data())[0];
      meta.note = 'float32 overflow: scores computed with running rescale, divided by exp(scoreLogScale)';
    }
    r.logScale.dispose();
    return { scores: toScoreMap(model, r.scores), meta };
  }
}
