// Empirical NTK at fixed weights, computed layer by layer without forming J.
//
// For a prunable layer l with (masked) weight W, input a_i of sample i and back-propagated signal
// g_ik = ∂f_ik/∂y_i (y = the layer's output), J's columns for l are m ⊙ ∂f/∂W and
//   Θ_l[(i,k),(j,k')] = Σ_w m_w ∂f_ik/∂W_w ∂f_jk'/∂W_w.
// - Linear, y = a W:  ∂f_ik/∂W[a,b] = a_i[a] g_ik[b], so
//   Θ_l[(i,k),(j,k')] = Σ_b g_ik[b] g_jk'[b] K_ij[b],  K_ij[b] = Σ_a m[a,b] a_i[a] a_j[a],
//   which costs n²·in·out for K and n²·C²·out for the contraction (no n·C × numel matrix).
// - Conv: the per-input filter gradients G_iᵀ U_i (U_i = im2col of a_i, G_i = g_i· as
//   [positions, C·out]) are plain 2-D matMuls, one per input and kernel offset, for all C logits;
//   they are J's columns for that offset, and Θ_l = Σ_offsets (J⊙m)(J⊙m)ᵀ, chunked over output
//   channels, with only the kept weights gathered when the layer is sparse. This holds one block
//   of J at a time; its cost is that of the filter gradients of n·C backward passes.
// The g_ik come from one backward pass per input: the input is repeated C times (row k) and
// Σ_k f[k, k] is differentiated with respect to zero probes added to every layer's output (exact
// in eval mode, where rows do not interact). Per-input passes keep every tensor per input, so no
// large tensor is ever sliced: wasm's Slice/Concat copy their whole source through JS, and only
// plain 2-D matMuls reach XNNPACK (batched or transposed-flag ones are ~10× slower; the linear
// layers' small batched products are the exception).
import { dilateSpatial, type ConvGeometry } from '../conv';
import { StandardOps, type OpsOptions } from '../models/ops';
import { disposeMap, type ParamMap } from '../models/state';
import type { PrunableLayer } from '../models/types';
import { addAll, tf, type Tensor, type Tensor2D, type Tensor4D } from '../tf';
import { checkNtkRequest, traceOf, type NtkMatrix, type NtkMatrixOptions, type NtkRequest } from './ntk-common';

export interface StructuredNtkOptions extends NtkMatrixOptions {
  /** Most floats one per-layer intermediate may hold before it is split over output units. */
  chunkFloats?: number;
}

const DEFAULT_CHUNK_FLOATS = 1 << 22;

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

interface ConvFilter {
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
class ProbeOps extends StandardOps {
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

/**
 * im2col of one input split by kernel offset: [1,H,W,c] → kh·kw blocks [Ho·Wo, c], block q = i·kw + j
 * holding the input rows that filter rows (q, ·) of a [kh,kw,c,out] filter multiply.
 */
export function unfoldByOffset(x: Tensor4D, kh: number, kw: number, g: ConvGeometry, ho: number, wo: number): Tensor2D[] {
  const [n, , , c] = x.shape;
  if (n !== 1) throw new Error('unfoldByOffset: one input at a time');
  const p = g.pad;
  const s = g.stride;
  const xp = p
    ? tf.pad(x, [
        [0, 0],
        [p, p],
        [p, p],
        [0, 0],
      ])
    : x;
  const blocks: Tensor2D[] = [];
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) blocks.push(tf.reshape(tf.stridedSlice(xp, [0, i, j, 0], [1, i + (ho - 1) * s + 1, j + (wo - 1) * s + 1, c], [1, s, s, 1]), [ho * wo, c]));
  return blocks;
}

/**
 * The mask of filter rows (q, c) for outputs [o0, o0+w), as J's columns are ordered here:
 * (o, c), from the tfjs-layout flat mask [kh,kw,cin,cout].
 */
function maskBlock(mask: Float32Array, q: number, cin: number, cout: number, o0: number, w: number): Float32Array {
  const out = new Float32Array(w * cin);
  for (let o = 0; o < w; o++) for (let c = 0; c < cin; c++) out[o * cin + c] = mask[(q * cin + c) * cout + o0 + o];
  return out;
}

/** A J block (rows × weights) with the mask applied: only the kept columns gathered when sparse. */
function maskedColumns(j: Tensor2D, mask: Float32Array | null): Tensor2D | null {
  if (!mask) return j;
  let kept = 0;
  let binary = true;
  for (const v of mask) {
    if (v !== 0) kept++;
    if (v !== 0 && v !== 1) binary = false;
  }
  if (kept === 0) return null;
  if (kept === mask.length && binary) return j;
  // gathering costs ~2× a Gram column on wasm, so it pays below ~40% kept
  if (kept * 5 > mask.length * 2) return tf.mul(j, tf.tensor2d(mask, [1, mask.length])) as Tensor2D;
  const idx = new Int32Array(kept);
  let e = 0;
  for (let c = 0; c < mask.length; c++) if (mask[c] !== 0) idx[e++] = c;
  const picked = tf.gather(j, tf.tensor1d(idx, 'int32'), 1) as Tensor2D;
  return binary
    ? picked
    : (tf.mul(
        picked,
        tf.tensor2d(
          Float32Array.from(idx, (c) => mask[c]),
          [1, kept],
        ),
      ) as Tensor2D);
}

function convLayerTheta(inputs: Tensor4D[], signals: Tensor4D[], layer: PrunableLayer, geom: ConvGeometry, mask: Float32Array | null, classes: number, chunkFloats: number): Tensor2D | null {
  const [kh, kw, cin, cout] = layer.shape;
  const n = inputs.length;
  const [, ho, wo] = signals[0].shape;
  const positions = ho * wo;
  // per input: im2col blocks U_iq [P, cin] and G_iᵀ [C, out, P]
  const us = tf.tidy(() => inputs.map((a) => unfoldByOffset(a, kh, kw, geom, ho, wo)));
  const gts = tf.tidy(() => signals.map((g) => tf.transpose(tf.reshape(g, [classes, positions, cout]), [0, 2, 1])));
  const width = Math.max(1, Math.min(cout, Math.floor(chunkFloats / (n * Math.max(cin, positions) * classes))));
  const parts: Tensor2D[] = [];
  try {
    for (let o0 = 0; o0 < cout; o0 += width) {
      const w = Math.min(width, cout - o0);
      const gcs = tf.tidy(() => gts.map((g) => tf.reshape(w === cout ? g : tf.slice(g, [0, o0, 0], [classes, w, positions]), [classes * w, positions]) as Tensor2D));
      // One Gram per kernel offset q keeps each float32 contraction short (cin·w terms): a single
      // one over all kh·kw·cin·w weights lost ~1e-5 of the trace on ResNet-20's 3×3×64×64 convs.
      for (let q = 0; q < kh * kw; q++) {
        const m = mask ? maskBlock(mask, q, cin, cout, o0, w) : null;
        if (m && m.every((v) => v === 0)) continue;
        const part = tf.tidy((): Tensor2D | undefined => {
          // per-input filter gradients G_iᵀ U_iq = [(k, o), c] → rows (i, k) of J, columns (o, c)
          const j = tf.concat(
            us.map((u, i) => tf.reshape(tf.matMul(gcs[i], u[q]), [classes, w * cin])),
            0,
          ) as Tensor2D;
          const kept = maskedColumns(j, m);
          return kept ? (tf.matMul(kept, tf.transpose(kept)) as Tensor2D) : undefined;
        }) as Tensor2D | undefined;
        if (part) parts.push(part);
      }
      for (const t of gcs) t.dispose();
    }
    if (!parts.length) return null;
    return parts.length === 1 ? parts[0] : (tf.tidy(() => addAll(parts)) as Tensor2D);
  } finally {
    for (const t of [...us.flat(), ...gts]) t.dispose();
    if (parts.length > 1) for (const t of parts) t.dispose();
  }
}

function linearLayerTheta(a: Tensor2D, gOut: Tensor2D, layer: PrunableLayer, mask: Tensor | undefined, classes: number, chunkFloats: number): Tensor2D {
  const [fin, fout] = layer.shape;
  const n = a.shape[0];
  const rows = n * classes;
  return tf.tidy(() => {
    // pair products a_i ⊙ a_j, [n², in]
    const pairs = tf.reshape(tf.mul(tf.reshape(a, [n, 1, fin]), tf.reshape(a, [1, n, fin])), [n * n, fin]);
    const dense = mask ? null : tf.reshape(tf.sum(pairs, 1), [n, n, 1, 1]);
    const g3 = tf.reshape(gOut, [n, classes, fout]);
    const width = Math.max(1, Math.min(fout, Math.floor(chunkFloats / (n * n * (classes + 1)))));
    let theta: Tensor2D | null = null;
    for (let o0 = 0; o0 < fout; o0 += width) {
      const w = Math.min(width, fout - o0);
      const gc = w === fout ? g3 : tf.slice(g3, [0, 0, o0], [n, classes, w]);
      const k = dense ?? tf.reshape(tf.matMul(pairs, (w === fout ? mask! : tf.slice(mask!, [0, o0], [fin, w])) as Tensor2D), [n, n, 1, w]);
      const left = tf.reshape(tf.mul(tf.reshape(gc, [n, 1, classes, w]), k), [n * n, classes, w]);
      const right = tf.reshape(tf.tile(tf.reshape(gc, [1, n, classes, w]), [n, 1, 1, 1]), [n * n, classes, w]);
      const block = tf.matMul(left, right, false, true); // [(i,j), k, k'], small
      const part = tf.reshape(tf.transpose(tf.reshape(block, [n, n, classes, classes]), [0, 2, 1, 3]), [rows, rows]) as Tensor2D;
      theta = theta ? (tf.add(theta, part) as Tensor2D) : part;
    }
    return theta!;
  });
}

/** Per input i: the layer inputs a_i ([1, …]) and signals g_i ([C, …]) of every prunable layer. */
interface SampleSignals {
  inputs: Tensor[];
  signals: Tensor[];
}

/**
 * Θ = J Jᵀ by the structured per-layer computation (J is never formed). The model runs in eval
 * mode (BatchNorm on running statistics) with mask·weight; every tensor made here is freed.
 */
export async function ntkMatrix(req: NtkRequest, opts: StructuredNtkOptions = {}): Promise<NtkMatrix> {
  const n = checkNtkRequest(req);
  const { model, params, masks } = req;
  const classes = model.classes;
  const rows = n * classes;
  const layers = model.prunable;
  const chunkFloats = opts.chunkFloats ?? DEFAULT_CHUNK_FLOATS;
  const probeOf = new Map(layers.map((l, i) => [l.module, i]));
  const geometry = new Map<string, ConvGeometry>();
  const samples: SampleSignals[] = [];
  const layerThetas: Array<Tensor2D | null> = [];
  const [, h, w, c] = req.x.shape;
  // mask·weight once: the same filter tensors in every pass let the backend reuse packed weights
  const maskedWeights: ParamMap = {};
  for (const l of layers) if (masks?.[l.weight]) maskedWeights[l.weight] = tf.mul(params[l.weight], masks[l.weight]);
  const effParams: ParamMap = { ...params, ...maskedWeights };
  const filters = new Map<string, ConvFilter>();
  for (const l of layers) {
    if (l.kind !== 'conv') continue;
    const weight = effParams[l.weight] as Tensor4D;
    filters.set(l.module, { w: weight, wf: tf.tidy(() => tf.transpose(tf.reverse(weight, [0, 1]), [0, 1, 3, 2])) });
  }
  try {
    // 1. output shape of every prunable layer (a forward pass on one input)
    const outShapes = new Map<string, number[]>();
    tf.tidy(() => {
      const one = tf.slice(req.x, [0, 0, 0, 0], [1, h, w, c]) as Tensor4D;
      model.forward(
        one,
        new StandardOps({
          params: effParams,
          bn: 'eval',
          mapLayerOutput: (layer, y) => {
            if (outShapes.has(layer)) throw new Error(`NTK: layer "${layer}" is used twice in one forward pass`);
            outShapes.set(layer, y.shape.slice(1));
            return y;
          },
        }),
      );
    });
    for (const l of layers) if (!outShapes.has(l.module)) throw new Error(`NTK: layer "${l.module}" is not used by the forward pass`);

    // 2. per input: one backward pass of Σ_k f[k, k] over C copies → g_ik for every layer
    for (let i = 0; i < n; i++) {
      const inputs: Tensor[] = new Array(layers.length);
      const signals = tf.tidy(() => {
        const xi = tf.slice(req.x, [i, 0, 0, 0], [1, h, w, c]);
        const repeated = tf.tile(xi, [classes, 1, 1, 1]) as Tensor4D;
        const selector = tf.eye(classes);
        const probes = layers.map((l) => tf.zeros([classes, ...outShapes.get(l.module)!]));
        return tf.grads((...ps: Tensor[]) => {
          const ops = new ProbeOps(
            {
              params: effParams,
              bn: 'eval',
              onLayerInput: (layer, t) => {
                // all C rows hold the same input: keep one
                const li = probeOf.get(layer);
                if (li !== undefined && !inputs[li]) inputs[li] = tf.keep(tf.slice(t, 0, 1));
              },
              mapLayerOutput: (layer, y) => {
                const li = probeOf.get(layer);
                return li === undefined ? y : tf.add(y, ps[li]);
              },
            },
            filters,
            geometry,
          );
          return tf.sum(tf.mul(model.forward(repeated, ops), selector)) as tf.Scalar;
        })(probes);
      });
      samples.push({ inputs, signals });
    }

    // 3. Θ_l layer by layer
    for (let li = 0; li < layers.length; li++) {
      const l = layers[li];
      const m = masks?.[l.weight];
      if (l.kind === 'linear') {
        const a = tf.concat(
          samples.map((s) => s.inputs[li] as Tensor2D),
          0,
        );
        const g = tf.concat(
          samples.map((s) => s.signals[li] as Tensor2D),
          0,
        );
        layerThetas.push(linearLayerTheta(a, g, l, m, classes, chunkFloats));
        a.dispose();
        g.dispose();
      } else {
        const geom = geometry.get(l.module);
        if (!geom) throw new Error(`NTK: no geometry recorded for conv "${l.module}"`);
        const hostMask = m ? ((await m.data()) as Float32Array) : null;
        layerThetas.push(
          convLayerTheta(
            samples.map((s) => s.inputs[li] as Tensor4D),
            samples.map((s) => s.signals[li] as Tensor4D),
            l,
            geom,
            hostMask,
            classes,
            chunkFloats,
          ),
        );
      }
      for (const s of samples) {
        s.inputs[li].dispose();
        s.signals[li].dispose();
      }
    }

    // 4. sum in float64 on the host
    const theta = new Float64Array(rows * rows);
    const traceByLayer: Record<string, number> = {};
    const layerMatrices: Record<string, Float64Array> | undefined = opts.keepLayerMatrices ? {} : undefined;
    for (let li = 0; li < layers.length; li++) {
      const t = layerThetas[li];
      const part = t ? Float64Array.from((await t.data()) as Float32Array) : new Float64Array(rows * rows);
      for (let e = 0; e < part.length; e++) theta[e] += part[e];
      traceByLayer[layers[li].weight] = traceOf(part, rows);
      if (layerMatrices) layerMatrices[layers[li].weight] = part;
    }
    return { n, classes, size: rows, theta, traceByLayer, layerMatrices };
  } finally {
    disposeMap(maskedWeights);
    for (const f of filters.values()) f.wf.dispose();
    for (const s of samples) for (const t of [...s.inputs, ...s.signals]) t?.dispose();
    for (const t of layerThetas) t?.dispose();
  }
}
