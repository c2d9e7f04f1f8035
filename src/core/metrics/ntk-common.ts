// Types and small helpers shared by the structured NTK and its loop oracle.
import type { ParamMap } from '../models/state';
import type { Model } from '../models/types';
import type { Tensor4D } from '../tf';

/** Inputs the lab's NTK uses by default: 8 inputs × 10 classes gives an 80×80 Θ. */
export const DEFAULT_NTK_N = 8;
/**
 * Largest n the metrics accept: 320×320 for 10 classes. The passes grow linearly with n, the
 * per-layer Grams and the eigen-solver quadratically and cubically; on wasm (Node, one thread) the
 * zoo MLP stays well under a second at n = 32, ResNet-20 takes ~2 s at n = 8 and ~4× that at 16.
 */
export const MAX_NTK_N = 32;

export interface NtkRequest {
  model: Model;
  /** Parameters in tfjs layout (weights, biases, BatchNorm running statistics). */
  params: ParamMap;
  /** 0/1 masks keyed by weight name, tfjs layout; omitted means dense. */
  masks?: ParamMap;
  /** Inputs, NHWC; the first `n` rows are used. */
  x: Tensor4D;
  /** Number of inputs (default DEFAULT_NTK_N). */
  n?: number;
}

/** Θ = J Jᵀ on the host, float64, row-major, row index i·C + k (input i, logit k). */
export interface NtkMatrix {
  n: number;
  classes: number;
  /** n · classes. */
  size: number;
  theta: Float64Array;
  /** trace(Θ_l) per prunable weight name (Θ = Σ_l Θ_l, Θ_l from that layer's columns of J). */
  traceByLayer: Record<string, number>;
  /** Θ_l per weight name, when asked for (keepLayerMatrices). */
  layerMatrices?: Record<string, Float64Array>;
}

export interface NtkMatrixOptions {
  /** Return every Θ_l as well as their sum. */
  keepLayerMatrices?: boolean;
}

/** Validate n against the model and the inputs; returns n. */
export function checkNtkRequest(req: NtkRequest): number {
  const n = req.n ?? DEFAULT_NTK_N;
  if (!Number.isInteger(n) || n < 1 || n > MAX_NTK_N) throw new Error(`NTK: n must be an integer in 1..${MAX_NTK_N} (got ${n})`);
  const [rows, h, w, c] = req.x.shape;
  const [mc, mh, mw] = req.model.input;
  if (c !== mc || h !== mh || w !== mw) throw new Error(`NTK: inputs are ${c}×${h}×${w}, ${req.model.label} needs ${mc}×${mh}×${mw}`);
  if (rows < n) throw new Error(`NTK: n = ${n} but only ${rows} inputs were given`);
  for (const l of req.model.prunable) {
    if (!req.params[l.weight]) throw new Error(`NTK: missing parameter "${l.weight}"`);
    const m = req.masks?.[l.weight];
    if (m && m.shape.join(',') !== l.shape.join(','))
      throw new Error(`NTK: mask "${l.weight}" has shape [${m.shape}], expected [${l.shape}] (tfjs layout)`);
  }
  return n;
}

/** Σ_c a[i,c] a[j,c] in float64 for the columns [c0, c1) of a row-major rows×cols float32 array, added into out. */
export function addGramColumns(a: Float32Array, rows: number, cols: number, c0: number, c1: number, out: Float64Array): void {
  for (let i = 0; i < rows; i++) {
    const ri = i * cols;
    for (let j = 0; j <= i; j++) {
      const rj = j * cols;
      let s = 0;
      for (let c = c0; c < c1; c++) s += a[ri + c] * a[rj + c];
      out[i * rows + j] += s;
      if (j !== i) out[j * rows + i] += s;
    }
  }
}

export function traceOf(a: Float64Array | Float32Array, size: number): number {
  let t = 0;
  for (let i = 0; i < size; i++) t += a[i * size + i];
  return t;
}
