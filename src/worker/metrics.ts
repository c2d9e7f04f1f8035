// The metrics the worker reports, from src/core/metrics: the empirical NTK spectrum of the
// (masked) network on the request's NTK inputs, and the path-based layer table (effective width,
// dead weights, collapse, FLOPs). Every tensor made here is freed.
import type { ArrayData } from '../core/examples';
import { layerStats, ntkMatrix, spectrum } from '../core/metrics';
import { nchwTensor } from '../core/models/input';
import { disposeMap, toParamMap, type StateDict } from '../core/models/state';
import type { Model } from '../core/models/types';
import type { LayerRow, NtkSpectrum } from '../shared/protocol';
import { maskTensors } from '../core/pruners/masking';
import type { MetricsAdapter } from './runner';

export async function ntkSpectrum(model: Model, stateDict: StateDict, mask: Uint8Array | null, data: ArrayData): Promise<NtkSpectrum> {
  const t0 = performance.now();
  const params = toParamMap(model, stateDict);
  const masks = mask ? maskTensors(model, mask) : undefined;
  const x = nchwTensor(data.x, data.shape);
  try {
    const m = await ntkMatrix({ model, params, masks, x, n: data.shape[0] });
    const s = spectrum(m.theta, m.size);
    return {
      eigenvalues: Array.from(s.eigenvaluesDesc),
      trace: s.trace,
      condition: s.condition,
      traceByLayer: model.prunable.map((l) => m.traceByLayer[l.weight] ?? 0),
      samples: m.n,
      ms: performance.now() - t0,
    };
  } finally {
    disposeMap(params);
    if (masks) disposeMap(masks);
    x.dispose();
  }
}

/** The host rows completed with core/metrics' path analysis. */
export async function pathLayerRows(
  model: Model,
  mask: Uint8Array,
  rows: LayerRow[],
): Promise<{ rows: LayerRow[]; disconnected: boolean }> {
  const masks = maskTensors(model, mask);
  try {
    const t = await layerStats(model, masks);
    const byWeight = new Map(t.layers.map((r) => [r.weight, r]));
    return {
      rows: rows.map((r) => {
        const m = byWeight.get(r.name);
        if (!m) return r;
        return {
          ...r,
          width: m.keptUnits,
          effectiveWidth: m.effectiveUnits,
          disconnected: m.dead,
          effectiveDensity: m.effectiveDensity,
          collapsed: m.collapsed,
          flops: m.flops,
          denseFlops: m.flopsDense,
        };
      }),
      disconnected: t.network.disconnected,
    };
  } finally {
    disposeMap(masks);
  }
}

export const coreMetrics: MetricsAdapter = {
  ntk: ({ model, stateDict, mask, data }) => ntkSpectrum(model, stateDict, mask, data),
  layers: ({ model, mask, rows }) => pathLayerRows(model, mask, rows),
};
