// Mask pictures, pure: the MLP's first-layer masks as one 28×28 image per
// unit (which pixels each neuron still sees), and a per-layer heat map for any layer (kept
// fraction per output × input unit, averaged over a conv kernel, block-averaged down to a size
// a screen can show).
import type { MaskArray } from '../shared/protocol';

/** The first layer's mask per output unit as side×side images (row-major), for inputs of side² pixels. */
export function unitImages(mask: MaskArray, side = 28): Array<{ unit: number; kept: number; pixels: Uint8Array }> {
  const [out, inp] = mask.shape;
  if (mask.shape.length !== 2 || inp !== side * side) return [];
  const images = [];
  for (let u = 0; u < out; u++) {
    const pixels = new Uint8Array(inp);
    let kept = 0;
    for (let i = 0; i < inp; i++) {
      const on = mask.data[u * inp + i] !== 0 ? 1 : 0;
      pixels[i] = on;
      kept += on;
    }
    images.push({ unit: u, kept, pixels });
  }
  return images;
}

/** Most-connected units first (the ones worth looking at), `count` of them. */
export function topUnits<T extends { kept: number; unit: number }>(images: T[], count: number): T[] {
  return [...images].sort((a, b) => b.kept - a.kept || a.unit - b.unit).slice(0, count);
}

export interface Heat {
  rows: number;
  cols: number;
  /** Kept fraction per cell in [0, 1], row-major. */
  values: Float32Array;
}

/**
 * A layer's mask as an output × input heat map: the kept fraction of each kernel (conv) or the
 * weight itself (linear), block-averaged so that neither side exceeds `max` cells.
 */
export function layerHeat(mask: MaskArray, max = 128): Heat {
  const [out, inp, ...k] = mask.shape;
  const ksize = k.reduce((a, b) => a * b, 1);
  const rb = Math.ceil(out / max);
  const cb = Math.ceil(inp / max);
  const rows = Math.ceil(out / rb);
  const cols = Math.ceil(inp / cb);
  const sum = new Float32Array(rows * cols);
  const cnt = new Float32Array(rows * cols);
  for (let o = 0; o < out; o++) {
    for (let i = 0; i < inp; i++) {
      let kept = 0;
      const base = (o * inp + i) * ksize;
      for (let j = 0; j < ksize; j++) if (mask.data[base + j] !== 0) kept++;
      const cell = Math.floor(o / rb) * cols + Math.floor(i / cb);
      sum[cell] += kept / ksize;
      cnt[cell] += 1;
    }
  }
  const values = new Float32Array(rows * cols);
  for (let c = 0; c < values.length; c++) values[c] = cnt[c] ? sum[c] / cnt[c] : 0;
  return { rows, cols, values };
}
