// Per-layer numbers from a flat mask, on the host (any backend, no tensors): kept weights, width
// (output units with a kept weight), cost. The metrics module adds the path-based ones
// (effective width, disconnected weights, effective density) when it is present.
import type { Model } from '../core/models/types';
import type { LayerInfo, LayerRow, ModelInfo } from '../shared/protocol';
import type { ModelName } from '../shared/models';
import { totalPrunable } from '../core/models';

export function modelInfo(name: ModelName, model: Model): ModelInfo {
  const layers: LayerInfo[] = model.prunable.map((l) => ({
    name: l.weight,
    kind: l.kind,
    numel: l.numel,
    outUnits: l.outUnits,
    inUnits: l.inUnits,
  }));
  const params = model.params.reduce((a, p) => a + p.torchShape.reduce((x, y) => x * y, 1), 0);
  return { name, label: model.label, params, prunable: totalPrunable(model), input: model.input, classes: model.classes, layers };
}

/** Kept weights and alive output units per layer (tfjs layout: the output axis is last). */
export function keptAndWidth(model: Model, mask: ArrayLike<number>): { kept: number[]; width: number[] } {
  const kept: number[] = [];
  const width: number[] = [];
  let off = 0;
  for (const l of model.prunable) {
    const alive = new Uint8Array(l.outUnits);
    let k = 0;
    for (let i = 0; i < l.numel; i++) {
      if (mask[off + i] !== 0) {
        k++;
        alive[i % l.outUnits] = 1;
      }
    }
    let w = 0;
    for (let u = 0; u < l.outUnits; u++) w += alive[u];
    kept.push(k);
    width.push(w);
    off += l.numel;
  }
  return { kept, width };
}

export function layerRows(model: Model, mask: ArrayLike<number>): LayerRow[] {
  const { kept, width } = keptAndWidth(model, mask);
  return model.prunable.map((l, i) => {
    const dense = model.macsPerLayer[l.weight] ?? 0;
    return {
      name: l.weight,
      numel: l.numel,
      kept: kept[i],
      density: kept[i] / l.numel,
      outUnits: l.outUnits,
      width: width[i],
      collapsed: kept[i] === 0 || width[i] === 0,
      // 2 × multiply-accumulates, as core/metrics counts FLOPs
      flops: (2 * dense * kept[i]) / l.numel,
      denseFlops: 2 * dense,
    };
  });
}

/** Effective density of a whole mask from its layer rows (weights on an input→output path / all). */
export function effectiveDensityOf(rows: ReadonlyArray<{ numel: number; effectiveDensity?: number }>): number | undefined {
  if (!rows.every((r) => r.effectiveDensity !== undefined)) return undefined;
  const total = rows.reduce((a, r) => a + r.numel, 0);
  return rows.reduce((a, r) => a + r.effectiveDensity! * r.numel, 0) / total;
}
