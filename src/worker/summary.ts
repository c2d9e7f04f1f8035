// What a run reports, computed from what it found: the round events, a method's summary from its
// layer table and NTK, and the final masks in PyTorch layout. Pure functions (no tfjs calls, no
// caches), so the numbers the page shows are a function of the masks alone.
import { totalPrunable } from '../core/models';
import { tfToTorch } from '../core/models/state';
import type { Model } from '../core/models/types';
import type { MethodId } from '../shared/methods';
import type { LayerRow, MaskArray, MaskOrigin, MethodSummary, NtkSpectrum, RunEvent, RunPhase } from '../shared/protocol';
import { effectiveDensityOf, keptAndWidth } from './layerStats';
import type { RoundInfo } from '../core/pruners/schedule';
import { maskName } from '../shared/maskNames';

/** A round event without its request (kept to replay for a later request). */
export type RoundPayload = Omit<Extract<RunEvent, { type: 'round' }>, 'requestId'>;
/** An NTK along a run, after some round. */
export type NtkPayload = Omit<Extract<RunEvent, { type: 'ntk' }>, 'requestId'>;
/** What a result drew over rounds: replayed when it comes from a cache, so it draws the same. */
export type Trail = Array<RoundPayload | NtkPayload>;

/** A mask's layer table as shown, and whether the network is cut. */
export interface Shown {
  rows: LayerRow[];
  disconnected?: boolean;
}

/** The page's view of one round (per-layer kept and width), without the request id. */
export function roundPayload(
  model: Model,
  method: MethodId,
  phase: RunPhase,
  rounds: number,
  info: RoundInfo,
  mask: Float32Array,
): RoundPayload {
  const done = info.round + 1;
  return {
    type: 'round',
    method,
    phase,
    round: done,
    rounds,
    density: info.density,
    kept: info.kept,
    total: info.total,
    keptPerLayer: info.keptPerLayer,
    widthPerLayer: keptAndWidth(model, mask).width,
    elapsedMs: info.elapsedMs,
    etaMs: (info.elapsedMs / done) * (rounds - done),
  };
}

export interface SummaryInput {
  model: Model;
  method: MethodId;
  source: MaskOrigin;
  density: number;
  rounds: number;
  ms: number;
  exactPending: boolean;
  shown: Shown;
  ntk: NtkSpectrum | null;
  dense: NtkSpectrum | null;
}

/** A method's row of the results table, from its layer table and NTK (and the dense NTK). */
export function methodSummary(s: SummaryInput): MethodSummary {
  const { rows } = s.shown;
  const kept = rows.reduce((a, r) => a + r.kept, 0);
  const total = totalPrunable(s.model);
  const eff = effectiveDensityOf(rows);
  return {
    method: s.method,
    source: s.source,
    exactPending: s.exactPending,
    cached: false,
    density: s.density,
    rounds: s.rounds,
    kept,
    total,
    keptFraction: kept / total,
    ...(eff !== undefined ? { effectiveDensity: eff } : {}),
    ...(s.ntk && s.dense && s.dense.trace > 0 ? { ntkTraceRatio: s.ntk.trace / s.dense.trace } : {}),
    ...(s.ntk ? { condition: s.ntk.condition } : {}),
    flops: rows.reduce((a, r) => a + (r.flops ?? 0), 0),
    denseFlops: rows.reduce((a, r) => a + (r.denseFlops ?? 0), 0),
    collapsedLayers: rows.filter((r) => r.collapsed).length,
    ...(s.shown.disconnected !== undefined ? { disconnected: s.shown.disconnected } : {}),
    ms: s.ms,
  };
}

/** A flat mask (model order, tfjs layout) as the per-layer masks of a PyTorch checkpoint. */
export function torchMasks(model: Model, flat: Uint8Array): MaskArray[] {
  let off = 0;
  return model.prunable.map((l) => {
    const tfData = Float32Array.from(flat.subarray(off, off + l.numel));
    off += l.numel;
    return { name: maskName(l.weight), shape: l.torchShape, data: tfToTorch(l, tfData) };
  });
}
