// A plain ConvNet: conv1, bn1, conv2, bn2, … (3×3, padding 1), ReLU, global average pool, fc.
import { tf, type Tensor2D, type Tensor4D } from '../tf';
import { ParamBuilder, convOut } from './builder';
import type { ConvNetSpec, LayerOps, Model } from './types';

export function globalAvgPool(x: Tensor4D): Tensor2D {
  return tf.mean(x, [1, 2]) as Tensor2D;
}

export function buildConvNet(spec: ConvNetSpec): Model {
  if (spec.channels.length !== spec.strides.length)
    throw new Error(`convnet: ${spec.channels.length} channel counts but ${spec.strides.length} strides`);
  const [c, h, w] = spec.input;
  const b = new ParamBuilder();
  let cin = c;
  let hh = h;
  let ww = w;
  spec.channels.forEach((cout, i) => {
    hh = convOut(hh, 3, spec.strides[i], 1);
    ww = convOut(ww, 3, spec.strides[i], 1);
    b.conv(`conv${i + 1}`, cin, cout, 3, spec.bias, hh, ww);
    if (spec.batchnorm) b.batchNorm(`bn${i + 1}`, cout);
    cin = cout;
  });
  b.linear('fc', cin, spec.classes);
  return b.model(
    'convnet',
    `ConvNet ${spec.channels.join('-')}${spec.batchnorm ? ' +BN' : ''}, ${c}×${h}×${w} → ${spec.classes}`,
    spec,
    spec.input,
    spec.classes,
    (x: Tensor4D, ops: LayerOps): Tensor2D => {
      let t = x;
      spec.channels.forEach((_, i) => {
        t = ops.conv(t, `conv${i + 1}`, { stride: spec.strides[i], pad: 1 });
        if (spec.batchnorm) t = ops.batchNorm(t, `bn${i + 1}`);
        t = ops.cut(ops.relu(t));
      });
      return ops.linear(globalAvgPool(t), 'fc');
    },
  );
}
