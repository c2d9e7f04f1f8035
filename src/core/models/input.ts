import { tf, type Tensor4D } from '../tf';

/** NCHW values (PyTorch/dataset layout) → NHWC tensor (tfjs layout). */
export function nchwTensor(data: Float32Array, shape: number[]): Tensor4D {
  if (shape.length !== 4) throw new Error(`inputs must be [N,C,H,W] (got [${shape}])`);
  const [n, c, h, w] = shape;
  if (data.length !== n * c * h * w) throw new Error(`inputs: ${data.length} values for shape [${shape}]`);
  return tf.tidy(() => (c === 1 ? tf.tensor4d(data, [n, h, w, 1]) : tf.transpose(tf.tensor4d(data, [n, c, h, w]), [0, 2, 3, 1])));
}
