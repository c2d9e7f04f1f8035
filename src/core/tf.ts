// The one place the core imports TensorFlow.js from. Everything in src/core uses the
// functional API (tf.add(a, b)), never chained methods, so it does not depend on which
// copy of tfjs-core registered the Tensor prototype.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export { tf };
export type Tensor = tf.Tensor;
export type Tensor1D = tf.Tensor1D;
export type Tensor2D = tf.Tensor2D;
export type Tensor4D = tf.Tensor4D;
