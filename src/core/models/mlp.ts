// Multi-layer perceptron: l1, l2, …, fc (Linear with bias), ReLU between, input flattened in
// C,H,W order as x.view(N, -1) does in PyTorch.
import { tf, type Tensor2D, type Tensor4D } from '../tf';
import { ParamBuilder } from './builder';
import type { LayerOps, MlpSpec, Model } from './types';

/** NHWC → [N, C·H·W] in PyTorch's CHW order. */
export function flattenCHW(x: Tensor4D): Tensor2D {
  const [n, h, w, c] = x.shape;
  const chw = c === 1 ? x : tf.transpose(x, [0, 3, 1, 2]);
  return tf.reshape(chw, [n, c * h * w]);
}

export function buildMlp(spec: MlpSpec): Model {
  const [c, h, w] = spec.input;
  const b = new ParamBuilder();
  let fin = c * h * w;
  spec.hidden.forEach((units, i) => {
    b.linear(`l${i + 1}`, fin, units);
    fin = units;
  });
  b.linear('fc', fin, spec.classes);
  return b.model(
    'mlp',
    `MLP ${[c * h * w, ...spec.hidden, spec.classes].join('→')}`,
    spec,
    spec.input,
    spec.classes,
    (x: Tensor4D, ops: LayerOps): Tensor2D => {
      let t = flattenCHW(x);
      for (let i = 0; i < spec.hidden.length; i++) t = ops.cut(ops.relu(ops.linear(t, `l${i + 1}`)));
      return ops.linear(t, 'fc');
    },
  );
}
