// Host-side parameters in PyTorch layout (what .safetensors files hold) and their conversion to
// device tensors in tfjs layout. Layouts change here and nowhere else.
import { showName } from '../../shared/safetensors';
import { Rng } from '../rng';
import { tf, type Tensor } from '../tf';
import type { Model, ParamInfo } from './types';
import { isMaskName } from '../../shared/maskNames';

/** A state_dict: name → PyTorch-layout values. */
export type StateDict = Map<string, Float32Array>;
/** Device tensors keyed by state_dict name (tfjs layout). */
export type ParamMap = Record<string, Tensor>;

/** Initialise as the official models: kaiming_normal_ (fan_in, gain √2) weights, PyTorch
 * default U(±1/√fan_in) biases, BN weight 1 / bias 0 / mean 0 / var 1, Identity2d ones. */
export function initStateDict(model: Model, seed: number): StateDict {
  const rng = Rng.derive(seed, 'init');
  const sd: StateDict = new Map();
  for (const p of model.params) {
    const n = p.torchShape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    switch (p.role) {
      case 'weight':
        rng.fillNormal(v, Math.sqrt(2 / p.fanIn));
        break;
      case 'bias': {
        const bound = 1 / Math.sqrt(p.fanIn);
        rng.fillUniform(v, -bound, bound);
        break;
      }
      case 'bn_weight':
      case 'bn_var':
      case 'identity':
        v.fill(1);
        break;
      default:
        v.fill(0);
    }
    sd.set(p.name, v);
  }
  return sd;
}

/** Permute a row-major array: out[idx permuted] (generic N-d transpose). */
export function transposeArray(data: Float32Array, shape: number[], perm: number[]): Float32Array {
  const nd = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array(nd).fill(1);
  for (let i = nd - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1] * shape[i + 1];
  const out = new Float32Array(data.length);
  const idx = new Array(nd).fill(0);
  const strideForOut = perm.map((p) => inStrides[p]);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < nd; d++) src += idx[d] * strideForOut[d];
    out[o] = data[src];
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** PyTorch layout → tfjs layout for one parameter (or its mask/score). */
export function torchToTf(info: Pick<ParamInfo, 'torchShape'>, data: Float32Array): Float32Array {
  const s = info.torchShape;
  if (s.length === 4) return transposeArray(data, s, [2, 3, 1, 0]);
  if (s.length === 2) return transposeArray(data, s, [1, 0]);
  return data;
}

/** tfjs layout → PyTorch layout. */
export function tfToTorch(info: Pick<ParamInfo, 'torchShape'>, data: Float32Array): Float32Array {
  const s = info.torchShape;
  if (s.length === 4) return transposeArray(data, [s[2], s[3], s[1], s[0]], [3, 2, 0, 1]);
  if (s.length === 2) return transposeArray(data, [s[1], s[0]], [1, 0]);
  return data;
}

export function paramInfo(model: Model, name: string): ParamInfo {
  const p = model.params.find((q) => q.name === name);
  if (!p) throw new Error(`${model.kind} has no parameter "${name}"`);
  return p;
}

/** Upload a state_dict as tfjs-layout tensors (caller owns and disposes them). */
export function toParamMap(model: Model, sd: StateDict): ParamMap {
  const out: ParamMap = {};
  for (const p of model.params) {
    const v = sd.get(p.name);
    if (!v) throw new Error(`missing parameter "${p.name}"`);
    out[p.name] = tf.tensor(torchToTf(p, v), p.shape, 'float32');
  }
  return out;
}

/** Check a loaded state_dict against the model: every name present with the right shape. */
export function checkStateDict(model: Model, tensors: Map<string, { shape: number[] }>, source = 'weights'): void {
  const problems: string[] = [];
  for (const p of model.params) {
    const t = tensors.get(p.name);
    if (!t) problems.push(`missing "${p.name}" [${p.torchShape}]`);
    else if (t.shape.join(',') !== p.torchShape.join(','))
      problems.push(`"${p.name}" has shape [${t.shape}], ${model.kind} needs [${p.torchShape}]`);
  }
  const known = new Set(model.params.map((p) => p.name));
  const extra = [...tensors.keys()].filter((k) => !known.has(k) && !isMaskName(k) && !k.endsWith('num_batches_tracked'));
  if (extra.length)
    problems.push(`unexpected ${extra.slice(0, 5).map(showName).join(', ')}${extra.length > 5 ? ` and ${extra.length - 5} more` : ''}`);
  if (problems.length)
    throw new Error(
      `${source} do not fit ${model.label}: ${problems.slice(0, 6).join('; ')}${problems.length > 6 ? ` (${problems.length} problems)` : ''}`,
    );
}

export function disposeMap(m: Record<string, Tensor>): void {
  for (const t of Object.values(m)) t.dispose();
}
