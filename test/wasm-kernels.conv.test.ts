// The lab's wasm SIMD convolution gradients (filter and input) against tfjs's own conv2d
// gradients on the cpu backend (an independent implementation), over the geometries the zoo uses and the awkward ones: odd sizes
// where stride 2 leaves the last row unused, no padding, 1×1 and 5×5 filters, one input channel,
// channel counts that are and are not a multiple of the kernels' 16-wide tiles.
import { describe, expect, it } from 'vitest';
import { useBackend } from '../src/core/backend';
import { restoreBackendAfter } from './backendScope';
import { Rng } from '../src/core/rng';
import { tf, type Tensor4D } from '../src/core/tf';
import { FILTER_GRAD_KERNEL, INPUT_GRAD_KERNEL } from '../src/core/labKernels';
import { wasmFilterGrad, wasmInputGrad } from '../src/core/wasm-kernels';
import { relL2 } from './fixtures';

function rand(shape: number[], seed: number): Float32Array {
  return new Rng(seed).fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1)));
}

const CASES = [
  { n: 3, h: 8, ci: 16, co: 16, k: 3, stride: 1, pad: 1 },
  { n: 2, h: 8, ci: 16, co: 32, k: 3, stride: 2, pad: 1 },
  { n: 2, h: 7, ci: 3, co: 20, k: 3, stride: 2, pad: 1 },
  { n: 2, h: 7, ci: 20, co: 6, k: 3, stride: 2, pad: 1 },
  { n: 2, h: 5, ci: 32, co: 16, k: 3, stride: 1, pad: 1 },
  { n: 2, h: 9, ci: 5, co: 8, k: 3, stride: 1, pad: 0 },
  { n: 2, h: 8, ci: 4, co: 4, k: 1, stride: 2, pad: 0 },
  { n: 2, h: 12, ci: 1, co: 36, k: 5, stride: 1, pad: 2 },
  { n: 1, h: 6, ci: 2, co: 4, k: 3, stride: 3, pad: 1 },
];

describe('wasm SIMD convolution gradients', () => {
  restoreBackendAfter();

  for (const c of CASES) {
    it(`N${c.n} ${c.h}×${c.h}×${c.ci} → ${c.co}, k${c.k}, stride ${c.stride}, pad ${c.pad}`, async () => {
      const xv = rand([c.n, c.h, c.h, c.ci], 1);
      const pads = [
        [0, 0],
        [c.pad, c.pad],
        [c.pad, c.pad],
        [0, 0],
      ] as [[number, number], [number, number], [number, number], [number, number]];
      const ho = Math.floor((c.h + 2 * c.pad - c.k) / c.stride) + 1;
      const dyShape = [c.n, ho, ho, c.co];
      const dyv = rand(dyShape, 2);
      const wShape = [c.k, c.k, c.ci, c.co];
      const xShape = [c.n, c.h, c.h, c.ci] as [number, number, number, number];
      const wv = rand(wShape, 3);
      await useBackend('cpu');
      const inputs = () => ({
        x: tf.tensor4d(xv, xShape),
        dy: tf.tensor4d(dyv, dyShape as [number, number, number, number]),
        w: tf.tensor4d(wv, wShape as [number, number, number, number]),
      });
      const ref = inputs();
      const grads = tf.grads((x: tf.Tensor, w: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(x as Tensor4D, w as Tensor4D, c.stride, pads), ref.dy)),
      );
      const [refX, refW] = grads([ref.x, ref.w]).map((t) => t.dataSync());
      await useBackend('wasm');
      const before = tf.memory().numTensors;
      const geo = { stride: c.stride, pad: c.pad };
      const t = inputs();
      const outs = [wasmFilterGrad(t.x, t.dy, wShape, geo), wasmInputGrad(t.dy, t.w, xShape, geo)];
      const [dw, dx] = outs.map((o) => o?.dataSync() ?? null);
      tf.dispose([t.x, t.dy, t.w, ...outs.filter((o) => o !== null)]);
      expect(tf.memory().numTensors).toBe(before);
      // the filter kernel takes output channels in fours, the input kernel input channels
      expect(dw === null).toBe(c.co % 4 !== 0);
      expect(dx === null).toBe(c.ci % 4 !== 0);
      if (dw) expect(relL2(dw, refW)).toBeLessThan(1e-6);
      if (dx) expect(relL2(dx, refX)).toBeLessThan(1e-6);
    });
  }

  it('runs as a tfjs kernel (seen by tf.profile) and declines what it does not handle', async () => {
    await useBackend('wasm');
    const x = tf.ones([1, 5, 5, 2]) as Tensor4D;
    const profile = await tf.profile(() => wasmFilterGrad(x, tf.ones([1, 5, 5, 8]) as Tensor4D, [3, 3, 2, 8], { stride: 1, pad: 1 })!);
    expect(profile.kernels.map((k) => k.name)).toContain(FILTER_GRAD_KERNEL);
    const w = tf.ones([3, 3, 4, 8]) as Tensor4D;
    const profileX = await tf.profile(() => wasmInputGrad(tf.ones([1, 5, 5, 8]) as Tensor4D, w, [1, 5, 5, 4], { stride: 1, pad: 1 })!);
    expect(profileX.kernels.map((k) => k.name)).toContain(INPUT_GRAD_KERNEL);
    expect(wasmFilterGrad(x, tf.ones([1, 5, 5, 6]) as Tensor4D, [3, 3, 2, 6], { stride: 1, pad: 1 })).toBeNull();
    await useBackend('cpu');
    expect(wasmFilterGrad(x, tf.ones([1, 5, 5, 8]) as Tensor4D, [3, 3, 2, 8], { stride: 1, pad: 1 })).toBeNull();
    tf.disposeVariables();
  });
});
