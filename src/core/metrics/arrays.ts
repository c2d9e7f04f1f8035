// The metrics from plain arrays (PyTorch layout in, host numbers out): what the CLI, the worker
// and the tests call. Uploads what it needs and frees every tensor it made.
import { toFloat32, type SafeFile } from '../../shared/safetensors';
import { nchwTensor } from '../models/input';
import { disposeMap, torchToTf, toParamMap, type ParamMap, type StateDict } from '../models/state';
import type { Model } from '../models/types';
import { tf } from '../tf';
import { layerStats, type LayerTable } from './layers';
import { ntkMatrix, type StructuredNtkOptions } from './ntk';
import { DEFAULT_NTK_N, type NtkMatrix } from './ntk-common';
import { ntkMatrixLoop } from './ntk-loop';
import { spectrum, type Spectrum } from './spectrum';
import { maskName } from '../../shared/maskNames';

/** Masks as 0/1 arrays in PyTorch layout keyed by weight name ("conv1.weight"). */
export type HostMasks = Map<string, Float32Array>;

export type NtkMethod = 'structured' | 'loop';

export interface NtkReport extends Spectrum {
  n: number;
  classes: number;
  /** n · classes: Θ is size × size. */
  size: number;
  /** Θ, row-major float64, row i·C + k. */
  theta: Float64Array;
  /** trace(Θ_l) per prunable weight name; they sum to `trace`. */
  traceByLayer: Record<string, number>;
  method: NtkMethod;
  /** Wall time of the Θ computation (ms), without the eigen-decomposition. */
  thetaMs: number;
  /** Wall time of the eigen-decomposition (ms). */
  eigenMs: number;
}

export interface NtkReportOptions extends StructuredNtkOptions {
  method?: NtkMethod;
  /** Relative tolerance for λmin⁺ (default size·ε₃₂, see spectrum.ts). */
  relTol?: number;
}

/** Θ (structured or loop) plus its spectrum, from tensors. */
export async function ntkReport(req: Parameters<typeof ntkMatrix>[0], opts: NtkReportOptions = {}): Promise<NtkReport> {
  const method = opts.method ?? 'structured';
  const t0 = performance.now();
  const m: NtkMatrix = method === 'loop' ? await ntkMatrixLoop(req, opts) : await ntkMatrix(req, opts);
  const t1 = performance.now();
  const s = spectrum(m.theta, m.size, opts.relTol);
  const t2 = performance.now();
  return {
    ...s,
    n: m.n,
    classes: m.classes,
    size: m.size,
    theta: m.theta,
    traceByLayer: m.traceByLayer,
    method,
    thetaMs: t1 - t0,
    eigenMs: t2 - t1,
  };
}

/** Upload host masks (PyTorch layout) as tfjs-layout tensors; checks names and sizes. */
export function uploadMasks(model: Model, masks: HostMasks): ParamMap {
  const out: ParamMap = {};
  try {
    for (const l of model.prunable) {
      const m = masks.get(l.weight);
      if (!m) throw new Error(`masks: missing "${l.weight}" (expected ${l.torchShape.join('×')})`);
      if (m.length !== l.numel) throw new Error(`masks: "${l.weight}" has ${m.length} values, ${l.torchShape.join('×')} needs ${l.numel}`);
      out[l.weight] = tf.tensor(torchToTf(l, m), l.shape, 'float32');
    }
  } catch (e) {
    disposeMap(out);
    throw e;
  }
  return out;
}

/**
 * Masks from a parsed .safetensors file as `score`/`prune` and the fixtures write them:
 * `<module>.weight_mask` in PyTorch layout for every prunable layer.
 */
export function masksFromSafeFile(model: Model, file: SafeFile, source = 'masks'): HostMasks {
  const out: HostMasks = new Map();
  const missing: string[] = [];
  for (const l of model.prunable) {
    const name = maskName(l.weight);
    const t = file.tensors.get(name);
    if (!t) {
      missing.push(name);
      continue;
    }
    if (t.shape.join(',') !== l.torchShape.join(','))
      throw new Error(`${source}: "${name}" has shape [${t.shape}], ${model.label} needs [${l.torchShape}]`);
    out.set(l.weight, toFloat32(t));
  }
  if (missing.length)
    throw new Error(
      `${source}: no ${missing
        .slice(0, 3)
        .map((m) => `"${m}"`)
        .join(
          ', ',
        )}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''} (found ${[...file.tensors.keys()].slice(0, 4).join(', ') || 'nothing'})`,
    );
  return out;
}

export interface NtkJob extends NtkReportOptions {
  model: Model;
  stateDict: StateDict;
  /** Inputs NCHW; the first n are used. */
  x: Float32Array;
  xShape: [number, number, number, number];
  masks?: HostMasks;
  n?: number;
}

/** The NTK report from arrays. */
export async function runNtkJob(job: NtkJob): Promise<NtkReport> {
  const n = job.n ?? DEFAULT_NTK_N;
  const [rows, c, h, w] = job.xShape;
  if (rows < n) throw new Error(`NTK: n = ${n} but only ${rows} inputs were given`);
  const per = c * h * w;
  const params = toParamMap(job.model, job.stateDict);
  const masks = job.masks ? uploadMasks(job.model, job.masks) : undefined;
  const x = nchwTensor(job.x.subarray(0, n * per), [n, c, h, w]);
  try {
    return await ntkReport({ model: job.model, params, masks, x, n }, job);
  } finally {
    x.dispose();
    disposeMap(params);
    if (masks) disposeMap(masks);
  }
}

/** The per-layer table from host masks (none: the dense net). */
export async function runLayerStatsJob(model: Model, masks?: HostMasks): Promise<LayerTable> {
  const m = masks ? uploadMasks(model, masks) : undefined;
  try {
    return await layerStats(model, m);
  } finally {
    if (m) disposeMap(m);
  }
}
