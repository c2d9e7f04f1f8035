// GraSP needs a Hessian-gradient product (a gradient of a gradient). tfjs silently gets second
// derivatives wrong through ops whose gradients reuse saved outputs (exp, logSoftmax), so the
// loss and convolution are written to avoid them; check H·v against finite differences.
import { expect, it } from 'vitest';
import { crossEntropy } from '../src/core/pruners/common';
import { conv2d } from '../src/core/conv';
import { batchNormTrain } from '../src/core/batchnorm';
import { tf } from '../src/core/tf';
import { useBackend, type BackendName } from '../src/core/backend';

it('H·v of cross-entropy through conv, train-mode BN, ReLU and a linear layer matches finite differences', async () => {
  const prev = tf.getBackend() as BackendName;
  await useBackend('cpu');
  try {
    const x = tf.randomNormal([4, 6, 6, 2], 0, 1, 'float32', 1) as tf.Tensor4D;
    const y = tf.tensor1d([0, 1, 2, 1], 'int32') as tf.Tensor1D;
    const w1 = tf.randomNormal([3, 3, 2, 3], 0, 0.5, 'float32', 2);
    const w2 = tf.randomNormal([3, 3], 0, 0.5, 'float32', 3);
    const v1 = tf.randomNormal([3, 3, 2, 3], 0, 1, 'float32', 4);
    const v2 = tf.randomNormal([3, 3], 0, 1, 'float32', 5);
    const gamma = tf.ones([3]);
    const beta = tf.zeros([3]);
    const loss = (a: tf.Tensor, b: tf.Tensor) => {
      const h = tf.relu(batchNormTrain(conv2d(x, a as tf.Tensor4D, { stride: 2, pad: 1 }), gamma, beta, 1e-5));
      return crossEntropy(tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, b as tf.Tensor2D), y);
    };
    const hv = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
      const [ga, gb] = tf.grads(loss)([a, b]);
      return tf.add(tf.sum(tf.mul(ga, v1)), tf.sum(tf.mul(gb, v2))) as tf.Scalar;
    })([w1, w2]);
    const h = 1e-2;
    const gp = tf.grads(loss)([tf.add(w1, tf.mul(v1, h)), tf.add(w2, tf.mul(v2, h))]);
    const gm = tf.grads(loss)([tf.sub(w1, tf.mul(v1, h)), tf.sub(w2, tf.mul(v2, h))]);
    hv.forEach((t, i) => {
      const fd = tf.div(tf.sub(gp[i], gm[i]), 2 * h);
      const err = tf.norm(tf.sub(t, fd)).dataSync()[0] / tf.norm(fd).dataSync()[0];
      expect(err).toBeLessThan(2e-3);
    });
  } finally {
    await useBackend(prev);
  }
});
