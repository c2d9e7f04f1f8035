// Shape adaptation: how images stored as [c,h,w] feed a model whose input is [C,H,W].
// One rule, chosen from the two shapes alone (documented in describeAdaptation's output):
//  1. same shape: as is.
//  2. same number of values (e.g. an MLP declared on 3×32×32, or 1×1×784): the values are
//     flattened as is and read in the model's shape.
//  3. otherwise channels and size are adapted separately:
//     channels: c = C as is; grey (c = 1) → C channels by repeating it (MNIST on ResNet-20);
//       RGB (c = 3) → grey (C = 1) by the ITU-R 601 luma weights 0.299/0.587/0.114 (those of
//       torchvision's Grayscale), applied to the normalised channels; anything else is refused.
//     size: each of H and W is zero-padded (centred, odd extra pixel at the bottom/right) when
//       larger and centre-cropped (odd extra pixel dropped at the bottom/right) when smaller.
//       Padding is black in pixel space, i.e. byte 0 normalised with the channel's mean/std, as
//       torchvision's Pad before ToTensor/Normalize gives: MNIST 28×28 in a 32×32 input reads
//       (0 − 0.1307)/0.3081 ≈ −0.4242 in the 2-pixel border of every channel.
//  Normalisation happens per stored channel, before any channel mixing.
import { normalizationTables, type ChannelStats } from './normalization';

export type Shape3 = [number, number, number];

export interface Adapter {
  from: Shape3;
  to: Shape3;
  /** Empty when the images are served as is; otherwise a short human sentence. */
  description: string;
  /** Writes one normalised, adapted image (C·H·W floats) from its stored bytes at out[offset…]. */
  write(src: Uint8Array, out: Float32Array, offset: number): void;
}

const LUMA = [0.299, 0.587, 0.114];

const fmt = (s: readonly number[]) => s.join('×');

/** The source index along one axis for every target position (−1 = padding). */
function axisMap(from: number, to: number): Int32Array {
  const m = new Int32Array(to);
  const shift = to >= from ? Math.floor((to - from) / 2) : -Math.floor((from - to) / 2);
  for (let i = 0; i < to; i++) {
    const s = i - shift;
    m[i] = s >= 0 && s < from ? s : -1;
  }
  return m;
}

/** Explains the rule applied for these two shapes ('' when none). */
export function describeAdaptation(from: Shape3, to: Shape3): string {
  const [c, h, w] = from;
  const [C, H, W] = to;
  if (c === C && h === H && w === W) return '';
  if (c * h * w === C * H * W) return `${fmt(from)} values read as ${fmt(to)} (flattened as is)`;
  const parts: string[] = [];
  if (c !== C) parts.push(c === 1 ? `grey repeated to ${C} channels` : `RGB to grey (ITU-R 601 luma)`);
  const verb = (a: number, b: number) => (a < b ? 'zero-padded' : 'centre-cropped');
  if (h !== H || w !== W) {
    if (h === H || w === W || verb(h, H) !== verb(w, W)) {
      if (h !== H) parts.push(`height ${verb(h, H)} ${h}→${H}`);
      if (w !== W) parts.push(`width ${verb(w, W)} ${w}→${W}`);
    } else parts.push(`${verb(h, H)} ${h}×${w}→${H}×${W}`);
  }
  return `${fmt(from)} → ${fmt(to)}: ${parts.join(', ')}`;
}

/** The adapter for `from` images into a `to` input, normalising with `stats` (one entry per stored channel). */
export function makeAdapter(from: Shape3, to: Shape3, stats: ChannelStats): Adapter {
  const [c, h, w] = from;
  const [C, H, W] = to;
  for (const d of [...from, ...to])
    if (!Number.isInteger(d) || d < 1) throw new Error(`shapes must be positive integers (got ${fmt(from)} → ${fmt(to)})`);
  if (stats.mean.length !== c || stats.std.length !== c)
    throw new Error(`normalisation has ${stats.mean.length} channels, images have ${c}`);
  const lut = normalizationTables(stats);
  const plane = h * w;
  const description = describeAdaptation(from, to);

  if (c * h * w === C * H * W) {
    // cases 1 and 2: value k of the output is value k of the stored image
    return {
      from,
      to,
      description,
      write(src, out, offset) {
        for (let ch = 0, k = 0; ch < c; ch++) {
          const t = lut[ch];
          for (let p = 0; p < plane; p++, k++) out[offset + k] = t[src[k]];
        }
      },
    };
  }

  // mix[C'] = the stored channels (and weights) that make output channel C'
  let mix: { ch: number; weight: number }[][];
  if (c === C) mix = Array.from({ length: C }, (_, k) => [{ ch: k, weight: 1 }]);
  else if (c === 1) mix = Array.from({ length: C }, () => [{ ch: 0, weight: 1 }]);
  else if (c === 3 && C === 1) mix = [LUMA.map((weight, ch) => ({ ch, weight }))];
  else throw new Error(`cannot adapt ${fmt(from)} images to a ${fmt(to)} input (channels ${c}→${C}: only equal, 1→any or 3→1 are defined)`);

  const rows = axisMap(h, H);
  const cols = axisMap(w, W);
  // source offset within a channel plane for every output pixel, −1 for padding
  const pix = new Int32Array(H * W);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) pix[y * W + x] = rows[y] < 0 || cols[x] < 0 ? -1 : rows[y] * w + cols[x];
  const outPlane = H * W;
  return {
    from,
    to,
    description,
    write(src, out, offset) {
      for (let oc = 0; oc < C; oc++) {
        const base = offset + oc * outPlane;
        const terms = mix[oc];
        for (let p = 0; p < outPlane; p++) {
          const s = pix[p];
          let v = 0;
          for (const { ch, weight } of terms) v += weight * lut[ch][s < 0 ? 0 : src[ch * plane + s]];
          out[base + p] = v;
        }
      }
    },
  };
}
