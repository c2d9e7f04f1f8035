// The structured NTK's masked Jacobian columns (src/core/metrics/ntk.ts): per conv kernel offset,
// the kept weights' columns, gathered when the layer is sparse.
import { tf, type Tensor2D } from '../tf';

/**
 * The mask of filter rows (q, c) for outputs [o0, o0+w), as J's columns are ordered here:
 * (o, c), from the tfjs-layout flat mask [kh,kw,cin,cout].
 */
export function maskBlock(mask: Float32Array, q: number, cin: number, cout: number, o0: number, w: number): Float32Array {
  const out = new Float32Array(w * cin);
  for (let o = 0; o < w; o++) for (let c = 0; c < cin; c++) out[o * cin + c] = mask[(q * cin + c) * cout + o0 + o];
  return out;
}

/** A J block (rows × weights) with the mask applied: only the kept columns gathered when sparse. */
export function maskedColumns(j: Tensor2D, mask: Float32Array | null): Tensor2D | null {
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
