// ResNet-20 exactly as the official lottery_resnet.resnet20 (open_lth): conv, bn, nine blocks
// blocks.{0..8}.{conv1,bn1,conv2,bn2}, 1×1 stride-2 conv + BN shortcuts in blocks 3 and 6
// (blocks.{3,6}.shortcut.{0,1}), Identity2d shortcuts elsewhere, average pool, fc.
import type { Tensor2D, Tensor4D } from '../tf';
import { tf } from '../tf';
import { ParamBuilder, convOut } from './builder';
import { globalAvgPool } from './convnet';
import type { LayerOps, Model, ResNet20Spec } from './types';

export function buildResNet20(spec: ResNet20Spec): Model {
  const width = spec.width ?? 16;
  const input = spec.input ?? [3, 32, 32];
  const classes = spec.classes ?? 10;
  const plan: Array<[number, number]> = [
    [width, 3],
    [2 * width, 3],
    [4 * width, 3],
  ];
  const b = new ParamBuilder();
  let h = input[1];
  let w = input[2];
  b.conv('conv', input[0], width, 3, false, h, w);
  b.batchNorm('bn', width);
  const blocks: Array<{ name: string; downsample: boolean }> = [];
  let cur = width;
  plan.forEach(([filters, n], seg) => {
    for (let j = 0; j < n; j++) {
      const downsample = seg > 0 && j === 0;
      const name = `blocks.${blocks.length}`;
      const stride = downsample ? 2 : 1;
      const ho = convOut(h, 3, stride, 1);
      const wo = convOut(w, 3, stride, 1);
      b.conv(`${name}.conv1`, cur, filters, 3, false, ho, wo);
      b.batchNorm(`${name}.bn1`, filters);
      b.conv(`${name}.conv2`, filters, filters, 3, false, ho, wo);
      b.batchNorm(`${name}.bn2`, filters);
      if (downsample || cur !== filters) {
        b.conv(`${name}.shortcut.0`, cur, filters, 1, false, convOut(h, 1, 2, 0), convOut(w, 1, 2, 0));
        b.batchNorm(`${name}.shortcut.1`, filters);
      } else {
        b.identity(`${name}.shortcut`, cur);
      }
      blocks.push({ name, downsample: downsample || cur !== filters });
      cur = filters;
      h = ho;
      w = wo;
    }
  });
  b.linear('fc', cur, classes);
  return b.model(
    'resnet20',
    `ResNet-20 (width ${width}), ${input.join('×')} → ${classes}`,
    spec,
    input,
    classes,
    (x: Tensor4D, ops: LayerOps): Tensor2D => {
      let t = ops.cut(ops.relu(ops.batchNorm(ops.conv(x, 'conv', { stride: 1, pad: 1 }), 'bn')));
      for (const blk of blocks) {
        const stride = blk.downsample ? 2 : 1;
        let out = ops.relu(ops.batchNorm(ops.conv(t, `${blk.name}.conv1`, { stride, pad: 1 }), `${blk.name}.bn1`));
        out = ops.batchNorm(ops.conv(out, `${blk.name}.conv2`, { stride: 1, pad: 1 }), `${blk.name}.bn2`);
        const sc = blk.downsample
          ? ops.batchNorm(ops.conv(t, `${blk.name}.shortcut.0`, { stride: 2, pad: 0 }), `${blk.name}.shortcut.1`)
          : ops.channelScale(t, `${blk.name}.shortcut`);
        t = ops.cut(ops.relu(tf.add(out, sc) as Tensor4D));
      }
      return ops.linear(globalAvgPool(t), 'fc');
    },
  );
}
