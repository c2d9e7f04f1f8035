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
// The g_ik come from backward passes over a few inputs' C rows each (PASS_FLOATS bounds the tape):
// input i is repeated C times (rows i·C + k) and Σ_ik f[(i,k), k] is differentiated with respect to zero probes added to every layer's
// output (exact in eval mode, where rows do not interact). While the probes are zero the C copies
// stay identical, so each conv's forward value is computed on one row per input and repeated.
// wasm's Slice copies its whole source through JS and its Tile walks every element, so rows are
// split and repeated by contiguous copies (rowBlocks, repeatRows), and stride-1 im2col blocks are
// contiguous runs of the flattened padded input (ntk-im2col.ts). Only plain 2-D matMuls reach XNNPACK (batched or
// transposed-flag ones are ~10× slower; the linear layers' small batched products are the exception).
import type { ConvGeometry } from '../conv';
import { StandardOps } from '../models/ops';
import { disposeMap, type ParamMap } from '../models/state';
import type { PrunableLayer } from '../models/types';
import { addAll, tf, type Tensor, type Tensor2D, type Tensor4D } from '../tf';
import { checkNtkRequest, traceOf, type NtkMatrix, type NtkMatrixOptions, type NtkRequest } from './ntk-common';
import { stridedBlocks, wideBlocks } from './ntk-im2col';
import { maskBlock, maskedColumns } from './ntk-mask';
import { everyNthRow, ProbeOps, repeatRows, type ConvFilter } from './ntk-probe';

export interface StructuredNtkOptions extends NtkMatrixOptions {
  /** Most floats one per-layer intermediate may hold before it is split over output units. */
  chunkFloats?: number;
}

const DEFAULT_CHUNK_FLOATS = 1 << 22;
/** Most probe floats (rows × every prunable layer's output) in one signal pass. ResNet-20 at 32×32
 * needs ~2.0M per input (10 rows), so 2 inputs a pass: the wasm heap peaked at 298 MB for n = 8
 * (per-input passes: 207 MB, one pass of all 8: 929 MB), no slower than one pass (CPU time, loaded). */
const PASS_FLOATS = 1 << 22;

/** Θ_l of a conv from each input's im2col blocks U_iq [P, cin] (disposed here) and signals [C, …, out] (P positions). */
function convLayerTheta(
  us: Tensor2D[][],
  signals: Tensor4D[],
  layer: PrunableLayer,
  mask: Float32Array | null,
  classes: number,
  chunkFloats: number,
): Tensor2D | null {
  const [kh, kw, cin, cout] = layer.shape;
  const n = us.length;
  const [, ho, wo] = signals[0].shape;
  const positions = ho * wo;
  // per input: G_iᵀ [C, out, P]
  const gts = tf.tidy(() => signals.map((g) => tf.transpose(tf.reshape(g, [classes, positions, cout]), [0, 2, 1])));
  const width = Math.max(1, Math.min(cout, Math.floor(chunkFloats / (n * Math.max(cin, positions) * classes))));
  const parts: Tensor2D[] = [];
  try {
    for (let o0 = 0; o0 < cout; o0 += width) {
      const w = Math.min(width, cout - o0);
      const gcs = tf.tidy(() =>
        gts.map((g) => tf.reshape(w === cout ? g : tf.slice(g, [0, o0, 0], [classes, w, positions]), [classes * w, positions]) as Tensor2D),
      );
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

function linearLayerTheta(
  a: Tensor2D,
  gOut: Tensor2D,
  layer: PrunableLayer,
  mask: Tensor | undefined,
  classes: number,
  chunkFloats: number,
): Tensor2D {
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

/** The layer inputs a_i ([n, …], row i) and signals g_ik ([n·C, …], row i·C + k) of every prunable layer. */
interface LayerSignals {
  inputs: Tensor[];
  signals: Tensor[];
}

/** mask·weight once (the same filter tensors in every pass let the backend reuse packed weights),
 * and each conv's filter pair. `maskedWeights` and every `wf` are the caller's to dispose. */
function maskedFilters(req: NtkRequest): { maskedWeights: ParamMap; effParams: ParamMap; filters: Map<string, ConvFilter> } {
  const { model, params, masks } = req;
  const layers = model.prunable;
  const maskedWeights: ParamMap = {};
  for (const l of layers) if (masks?.[l.weight]) maskedWeights[l.weight] = tf.mul(params[l.weight], masks[l.weight]);
  const effParams: ParamMap = { ...params, ...maskedWeights };
  const filters = new Map<string, ConvFilter>();
  for (const l of layers) {
    if (l.kind !== 'conv') continue;
    const weight = effParams[l.weight] as Tensor4D;
    filters.set(l.module, { w: weight, wf: tf.tidy(() => tf.transpose(tf.reverse(weight, [0, 1]), [0, 1, 3, 2])) });
  }
  return { maskedWeights, effParams, filters };
}

/** The output shape of every prunable layer (a forward pass on one input); each must be used once. */
function layerOutputShapes(req: NtkRequest, effParams: ParamMap): Map<string, number[]> {
  const { model } = req;
  const [, h, w, c] = req.x.shape;
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
  for (const l of model.prunable) if (!outShapes.has(l.module)) throw new Error(`NTK: layer "${l.module}" is not used by the forward pass`);
  return outShapes;
}

/** What one input's backward pass needs besides the input: the probes' shapes and the probe ops' state. */
interface ProbeSetup {
  effParams: ParamMap;
  filters: Map<string, ConvFilter>;
  geometry: Map<string, ConvGeometry>;
  outShapes: Map<string, number[]>;
}

/**
 * Every input's layer inputs and g_ik: one backward pass of Σ_ik f[(i,k), k] over C consecutive
 * copies of each input (n·C rows; rows do not interact in eval mode).
 */
function passSignals(req: NtkRequest, i0: number, n: number, setup: ProbeSetup): LayerSignals {
  const { model } = req;
  const layers = model.prunable;
  const classes = model.classes;
  const probeOf = new Map(layers.map((l, li) => [l.module, li]));
  const [, h, w, c] = req.x.shape;
  const inputs: Tensor[] = new Array(layers.length);
  const signals = tf.tidy(() => {
    const xs = tf.slice(req.x, [i0, 0, 0, 0], [n, h, w, c]);
    const repeated = tf.reshape(repeatRows(tf.reshape(xs, [n, 1, h * w * c]), classes), [n * classes, h, w, c]) as Tensor4D;
    const eye = tf.eye(classes);
    const selector = n === 1 ? eye : tf.concat(new Array<Tensor>(n).fill(eye), 0);
    const probes = layers.map((l) => tf.zeros([n * classes, ...setup.outShapes.get(l.module)!]));
    return tf.grads((...ps: Tensor[]) => {
      const ops = new ProbeOps(
        {
          params: setup.effParams,
          bn: 'eval',
          onLayerInput: (layer, t) => {
            // the C rows of input i hold the same layer input: keep one per input
            const li = probeOf.get(layer);
            if (li !== undefined && !inputs[li]) inputs[li] = tf.keep(everyNthRow(t, classes));
          },
          mapLayerOutput: (layer, y) => {
            const li = probeOf.get(layer);
            return li === undefined ? y : tf.add(y, ps[li]);
          },
        },
        setup.filters,
        setup.geometry,
        classes,
      );
      return tf.sum(tf.mul(model.forward(repeated, ops), selector)) as tf.Scalar;
    })(probes);
  });
  return { inputs, signals };
}

/**
 * Every input's layer inputs and signals, in as few passes as keep one pass's probes (and so its
 * signals; the backward tape holds a few times that) under PASS_FLOATS.
 */
function allSignals(req: NtkRequest, n: number, setup: ProbeSetup): LayerSignals {
  const rowFloats = [...setup.outShapes.values()].reduce((a, sh) => a + sh.reduce((x, y) => x * y, 1), 0);
  const perPass = Math.max(1, Math.min(n, Math.floor(PASS_FLOATS / (req.model.classes * rowFloats))));
  if (perPass === n) return passSignals(req, 0, n, setup);
  const passes: LayerSignals[] = [];
  try {
    for (let i0 = 0; i0 < n; i0 += perPass) passes.push(passSignals(req, i0, Math.min(perPass, n - i0), setup));
    const join = (pick: (p: LayerSignals) => Tensor[]) =>
      pick(passes[0]).map((_, li) =>
        tf.concat(
          passes.map((p) => pick(p)[li]),
          0,
        ),
      );
    return { inputs: join((p) => p.inputs), signals: join((p) => p.signals) };
  } finally {
    for (const p of passes) for (const t of [...p.inputs, ...p.signals]) t?.dispose();
  }
}

/** Θ_l of prunable layer li from every input's layer input and signal (those stay the caller's). */
async function layerTheta(
  req: NtkRequest,
  li: number,
  n: number,
  all: LayerSignals,
  geometry: Map<string, ConvGeometry>,
  chunkFloats: number,
): Promise<Tensor2D | null> {
  const l = req.model.prunable[li];
  const classes = req.model.classes;
  const m = req.masks?.[l.weight];
  if (l.kind === 'linear') return linearLayerTheta(all.inputs[li] as Tensor2D, all.signals[li] as Tensor2D, l, m, classes, chunkFloats);
  const geom = geometry.get(l.module);
  if (!geom) throw new Error(`NTK: no geometry recorded for conv "${l.module}"`);
  const hostMask = m ? ((await m.data()) as Float32Array) : null;
  const { us, signals } =
    geom.stride === 1
      ? wideBlocks(all.inputs[li] as Tensor4D, all.signals[li] as Tensor4D, l, geom.pad, n, classes)
      : stridedBlocks(all.inputs[li] as Tensor4D, all.signals[li] as Tensor4D, l, geom, n, classes);
  try {
    return convLayerTheta(us, signals, l, hostMask, classes, chunkFloats);
  } finally {
    for (const t of signals) t.dispose();
  }
}

/** Θ = Σ_l Θ_l, summed in float64 on the host, with each layer's trace (and matrix, if asked). */
async function sumLayerThetas(
  req: NtkRequest,
  n: number,
  layerThetas: Array<Tensor2D | null>,
  keepLayerMatrices: boolean | undefined,
): Promise<NtkMatrix> {
  const layers = req.model.prunable;
  const classes = req.model.classes;
  const rows = n * classes;
  const theta = new Float64Array(rows * rows);
  const traceByLayer: Record<string, number> = {};
  const layerMatrices: Record<string, Float64Array> | undefined = keepLayerMatrices ? {} : undefined;
  for (let li = 0; li < layers.length; li++) {
    const t = layerThetas[li];
    const part = t ? Float64Array.from((await t.data()) as Float32Array) : new Float64Array(rows * rows);
    for (let e = 0; e < part.length; e++) theta[e] += part[e];
    traceByLayer[layers[li].weight] = traceOf(part, rows);
    if (layerMatrices) layerMatrices[layers[li].weight] = part;
  }
  return { n, classes, size: rows, theta, traceByLayer, layerMatrices };
}

/**
 * Θ = J Jᵀ by the structured per-layer computation (J is never formed). The model runs in eval
 * mode (BatchNorm on running statistics) with mask·weight; every tensor made here is freed.
 */
export async function ntkMatrix(req: NtkRequest, opts: StructuredNtkOptions = {}): Promise<NtkMatrix> {
  const n = checkNtkRequest(req);
  const layers = req.model.prunable;
  const chunkFloats = opts.chunkFloats ?? DEFAULT_CHUNK_FLOATS;
  const geometry = new Map<string, ConvGeometry>();
  let all: LayerSignals | null = null;
  const layerThetas: Array<Tensor2D | null> = [];
  const { maskedWeights, effParams, filters } = maskedFilters(req);
  try {
    // 1. output shape of every prunable layer
    const outShapes = layerOutputShapes(req, effParams);
    // 2. one backward pass over n·C rows → g_ik for every layer
    all = allSignals(req, n, { effParams, filters, geometry, outShapes });
    // 3. Θ_l layer by layer, freeing each layer's inputs and signals once used
    for (let li = 0; li < layers.length; li++) {
      layerThetas.push(await layerTheta(req, li, n, all, geometry, chunkFloats));
      all.inputs[li].dispose();
      all.signals[li].dispose();
    }
    // 4. sum in float64 on the host
    return await sumLayerThetas(req, n, layerThetas, opts.keepLayerMatrices);
  } finally {
    disposeMap(maskedWeights);
    for (const f of filters.values()) f.wf.dispose();
    if (all) for (const t of [...all.inputs, ...all.signals]) t?.dispose();
    for (const t of layerThetas) t?.dispose();
  }
}
