// Test-set evaluation in eval mode (BatchNorm on running statistics): top-1 accuracy and mean
// cross-entropy, batch by batch, nothing kept.
import { throwIfAborted } from '../abort';
import { nchwTensor } from '../models/input';
import { StandardOps } from '../models/ops';
import type { ParamMap } from '../models/state';
import type { Model } from '../models/types';
import { crossEntropy } from '../pruners/common';
import { tf } from '../tf';
import { toSource } from './data';
import type { EvalResult, TrainData } from './types';

export async function evaluateParams(
  model: Model,
  params: ParamMap,
  masks: ParamMap | null,
  data: TrainData,
  batchSize: number,
  signal?: AbortSignal,
): Promise<EvalResult> {
  const src = toSource(data);
  let correct = 0;
  let lossSum = 0;
  for (let s = 0; s < src.count; s += batchSize) {
    throwIfAborted(signal);
    const idx = Int32Array.from({ length: Math.min(batchSize, src.count - s) }, (_, k) => s + k);
    const b = src.batch(idx);
    const out = tf.tidy(() => {
      const x = nchwTensor(b.x, b.shape);
      const y = tf.tensor1d(b.y, 'int32');
      const logits = model.forward(x, new StandardOps({ params, masks: masks ?? undefined, bn: 'eval' }));
      const loss = tf.mul(crossEntropy(logits, y), idx.length);
      const hits = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), y), 'float32'));
      return tf.stack([loss, hits]);
    });
    const [l, h] = await out.data();
    out.dispose();
    lossSum += l;
    correct += h;
  }
  return { accuracy: src.count ? correct / src.count : NaN, loss: src.count ? lossSum / src.count : NaN, count: src.count };
}
