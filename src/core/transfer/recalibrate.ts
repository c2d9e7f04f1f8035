// BatchNorm recalibration of a pruned backbone: its running statistics recomputed on the
// downstream training split, as PyTorch does with momentum=None in train mode (the cumulative
// average of the batch means and of the unbiased batch variances, every layer after the first
// normalised by its batch statistics). Only the probe uses it: pruning shifts every layer's
// activations, so statistics measured on the dense network no longer centre them.
import { throwIfAborted } from '../abort';
import type { LabDataset } from '../data/dataset';
import { nchwTensor } from '../models/input';
import { StandardOps } from '../models/ops';
import { disposeMap, toParamMap, type StateDict } from '../models/state';
import type { Model } from '../models/types';
import { uploadMasks } from '../metrics/arrays';
import { tf, type Tensor } from '../tf';

/** A copy of `sd` whose BatchNorm running_mean/running_var are the averages over the training
 * split's batches of the masked network (`masks` keyed by the backbone's prunable weights). */
export async function recalibrateBn(
  model: Model,
  sd: StateDict,
  masks: Map<string, Float32Array> | undefined,
  ds: LabDataset,
  batchSize = 500,
  signal?: AbortSignal,
): Promise<StateDict> {
  const n = ds.size('train');
  const sums = new Map<string, { mean: Float64Array; variance: Float64Array }>();
  let batches = 0;
  const params = toParamMap(model, sd);
  const m = masks ? uploadMasks(model, masks) : undefined;
  try {
    for (let s = 0; s < n; s += batchSize) {
      throwIfAborted(signal);
      const b = ds.batch(
        'train',
        Int32Array.from({ length: Math.min(batchSize, n - s) }, (_, k) => s + k),
      );
      const stats: Array<[string, Tensor, Tensor]> = [];
      tf.tidy(() => {
        const ops = new StandardOps({
          params,
          masks: m,
          bn: 'train',
          onBatchStats: (layer, mean, variance, count) => {
            const unbiased = count > 1 ? tf.mul(variance, count / (count - 1)) : variance;
            stats.push([layer, tf.keep(tf.reshape(mean, [-1])), tf.keep(tf.reshape(unbiased, [-1]))]);
          },
        });
        model.forward(nchwTensor(b.x, b.shape), ops);
      });
      for (const [layer, mean, variance] of stats) {
        const mv = (await mean.data()) as Float32Array;
        const vv = (await variance.data()) as Float32Array;
        mean.dispose();
        variance.dispose();
        const acc = sums.get(layer) ?? { mean: new Float64Array(mv.length), variance: new Float64Array(vv.length) };
        mv.forEach((v, i) => (acc.mean[i] += v));
        vv.forEach((v, i) => (acc.variance[i] += v));
        sums.set(layer, acc);
      }
      batches++;
    }
  } finally {
    disposeMap(params);
    if (m) disposeMap(m);
  }
  const out = new Map(sd);
  for (const [layer, acc] of sums) {
    out.set(
      `${layer}.running_mean`,
      Float32Array.from(acc.mean, (v) => v / batches),
    );
    out.set(
      `${layer}.running_var`,
      Float32Array.from(acc.variance, (v) => v / batches),
    );
  }
  return out;
}
