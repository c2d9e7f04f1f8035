// The structured NTK's conv inputs as im2col blocks (src/core/metrics/ntk.ts): per input and kernel
// offset, the input rows that the filter rows of that offset multiply, beside the signals on the
// same positions.
import type { ConvGeometry } from '../conv';
import type { PrunableLayer } from '../models/types';
import { tf, type Tensor2D, type Tensor4D } from '../tf';
import { rowBlocks } from './ntk-probe';

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
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      blocks.push(
        tf.reshape(tf.stridedSlice(xp, [0, i, j, 0], [1, i + (ho - 1) * s + 1, j + (wo - 1) * s + 1, c], [1, s, s, 1]), [ho * wo, c]),
      );
  return blocks;
}

const blocksOf = (n: number, k: number) => Array.from({ length: n }, (_, i): [number, number] => [i * k, k]);

export interface ConvBlocks {
  /** Per input, per kernel offset: U_iq [P, cin]. */
  us: Tensor2D[][];
  /** Per input: the signals [C, ho, w', out] on the same P = ho·w' positions. */
  signals: Tensor4D[];
}

/** Per-input im2col by strided slices (any stride). */
export function stridedBlocks(a: Tensor4D, g: Tensor4D, layer: PrunableLayer, geom: ConvGeometry, n: number, classes: number): ConvBlocks {
  const [kh, kw] = layer.shape;
  const [, ho, wo] = g.shape;
  const inputs = rowBlocks(a, blocksOf(n, 1)) as Tensor4D[];
  const us = tf.tidy(() => inputs.map((x) => unfoldByOffset(x, kh, kw, geom, ho, wo)));
  for (const t of inputs) t.dispose();
  return { us, signals: rowBlocks(g, blocksOf(n, classes)) as Tensor4D[] };
}

/**
 * Stride 1: on the padded input flattened to [(hp+1)·wp, cin], offset (i, j)'s im2col block is
 * the contiguous run of ho·wp rows from i·wp + j, if the signals are widened to wp columns with
 * zeros (the kw−1 extra positions of each row then meet garbage inputs times zero). Contiguous
 * row copies instead of kh·kw strided slices per input; ~(kw−1)/wo more multiply-adds.
 */
export function wideBlocks(a: Tensor4D, g: Tensor4D, layer: PrunableLayer, pad: number, n: number, classes: number): ConvBlocks {
  const [kh, kw] = layer.shape;
  const [, h, w, c] = a.shape;
  const [, ho, wo] = g.shape;
  const wp = w + 2 * pad;
  const rowsPer = (h + 2 * pad + 1) * wp; // one extra zero row: the last offset's run passes hp·wp
  const flat = tf.tidy(() =>
    tf.reshape(
      tf.pad(a, [
        [0, 0],
        [pad, pad + 1],
        [pad, pad],
        [0, 0],
      ]),
      [n * rowsPer, c],
    ),
  );
  const blocks: Array<[number, number]> = [];
  for (let i = 0; i < n; i++)
    for (let qi = 0; qi < kh; qi++) for (let qj = 0; qj < kw; qj++) blocks.push([i * rowsPer + qi * wp + qj, ho * wp]);
  const runs = rowBlocks(flat, blocks) as Tensor2D[];
  flat.dispose();
  const us = Array.from({ length: n }, (_, i) => runs.slice(i * kh * kw, (i + 1) * kh * kw));
  const wide =
    wp === wo
      ? g
      : (tf.pad(g, [
          [0, 0],
          [0, 0],
          [0, wp - wo],
          [0, 0],
        ]) as Tensor4D);
  const signals = rowBlocks(wide, blocksOf(n, classes)) as Tensor4D[];
  if (wide !== g) wide.dispose();
  return { us, signals };
}
