// The NTK's probe ops: eval-mode ops whose convolutions differentiate through their input only
// (ntk.ts reads ∂f/∂y at every prunable layer's output, never a filter gradient).
import { dilateSpatial, type ConvGeometry } from '../conv';
import { StandardOps, type OpsOptions } from '../models/ops';
import { tf, type Tensor, type Tensor4D } from '../tf';

/** dL/dx from dL/dy (conv.ts's convInputGrad, with the flipped [kh,kw,out,in] filter given). */
function convInputGradFlipped(dy: Tensor4D, wf: Tensor4D, xShape: number[], g: ConvGeometry): Tensor4D {
  const [, h, wd] = xShape;
  const [kh, kw] = wf.shape;
  const { stride: s, pad: p } = g;
  const [, ho, wo] = dy.shape;
  let top = kh - 1 - p;
  let bottom = kh - 1 - p + h + 2 * p - ((ho - 1) * s + kh);
  let left = kw - 1 - p;
  let right = kw - 1 - p + wd + 2 * p - ((wo - 1) * s + kw);
  let src = dilateSpatial(dy, s);
  if (top < 0 || left < 0 || bottom < 0 || right < 0) {
    // padding beyond k−1: crop the dilated gradient instead
    const [ct, cb, cl, cr] = [top, bottom, left, right].map((v) => Math.max(0, -v));
    src = tf.slice(src, [0, ct, cl, 0], [src.shape[0], src.shape[1] - ct - cb, src.shape[2] - cl - cr, src.shape[3]]);
    [top, bottom, left, right] = [top, bottom, left, right].map((v) => Math.max(0, v));
  }
  const padded =
    top || bottom || left || right
      ? (tf.pad(src, [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ]) as Tensor4D)
      : src;
  return tf.conv2d(padded, wf, 1, 'valid');
}

export interface ConvFilter {
  /** mask·weight, [kh,kw,in,out]. */
  w: Tensor4D;
  /** The same flipped spatially with in/out swapped, [kh,kw,out,in], for dL/dx. */
  wf: Tensor4D;
}

/**
 * Convolution differentiated through its input only: the NTK reads ∂f/∂y, so the filter gradient
 * conv.ts always computes would be a wasted convolution. The filters are made once per NTK and
 * reused by every pass, so the backend can keep their packed form.
 */
function convInputOnlyGrad(x: Tensor4D, f: ConvFilter, g: ConvGeometry): Tensor4D {
  const pad =
    g.pad === 0
      ? 'valid'
      : ([
          [0, 0],
          [g.pad, g.pad],
          [g.pad, g.pad],
          [0, 0],
        ] as [[number, number], [number, number], [number, number], [number, number]]);
  const op = tf.customGrad(((...args: unknown[]) => {
    const [xx, save] = args as [Tensor4D, tf.GradSaveFunc];
    save([xx]);
    return {
      value: tf.conv2d(xx, f.w, g.stride, pad),
      gradFunc: (dy: Tensor, saved: Tensor[]) => convInputGradFlipped(dy as Tensor4D, f.wf, saved[0].shape, g),
    };
  }) as never) as unknown as (x: Tensor4D) => Tensor4D;
  return op(x);
}

/** Eval-mode ops (weights already masked) whose convolutions differentiate only through their
 * input, and which record each convolution's geometry. */
export class ProbeOps extends StandardOps {
  constructor(
    opts: OpsOptions,
    private readonly filters: Map<string, ConvFilter>,
    private readonly geometry: Map<string, ConvGeometry>,
  ) {
    super(opts);
  }

  override conv(x: Tensor4D, layer: string, g: ConvGeometry): Tensor4D {
    const f = this.filters.get(layer);
    if (!f) return super.conv(x, layer, g);
    this.geometry.set(layer, g);
    this.opts.onLayerInput?.(layer, x);
    let y: Tensor = convInputOnlyGrad(x, f, g);
    const b = this.opts.params[`${layer}.bias`];
    if (b) y = tf.add(y, b);
    return (this.opts.mapLayerOutput ? this.opts.mapLayerOutput(layer, y) : y) as Tensor4D;
  }
}
