// 2-D convolution (NHWC input, [kh,kw,in,out] filter, symmetric zero padding as in PyTorch)
// with a gradient written only with forward convolutions, pads, reshapes and transposes.
//
// Why: the wasm backend has no Conv2DBackpropFilter kernel, its Conv2DBackpropInput is ~13x
// slower than Conv2D, and tfjs registers no gradient for Conv2DBackpropFilter, so GraSP's
// Hessian-gradient product (a gradient of a gradient) would fail on every backend. Built from
// differentiable ops, this gradient can itself be differentiated. On wasm both gradients run the
// lab's own SIMD kernels (wasm-kernels/) as their values, with the same derivatives. The forward
// stays XNNPACK's: its numbers do not depend on the thread count, so the page (threads) and Node
// (one thread) compute the same results; a lab forward kernel was 10–20% faster on one thread.
// The convolution is a kernel of its own (PxConv2D, the backend's Conv2D underneath) with one
// gradient function per input, so tfjs computes dL/dx only where a gradient needs it: never the
// images' (a pad and a convolution of the first layer, ≈ 2.5% of a ResNet-20 training step).
import { tf, type Tensor4D } from './tf';
import type { ConvGeometry } from './convGeometry';
import { wasmFilterGrad, wasmInputGrad } from './wasm-kernels';

export type { ConvGeometry };

/** Insert (s-1) zeros between the rows and the columns of t (NHWC), no trailing zeros. Only
 * 4-D pads and reshapes: tfjs-webgpu's Pad shader fails on 6-D tensors ("cannot index vec6"). */
export function dilateSpatial(t: Tensor4D, s: number): Tensor4D {
  if (s === 1) return t;
  const [n, h, w, c] = t.shape;
  const hd = (h - 1) * s + 1;
  const wd = (w - 1) * s + 1;
  // rows: [n, h, 1, w·c] → pad to [n, h, s, w·c] → [n, h·s, w, c] → first hd rows
  const rows = tf.pad(tf.reshape(t, [n, h, 1, w * c]), [
    [0, 0],
    [0, 0],
    [0, s - 1],
    [0, 0],
  ]);
  const r = tf.slice(tf.reshape(rows, [n, h * s, w, c]), [0, 0, 0, 0], [n, hd, w, c]);
  // columns: [n·hd, w, 1, c] → pad to [n·hd, w, s, c] → [n, hd, w·s, c] → first wd columns
  const cols = tf.pad(tf.reshape(r, [n * hd, w, 1, c]), [
    [0, 0],
    [0, 0],
    [0, s - 1],
    [0, 0],
  ]);
  return tf.slice(tf.reshape(cols, [n, hd, w * s, c]), [0, 0, 0, 0], [n, hd, wd, c]) as Tensor4D;
}

/** dL/dx from dL/dy by a stride-1 convolution of the dilated dy with the flipped filter. */
export function convInputGrad(dy: Tensor4D, w: Tensor4D, xShape: number[], g: ConvGeometry): Tensor4D {
  const [, h, wd] = xShape;
  const [kh, kw] = w.shape;
  const s = g.stride;
  const p = g.pad;
  const [, ho, wo] = dy.shape;
  const rh = h + 2 * p - ((ho - 1) * s + kh);
  const rw = wd + 2 * p - ((wo - 1) * s + kw);
  const dyd = dilateSpatial(dy, s);
  // flip spatially and swap in/out: [kh,kw,out,in]
  const wf = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as Tensor4D;
  let top = kh - 1 - p;
  let bottom = kh - 1 - p + rh;
  let left = kw - 1 - p;
  let right = kw - 1 - p + rw;
  let src = dyd;
  // Negative padding (p > k-1) means cropping the dilated gradient instead.
  if (top < 0 || left < 0 || bottom < 0 || right < 0) {
    const ct = Math.max(0, -top);
    const cb = Math.max(0, -bottom);
    const cl = Math.max(0, -left);
    const cr = Math.max(0, -right);
    src = tf.slice(src, [0, ct, cl, 0], [src.shape[0], src.shape[1] - ct - cb, src.shape[2] - cl - cr, src.shape[3]]);
    top = Math.max(0, top);
    bottom = Math.max(0, bottom);
    left = Math.max(0, left);
    right = Math.max(0, right);
  }
  const padded =
    top || bottom || left || right
      ? tf.pad(src, [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ])
      : src;
  return conv2d(padded as Tensor4D, wf, { stride: 1, pad: 0 });
}

/** dL/dw from x and dL/dy: a convolution dilated by the stride, over the batch axis. */
export function convFilterGrad(x: Tensor4D, dy: Tensor4D, filterShape: number[], g: ConvGeometry): Tensor4D {
  const [kh, kw] = filterShape;
  const p = g.pad;
  const xp =
    p === 0
      ? x
      : tf.pad(x, [
          [0, 0],
          [p, p],
          [p, p],
          [0, 0],
        ]);
  const xT = tf.transpose(xp, [3, 1, 2, 0]) as Tensor4D; // [in, Hp, Wp, N]
  const dyT = tf.transpose(dy, [1, 2, 0, 3]) as Tensor4D; // [Ho, Wo, N, out]
  const full = tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', g.stride); // [in, Hp-(Ho-1)s, Wp-(Wo-1)s, out]
  const cut = full.shape[1] === kh && full.shape[2] === kw ? full : tf.slice(full, [0, 0, 0, 0], [full.shape[0], kh, kw, full.shape[3]]);
  return tf.transpose(cut, [1, 2, 0, 3]) as Tensor4D;
}

type BinaryConvOp = (a: Tensor4D, b: Tensor4D) => Tensor4D;

/**
 * A two-input op with its own gradient, made once per key (shapes and geometry) and reused: `value`
 * is the forward, `grad` maps dL/dvalue and the saved inputs to the inputs' gradients.
 */
function cachedGradOp(
  cache: Map<string, BinaryConvOp>,
  key: string,
  value: BinaryConvOp,
  grad: (dy: Tensor4D, a: Tensor4D, b: Tensor4D) => Tensor4D[],
): BinaryConvOp {
  let f = cache.get(key);
  if (!f) {
    f = tf.customGrad(((...args: unknown[]) => {
      const [a, b, save] = args as [Tensor4D, Tensor4D, tf.GradSaveFunc];
      save([a, b]);
      return {
        value: value(a, b),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [as, bs] = saved as Tensor4D[];
          return grad(dy as Tensor4D, as, bs);
        },
      };
    }) as never) as unknown as BinaryConvOp;
    cache.set(key, f);
  }
  return f;
}

const filterGradCache = new Map<string, BinaryConvOp>();

/**
 * dL/dw as an op of its own. It is bilinear in (x, dy): <G, dW(x, dy)> = <conv(x, G), dy>, so
 * its gradient is a convolution for dy and an input gradient for x — made of this file's
 * differentiable pieces, which keeps the whole convolution differentiable to any order (GraSP)
 * while the forward stays the fast dilated convolution.
 */
function filterGrad(x: Tensor4D, dy: Tensor4D, filterShape: number[], g: ConvGeometry): Tensor4D {
  const f = cachedGradOp(
    filterGradCache,
    `${filterShape.join('x')}:${g.stride}:${g.pad}`,
    (xi, dyi) => wasmFilterGrad(xi, dyi, filterShape, g) ?? convFilterGrad(xi, dyi, filterShape, g),
    (gw, xs, dys) => [inputGrad(dys, gw, xs.shape, g), conv2d(xs, gw, g)],
  );
  return f(x, dy);
}

const inputGradCache = new Map<string, BinaryConvOp>();

/**
 * dL/dx as an op of its own, bilinear in (dy, w) like the filter gradient: its gradient is a
 * convolution for dy and a filter gradient for w, so the fast kernel's output stays
 * differentiable (GraSP).
 */
function inputGrad(dy: Tensor4D, w: Tensor4D, xShape: number[], g: ConvGeometry): Tensor4D {
  const f = cachedGradOp(
    inputGradCache,
    `${xShape.join('x')}:${g.stride}:${g.pad}`,
    (dyi, wi) => wasmInputGrad(dyi, wi, xShape, g) ?? convInputGrad(dyi, wi, xShape, g),
    (gx, dys, ws) => [conv2d(gx, ws, g), filterGrad(gx, dys, ws.shape, g)],
  );
  return f(dy, w);
}

/** The lab's convolution as a kernel of its own: the backend's Conv2D forward, and a gradient per
 * input that tfjs runs only for the inputs a gradient is asked of (never dL/dx of the images). */
const CONV_KERNEL = 'PxConv2D';

interface ConvKernelAttrs {
  stride: number;
  pad: number;
}

let convGradRegistered = false;

/** Registers the kernel for the active backend (delegating to its Conv2D), once per backend. */
function convKernelFor(backendName: string): void {
  if (!convGradRegistered) {
    tf.registerGradient({
      kernelName: CONV_KERNEL,
      inputsToSave: ['x', 'filter'],
      gradFunc: (dy, saved, attrs) => {
        const [xs, ws] = saved as Tensor4D[];
        const g = attrs as unknown as ConvKernelAttrs;
        return {
          x: () => inputGrad(dy as Tensor4D, ws, xs.shape, g),
          filter: () => filterGrad(xs, dy as Tensor4D, ws.shape, g),
        };
      },
    });
    convGradRegistered = true;
  }
  if (tf.getKernel(CONV_KERNEL, backendName)) return;
  const own = tf.getKernel('Conv2D', backendName);
  if (!own) throw new Error(`the ${backendName} backend has no Conv2D kernel`);
  tf.registerKernel({
    kernelName: CONV_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { stride, pad: p } = attrs as unknown as ConvKernelAttrs;
      // tf.conv2d's attributes (NHWC, no dilation), padding as PyTorch's (symmetric, explicit)
      const pad =
        p === 0
          ? 'valid'
          : [
              [0, 0],
              [p, p],
              [p, p],
              [0, 0],
            ];
      return own.kernelFunc({
        inputs,
        backend,
        attrs: { strides: [stride, stride], pad, dataFormat: 'NHWC', dilations: [1, 1] } as unknown as tf.NamedAttrMap,
      });
    },
  });
}

/** Convolution whose gradient is made of forward convolutions (see the file comment). */
export function conv2d(x: Tensor4D, w: Tensor4D, g: ConvGeometry): Tensor4D {
  convKernelFor(tf.getBackend());
  const attrs: ConvKernelAttrs = { stride: g.stride, pad: g.pad };
  return tf.engine().runKernel(CONV_KERNEL, { x, filter: w }, attrs as unknown as tf.NamedAttrMap) as Tensor4D;
}
