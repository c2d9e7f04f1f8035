// VGG-16 with BatchNorm as the official lottery_vgg.vgg16_bn: one Sequential `layers` over the
// plan (indices count the max-pools), each conv entry `layers.{i}.conv` (3×3, pad 1, bias)
// + `layers.{i}.bn`, ReLU; AvgPool2d(2) on the 2×2 map; fc(512, classes).
import { tf, type Tensor2D, type Tensor4D } from '../tf';
import { ParamBuilder, convOut } from './builder';
import type { LayerOps, Model, Vgg16BnSpec } from './types';

const PLAN: Array<number | 'M'> = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512];

export function buildVgg16Bn(spec: Vgg16BnSpec): Model {
  const input = spec.input ?? [3, 32, 32];
  const classes = spec.classes ?? 10;
  if (input[1] !== 32 || input[2] !== 32)
    throw new Error(`vgg16_bn needs 32×32 input (got ${input[1]}×${input[2]}); resize or pad the data first`);
  const b = new ParamBuilder();
  let cin = input[0];
  let h = input[1];
  PLAN.forEach((p, i) => {
    if (p === 'M') {
      h = Math.floor(h / 2);
      return;
    }
    b.conv(`layers.${i}.conv`, cin, p, 3, true, convOut(h, 3, 1, 1), convOut(h, 3, 1, 1));
    b.batchNorm(`layers.${i}.bn`, p);
    cin = p;
  });
  b.linear('fc', 512, classes);
  return b.model('vgg16_bn', `VGG-16-BN, ${input.join('×')} → ${classes}`, spec, input, classes, (x: Tensor4D, ops: LayerOps): Tensor2D => {
    let t = x;
    PLAN.forEach((p, i) => {
      if (p === 'M') t = tf.maxPool(t, 2, 2, 'valid');
      else t = ops.cut(ops.relu(ops.batchNorm(ops.conv(t, `layers.${i}.conv`, { stride: 1, pad: 1 }), `layers.${i}.bn`)));
    });
    t = tf.avgPool(t, 2, 2, 'valid');
    return ops.linear(tf.reshape(t, [t.shape[0], t.shape[1] * t.shape[2] * t.shape[3]]) as Tensor2D, 'fc');
  });
}
