// Test-only helpers: the NTK reference fixtures as the arrays runNtkJob takes. Not exported by
// index.ts (it reads files with node:fs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toFloat32 } from '../src/shared/safetensors';
import { buildModel, type ArchSpec, type Model } from '../src/core/models';
import type { StateDict } from '../src/core/models/state';
import { FIXTURES, readCase, type CaseName } from './fixtures';
import type { HostMasks } from '../src/core/metrics/arrays';

export interface NtkFixture {
  label: string;
  model: Model;
  stateDict: StateDict;
  x: Float32Array;
  xShape: [number, number, number, number];
  masks?: HostMasks;
  eigenvaluesDesc: number[];
  trace: number;
}

export const SAFETENSORS_NTK: Record<string, string | null> = {
  'ntk_dense.json': null,
  'ntk_px_R10_d0.1.json': 'px_R10_d0.1.safetensors',
  'ntk_synflow_R10_d0.1.json': 'synflow_R10_d0.1.safetensors',
};

/** One `expected/ntk_*.json` of the public safetensors set with its weights, inputs and masks. */
export function safetensorsNtkFixture(name: CaseName, ntkFile: string): NtkFixture {
  const c = readCase(name);
  const model = buildModel(c.caseJson.arch);
  const stateDict: StateDict = new Map(model.params.map((p) => [p.name, toFloat32(c.weights.tensors.get(p.name)!)]));
  const xs = c.inputs.tensors.get('x')!;
  const maskFile = SAFETENSORS_NTK[ntkFile];
  let masks: HostMasks | undefined;
  if (maskFile) {
    const f = c.expected(maskFile);
    masks = new Map(model.prunable.map((l) => [l.weight, toFloat32(f.tensors.get(`${l.weight}_mask`)!)]));
  }
  const ref = c.json(ntkFile);
  return {
    label: `${name} ${ntkFile}`,
    model,
    stateDict,
    x: toFloat32(xs),
    xShape: xs.shape as NtkFixture['xShape'],
    masks,
    eigenvaluesDesc: ref.eigenvalues_desc,
    trace: ref.trace,
  };
}

const JSON_ARCH: Record<'mlp' | 'conv' | 'conv_nobn', ArchSpec> = {
  mlp: { kind: 'mlp', input: [3, 32, 32], hidden: [16, 16], classes: 10 },
  conv: { kind: 'convnet', input: [3, 8, 8], channels: [8, 16], strides: [1, 2], batchnorm: true, bias: false, classes: 10 },
  conv_nobn: { kind: 'convnet', input: [3, 8, 8], channels: [8, 16], strides: [1, 2], batchnorm: false, bias: true, classes: 10 },
};

type JsonFixture = {
  initial_state: Record<string, { shape: number[]; data: number[] }>;
  inputs: { shape: number[]; data: number[] };
  masks: Record<string, { layers: Array<{ name: string; mask: number[] }> }>;
  ntk: Record<string, { eigenvalues_desc: number[]; trace: number }>;
};

const jsonCache = new Map<string, JsonFixture>();

/** The `ntk.<which>` block of test/fixtures/<name>.json (which: dense, PX_R10, SynFlow_R10). */
export function jsonNtkFixture(name: 'mlp' | 'conv' | 'conv_nobn', which: 'dense' | 'PX_R10' | 'SynFlow_R10'): NtkFixture {
  let j = jsonCache.get(name);
  if (!j) {
    j = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as JsonFixture;
    jsonCache.set(name, j);
  }
  const model = buildModel(JSON_ARCH[name]);
  const stateDict: StateDict = new Map(model.params.map((p) => [p.name, Float32Array.from(j!.initial_state[p.name].data)]));
  let masks: HostMasks | undefined;
  if (which !== 'dense') masks = new Map(j.masks[which].layers.map((l) => [l.name, Float32Array.from(l.mask)]));
  const ref = j.ntk[which];
  return {
    label: `${name}.json ${which}`,
    model,
    stateDict,
    x: Float32Array.from(j.inputs.data),
    xShape: j.inputs.shape as NtkFixture['xShape'],
    masks,
    eigenvaluesDesc: ref.eigenvalues_desc,
    trace: ref.trace,
  };
}

/** max over the top k of |λ − λ_ref| / |λ_ref|. */
export function topEigenRelError(got: ArrayLike<number>, want: ArrayLike<number>, k: number): number {
  let worst = 0;
  for (let i = 0; i < k; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.abs(want[i]));
  return worst;
}
