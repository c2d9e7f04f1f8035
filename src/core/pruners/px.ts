// PX, Path eXclusion (Iurada et al., CVPR 2024), as the official code computes it:
//   activation copy (eval, original weights) on x records each ReLU's on/off pattern;
//   jvf copy (name rule → 1) on x², ReLUs replaced by those gates, no gradient: z1;
//   pk copy (name rule → squared) on an all-ones input, ReLUs as identity: z2;
//   score = |∂Σ(z1·z2)/∂θ_pk| · θ²  (θ_pk = θ² except for entries the name rule skips, e.g. fc).
// Name rule: every entry whose name contains none of weight_mask, bias_mask, bn, fc.
// Variants: `px` evaluates every BatchNorm of the copies on running statistics (the paper's
// intent, the lab default); `px-official` runs the pk and jvf copies in training mode as the
// official HEAD does, which makes PX degenerate on BatchNorm networks.
// Two exact savings: z2 is the same for every sample (all-ones input), so Σ_n z1_n·z2 =
// (Σ_n z1_n)·z2 and the pk copy runs at batch 1; and the jvf copy, which overflows float32 on
// deep nets with eval-mode BN, is rescaled at cut points (see docs/methods.md, "PX in float32"): the scores
// shrink by one positive factor exp(scoreLogScale) and the ranking is unchanged.
import { evalBnAffine, StandardOps } from '../models/ops';
import type { ParamMap } from '../models/state';
import { addAll, tf, type Tensor, type Tensor4D } from '../tf';
import { prunableTensors, toScoreMap, withPrunable } from './common';
import type { Model } from '../models/types';
import type { Pruner, ScoreInput, ScoreOutput } from './types';

const SKIP = ['weight_mask', 'bias_mask', 'bn', 'fc'];

type EvalBn = Map<string, { a: Tensor; c: Tensor }>;

/** True when the official name rule squares (pk) / fills with ones (jvf) this entry. */
export function pxTransforms(name: string): boolean {
  return !SKIP.some((s) => name.includes(s));
}

function transformParams(params: ParamMap, f: (t: Tensor) => Tensor): ParamMap {
  const out: ParamMap = {};
  for (const [k, v] of Object.entries(params)) out[k] = pxTransforms(k) ? f(v) : v;
  return out;
}

/** float32 logs beyond which exp() overflows. */
const F32_LOG_MAX = Math.log(3.4e38);

export class PxPruner implements Pruner {
  readonly method: 'px' | 'px-official';
  readonly data = 'subset' as const;
  private readonly copiesBn: 'eval' | 'train';

  constructor(variant: 'px' | 'px-official' = 'px') {
    this.method = variant;
    this.copiesBn = variant === 'px' ? 'eval' : 'train';
  }

  async score({ model, params, masks, subsetBatches }: ScoreInput): Promise<ScoreOutput> {
    if (!subsetBatches.length) throw new Error('PX needs the class-balanced subset (at least one batch)');
    const hasBn = model.params.some((p) => p.role === 'bn_weight');
    // Train-mode BN renormalises the jvf copy by itself; rescaling is only needed (and only
    // exact) when every BN of that copy uses running statistics.
    const rescale = this.copiesBn === 'eval' || !hasBn;
    // eval-mode BN: the three copies share the BN parameters (the name rule skips bn), so (a, c) once
    const bnLayers = model.params.filter((p) => p.role === 'bn_weight').map((p) => p.module);
    const evalBn = this.copiesBn === 'eval' ? evalBnAffine(params, bnLayers) : undefined;
    try {
      return await this.scoreWith({ model, params, masks, subsetBatches, evalBn, rescale, hasBn });
    } finally {
      for (const { a, c: off } of evalBn?.values() ?? []) {
        a.dispose();
        off.dispose();
      }
    }
  }

  /** z1 of one batch summed over its samples, with the log of the rescale applied to it. */
  private jvfSum(
    model: Model,
    params: ParamMap,
    masks: ParamMap,
    x: Tensor4D,
    evalBn: EvalBn | undefined,
    rescale: boolean,
  ): { z1: Tensor; logScale: tf.Scalar } {
    return tf.tidy(() => {
      const gates: Tensor[] = [];
      const act = new StandardOps({
        params,
        masks,
        bn: 'eval',
        evalBn,
        activation: (t) => {
          gates.push(tf.cast(tf.greater(t, 0), 'float32'));
          return tf.relu(t);
        },
      });
      model.forward(x, act);
      // an all-ones weight times its mask is the mask (1·m = m exactly): no ones, no product
      const jvfParams: ParamMap = {};
      for (const [k, v] of Object.entries(params)) jvfParams[k] = !pxTransforms(k) ? v : masks[k] ? masks[k] : tf.onesLike(v);
      for (const l of model.prunable) if (!pxTransforms(l.weight)) jvfParams[l.weight] = tf.mul(params[l.weight], masks[l.weight]);
      const jvf = new StandardOps({
        params: jvfParams,
        bn: this.copiesBn,
        evalBn,
        rescale,
        activation: (t, site) => {
          const g = gates[site];
          if (!g) throw new Error('PX: activation patterns out of step between copies');
          return tf.mul(t, g);
        },
      });
      const z1 = tf.sum(model.forward(tf.square(x), jvf), 0);
      return { z1, logScale: jvf.logScale ? jvf.logScale : (tf.scalar(0) as tf.Scalar) };
    });
  }

  private async scoreWith({
    model,
    params,
    masks,
    subsetBatches,
    evalBn,
    rescale,
    hasBn,
  }: Pick<ScoreInput, 'model' | 'params' | 'masks' | 'subsetBatches'> & {
    evalBn?: EvalBn;
    rescale: boolean;
    hasBn: boolean;
  }): Promise<ScoreOutput> {
    const [c, h, w] = model.input;
    const z1Parts = subsetBatches.map((b) => this.jvfSum(model, params, masks, b.x, evalBn, rescale));

    // Σ over batches on a common scale: exp(ℓ_b − ℓ_max) ≤ 1.
    const { z1Total, logScale } = tf.tidy(() => {
      const ls = tf.stack(z1Parts.map((p) => p.logScale));
      const lmax = tf.max(ls) as tf.Scalar;
      const z = addAll(z1Parts.map((p) => tf.mul(p.z1, tf.exp(tf.sub(p.logScale, lmax)))));
      return { z1Total: z, logScale: lmax };
    });
    z1Parts.forEach((p) => {
      p.z1.dispose();
      p.logScale.dispose();
    });

    const scores = tf.tidy(() => {
      const pkParams = transformParams(params, (t) => tf.square(t));
      const pkWeights = prunableTensors(model, pkParams);
      const ones = tf.ones([1, h, w, c]) as Tensor4D;
      const grads = tf.grads((...ws: Tensor[]) => {
        const z2 = model.forward(
          ones,
          new StandardOps({ params: withPrunable(model, pkParams, ws), masks, bn: this.copiesBn, evalBn, activation: (t) => t }),
        );
        return tf.sum(tf.mul(z2, z1Total)) as tf.Scalar;
      })(pkWeights);
      return grads.map((g, i) => tf.mul(tf.abs(g), tf.square(params[model.prunable[i].weight])));
    });
    z1Total.dispose();

    // Undo the rescale when the true scores fit in float32.
    const ls = (await logScale.data())[0];
    logScale.dispose();
    let out = scores;
    let reported = ls;
    if (ls !== 0) {
      const maxT = tf.tidy(() => tf.max(tf.stack(scores.map((s) => tf.max(s)))));
      const maxScore = (await maxT.data())[0];
      maxT.dispose();
      if (maxScore > 0 && Math.log(maxScore) + ls < F32_LOG_MAX - 1) {
        // exp(ls) alone may not fit in float32 even when the products do: apply it in halves
        const half = Math.exp(ls / 2);
        out = tf.tidy(() => scores.map((s) => tf.mul(tf.mul(s, half), half)));
        scores.forEach((s) => s.dispose());
        reported = 0;
      }
    }
    return {
      scores: toScoreMap(model, out),
      meta: { scoreLogScale: reported, batchnormInCopies: hasBn ? this.copiesBn : 'none' },
    };
  }
}
