// The custom convolution gradient (forward convolutions only) against tfjs's own conv gradient
// on the cpu backend, for every geometry the zoo uses; and gradients of a small BN conv net on
// each Node backend against the cpu backend.
import { describe, expect, it } from 'vitest';
import { conv2d, convFilterGrad, convInputGrad } from '../src/core/conv';
import { buildModel } from '../src/core/models';
import { StandardOps } from '../src/core/models/ops';
import { initStateDict, toParamMap, disposeMap } from '../src/core/models/state';
import { crossEntropy } from '../src/core/pruners/common';
import { Rng } from '../src/core/rng';
import { tf } from '../src/core/tf';
import { useBackend, type BackendName } from '../src/core/backend';
import { relL2 } from './fixtures';

function rand(shape: number[], seed: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(new Rng(seed).fillNormal(new Float32Array(n)), shape);
}

const GEOMETRIES = [
  { h: 8, k: 3, stride: 1, pad: 1 },
  { h: 8, k: 3, stride: 2, pad: 1 },
  { h: 7, k: 3, stride: 2, pad: 1 },
  { h: 8, k: 1, stride: 2, pad: 0 },
  { h: 9, k: 3, stride: 1, pad: 0 },
];

describe('custom conv gradient equals tfjs conv gradient (cpu backend)', () => {
  for (const g of GEOMETRIES) {
    it(`${g.h}×${g.h}, k${g.k}, stride ${g.stride}, pad ${g.pad}`, async () => {
      const prev = tf.getBackend() as BackendName;
      await useBackend('cpu');
      try {
        const x = rand([2, g.h, g.h, 3], 1) as tf.Tensor4D;
        const w = rand([g.k, g.k, 3, 4], 2) as tf.Tensor4D;
        const geo = { stride: g.stride, pad: g.pad };
        const tfPad =
          g.pad === 0
            ? 'valid'
            : ([
                [0, 0],
                [g.pad, g.pad],
                [g.pad, g.pad],
                [0, 0],
              ] as [[number, number], [number, number], [number, number], [number, number]]);
        const y = conv2d(x, w, geo);
        const yRef = tf.conv2d(x, w, g.stride, tfPad);
        expect(relL2(y.dataSync(), yRef.dataSync())).toBeLessThan(1e-6);
        const dy = rand(yRef.shape, 3) as tf.Tensor4D;
        const [gxRef, gwRef] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, g.stride, tfPad), dy)),
        )([x, w]);
        const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv2d(a as tf.Tensor4D, b as tf.Tensor4D, geo), dy)))([
          x,
          w,
        ]);
        expect(relL2(gx.dataSync(), gxRef.dataSync())).toBeLessThan(1e-5);
        expect(relL2(gw.dataSync(), gwRef.dataSync())).toBeLessThan(1e-5);
        expect(relL2(convFilterGrad(x, dy, w.shape, geo).dataSync(), gwRef.dataSync())).toBeLessThan(1e-5);
        expect(relL2(convInputGrad(dy, w, x.shape, geo).dataSync(), gxRef.dataSync())).toBeLessThan(1e-5);
      } finally {
        await useBackend(prev);
      }
    });
  }
});

describe('a small BN conv net has the same gradients on every Node backend as on cpu', () => {
  const spec = { kind: 'convnet', input: [3, 8, 8], channels: [4, 8], strides: [1, 2], batchnorm: true, bias: false, classes: 10 } as const;
  async function gradients(backend: BackendName) {
    const prev = tf.getBackend() as BackendName;
    await useBackend(backend);
    try {
      const model = buildModel(spec as never);
      const params = toParamMap(model, initStateDict(model, 3));
      const x = rand([6, 8, 8, 3], 4) as tf.Tensor4D;
      const y = tf.tensor1d([0, 1, 2, 3, 4, 5], 'int32') as tf.Tensor1D;
      const ws = model.prunable.map((l) => params[l.weight]);
      const gs = tf.grads((...w: tf.Tensor[]) => {
        const p = { ...params };
        model.prunable.forEach((l, i) => (p[l.weight] = w[i]));
        return crossEntropy(model.forward(x, new StandardOps({ params: p, bn: 'train' })), y);
      })(ws);
      const out = gs.map((g) => Array.from(g.dataSync()));
      disposeMap(params);
      [x, y, ...gs].forEach((t) => t.dispose());
      return out;
    } finally {
      await useBackend(prev);
    }
  }
  for (const backend of ['wasm'] as BackendName[]) {
    it(`${backend} vs cpu`, async () => {
      const ref = await gradients('cpu');
      const got = await gradients(backend);
      got.forEach((g, i) => expect(relL2(g, ref[i])).toBeLessThan(1e-4));
    });
  }
});
