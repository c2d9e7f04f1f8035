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
  let src: Tensor4D;
  if (s > 1 && top >= 0 && left >= 0 && bottom >= s - 1 && right >= s - 1) {
    // dilate into the full h·s × w·s grid: its s−1 trailing zero rows/columns stand in for part
    // of the bottom/right padding, so no crop is needed (wasm's Slice copies its whole source)
    src = dilateUncropped(dy, s);
    bottom -= s - 1;
    right -= s - 1;
  } else src = dilateSpatial(dy, s);
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

/** t with s−1 zeros after every row and column: [n,h,w,c] → [n,h·s,w·s,c] (pads and reshapes only). */
function dilateUncropped(t: Tensor4D, s: number): Tensor4D {
  const [n, h, w, c] = t.shape;
  const rows = tf.pad(tf.reshape(t, [n * h, 1, w * c]), [
    [0, 0],
    [0, s - 1],
    [0, 0],
  ]);
  const cols = tf.pad(tf.reshape(rows, [n * h * s, w, 1, c]), [
    [0, 0],
    [0, 0],
    [0, s - 1],
    [0, 0],
  ]);
  return tf.reshape(cols, [n, h * s, w * s, c]);
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
 * reused by every pass, so the backend can keep their packed form. While the probes are zero the
 * batch holds `copies` identical copies of each input (consecutive rows), so the forward value is
 * computed on one row per input and repeated; the backward pass needs every row.
 */
function convInputOnlyGrad(x: Tensor4D, f: ConvFilter, g: ConvGeometry, copies: number): Tensor4D {
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
      value: distinctRowsConv(xx, f.w, g.stride, pad, copies),
      gradFunc: (dy: Tensor, saved: Tensor[]) => convInputGradFlipped(dy as Tensor4D, f.wf, saved[0].shape, g),
    };
  }) as never) as unknown as (x: Tensor4D) => Tensor4D;
  return op(x);
}

type Pad = 'valid' | [[number, number], [number, number], [number, number], [number, number]];

/** conv2d of a batch made of runs of `copies` identical rows: convolve one row per run, repeat it. */
function distinctRowsConv(x: Tensor4D, w: Tensor4D, stride: number, pad: Pad, copies: number): Tensor4D {
  const b = x.shape[0];
  if (copies === 1 || b % copies !== 0) return tf.conv2d(x, w, stride, pad);
  const runs = b / copies;
  const firsts = everyNthRow(x, copies);
  const y = tf.conv2d(firsts as Tensor4D, w, stride, pad);
  const [, ho, wo, co] = y.shape;
  return tf.reshape(repeatRows(tf.reshape(y, [runs, 1, ho * wo * co]), copies), [b, ho, wo, co]);
}

/** [runs, 1, k] → [runs, copies, k]. A concat of copies: wasm's Tile walks every element in JS
 * (~20 ms for 10×32×32×16), its Concat copies contiguous blocks. */
export function repeatRows(t: Tensor, copies: number): Tensor {
  return copies === 1 ? t : tf.concat(new Array<Tensor>(copies).fill(t), 1);
}

/** Eval-mode ops (weights already masked) whose convolutions differentiate only through their
 * input, and which record each convolution's geometry. */
export class ProbeOps extends StandardOps {
  constructor(
    opts: OpsOptions,
    private readonly filters: Map<string, ConvFilter>,
    private readonly geometry: Map<string, ConvGeometry>,
    /** Identical consecutive copies of each input in the batch (rows differ only through the probes). */
    private readonly copies = 1,
  ) {
    super(opts);
  }

  override conv(x: Tensor4D, layer: string, g: ConvGeometry): Tensor4D {
    const f = this.filters.get(layer);
    if (!f) return super.conv(x, layer, g);
    this.geometry.set(layer, g);
    this.opts.onLayerInput?.(layer, x);
    let y: Tensor = convInputOnlyGrad(x, f, g, this.copies);
    const b = this.opts.params[`${layer}.bias`];
    if (b) y = tf.add(y, b);
    return (this.opts.mapLayerOutput ? this.opts.mapLayerOutput(layer, y) : y) as Tensor4D;
  }
}

interface RangeReadable {
  readSync(dataId: object, start?: number, end?: number): ArrayLike<number>;
}

/**
 * Blocks of consecutive rows of t ([start, start + count) each) as new tensors. On wasm the rows
 * are read straight from the heap: its Slice kernel copies the whole source through JS first
 * (~5 MB for an 80×32×32×16 signal, once per block); elsewhere tf.slice.
 */
export function rowBlocks(t: Tensor, blocks: Array<[number, number]>): Tensor[] {
  const rest = t.shape.slice(1);
  const rowSize = rest.reduce((a, b) => a * b, 1);
  if (tf.getBackend() !== 'wasm' || t.dtype !== 'float32') return blocks.map(([s, c]) => tf.slice(t, s, c));
  const backend = tf.backend() as unknown as RangeReadable;
  return blocks.map(([s, c]) =>
    tf.tensor(backend.readSync(t.dataId, s * rowSize, (s + c) * rowSize) as Float32Array, [c, ...rest], 'float32'),
  );
}

/** Rows 0, k, 2k, … of t as one tensor. */
export function everyNthRow(t: Tensor, k: number): Tensor {
  const n = t.shape[0] / k;
  if (k === 1) return tf.clone(t);
  if (tf.getBackend() !== 'wasm')
    return tf.stridedSlice(
      t,
      t.shape.map(() => 0),
      t.shape,
      t.shape.map((_, d) => (d === 0 ? k : 1)),
    );
  const parts = rowBlocks(
    t,
    Array.from({ length: n }, (_, i): [number, number] => [i * k, 1]),
  );
  const out = n === 1 ? parts[0] : tf.concat(parts, 0);
  if (n !== 1) for (const p of parts) p.dispose();
  return out;
}
