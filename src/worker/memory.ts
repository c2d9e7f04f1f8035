// Memory a request needs, from shapes alone, before anything is allocated; refusing early beats
// an out-of-memory crash halfway through a run (wasm memory is capped, GPU memory more so).
import type { Model } from '../core/models/types';
import { makePruner } from '../core/pruners';
import type { RunConfig } from '../shared/config';
import type { MethodId } from '../shared/methods';
import { METHOD_INFO } from '../shared/methods';
import type { BackendName, MemoryEstimate } from '../shared/protocol';
import { lossBatchCount } from './data';

const F32 = 4;
const GiB = 1024 ** 3;
const NTK_CHUNK_BYTES = (1 << 22) * F32;

/** What each backend can hold for one request (conservative). */
export const BACKEND_BUDGET: Record<BackendName, number> = {
  // wasm32 heap, 4 GiB at most: GraSP on 64 ResNet-20 images ran at a 3.7 GB high-water
  // mark, 128 (≈7 GB) crashed with "memory access out of bounds"
  wasm: 3.5 * GiB,
  cpu: 2 * GiB,
  // textures; SwiftShader keeps them in system memory, a discrete GPU has at least this
  webgl: 2 * GiB,
  webgpu: 2 * GiB,
};

/**
 * Live activation tensors per input in one forward+backward, relative to the layer outputs:
 * the forward keeps conv/BN/ReLU outputs, the backward makes as many gradients.
 */
const ACTIVATION_COPIES = 6;

// A method's memory per input relative to that: its memoryFactor in src/shared/methods.ts.

/** Examples a method's forward pass sees at once. */
function methodBatch(method: MethodId, cfg: RunConfig, classes: number): number {
  switch (makePruner(method).data) {
    case 'loss-batches':
      return cfg.batchSize;
    case 'subset':
      return Math.min(cfg.batchSize, cfg.examplesPerClass * classes);
    case 'input-shape':
      return 1;
    default:
      return 0;
  }
}

/** Layer outputs per input (floats), from the model's multiply-accumulate counts. */
export function activationsPerInput(model: Model): number {
  let a = model.input.reduce((x, y) => x * y, 1);
  for (const l of model.prunable) a += ((model.macsPerLayer[l.weight] ?? l.numel) * l.outUnits) / l.numel;
  return a;
}

function memoryParts(model: Model, cfg: RunConfig): Record<string, number> {
  const params = model.params.reduce((a, p) => a + p.torchShape.reduce((x, y) => x * y, 1), 0);
  const prunable = model.prunable.reduce((a, l) => a + l.numel, 0);
  const perInput = activationsPerInput(model) * F32 * ACTIVATION_COPIES;
  const inputBytes = model.input.reduce((x, y) => x * y, 1) * F32;
  let activations = 0;
  let paramCopies = 0;
  for (const m of cfg.methods) {
    const f = METHOD_INFO[m].memoryFactor;
    activations = Math.max(activations, f * methodBatch(m, cfg, model.classes) * perInput);
    // parameters, masks, scores, gradients, plus the method's extra copies
    paramCopies = Math.max(paramCopies, 3 + f);
  }
  const ntkRows = cfg.ntkSamples * model.classes;
  return {
    parameters: params * F32 * paramCopies,
    activations,
    // the examples the methods read (loss batches, PX subset, NTK inputs), host and device
    inputs: 2 * inputBytes * (cfg.batchSize * lossBatchCount(cfg) + cfg.examplesPerClass * model.classes + cfg.ntkSamples),
    // core/metrics/ntk.ts: one backward over the inputs repeated per logit, one Θ block per
    // layer (never J), per-layer intermediates chunked to 4M floats
    ntk: ntkRows * perInput + (model.prunable.length + 2) * ntkRows * ntkRows * 8 + 4 * NTK_CHUNK_BYTES,
    // recorder (round + score per weight), the order, and two flat reads per round
    path: prunable * (8 + 10 + 2 * F32),
  };
}

const sum = (parts: Record<string, number>) => Object.values(parts).reduce((a, b) => a + b, 0);

export function estimateMemory(model: Model, cfg: RunConfig, budgetBytes: number): MemoryEstimate {
  const parts = memoryParts(model, cfg);
  const bytes = sum(parts);
  const fits = bytes <= budgetBytes;
  const estimate: MemoryEstimate = { bytes, budgetBytes, parts, fits };
  if (!fits) estimate.suggestion = suggest(model, cfg, budgetBytes);
  return estimate;
}

function mib(b: number): string {
  return `${Math.round(b / 1024 ** 2).toLocaleString('en-US')} MiB`;
}

/** Largest v in [1, hi] with ok(v) (ok is monotone), or 0. */
function largest(hi: number, ok: (v: number) => boolean): number {
  if (!ok(1)) return 0;
  let lo = 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

type Knob = 'batchSize' | 'examplesPerClass' | 'ntkSamples';
const KNOB_TEXT: Record<Knob, (v: number) => string> = {
  batchSize: (v) => `a batch size of ${v} or less`,
  examplesPerClass: (v) => `${v} examples per class or fewer`,
  ntkSamples: (v) => `${v} NTK inputs or fewer`,
};

/**
 * Why the batch is not split into micro-batches with their gradients summed, when that is why a
 * setting must change: every method that reads loss batches runs BatchNorm on the statistics of
 * its batch, as the official code does, so on a BatchNorm network each example's gradient depends
 * on the whole batch and a split batch gives other scores (test/batch-split.test.ts). Without
 * BatchNorm a split would be exact, but no such model needs one within the wasm heap.
 */
function noSplitReason(model: Model, cfg: RunConfig): string {
  const coupled = cfg.methods.filter((m) => makePruner(m).data === 'loss-batches');
  if (!coupled.length || !model.params.some((p) => p.role === 'bn_weight')) return '';
  const names = coupled.map((m) => METHOD_INFO[m].label).join(', ');
  return ` (${names}: BatchNorm on the statistics of the whole batch, as in the official code, so the batch is not split into micro-batches, which would change the scores.)`;
}

/** What to change so the request fits: one setting if that is enough, else several together. */
function suggest(model: Model, cfg: RunConfig, budget: number): string {
  return suggestSettings(model, cfg, budget) + noSplitReason(model, cfg);
}

function suggestSettings(model: Model, cfg: RunConfig, budget: number): string {
  const fits = (c: RunConfig) => sum(memoryParts(model, c)) <= budget;
  const knobs: Knob[] = ['batchSize', 'examplesPerClass', 'ntkSamples'];
  const single: string[] = [];
  for (const k of knobs) {
    const v = largest(cfg[k] - 1, (x) => fits({ ...cfg, [k]: x }));
    if (v) single.push(KNOB_TEXT[k](v));
  }
  if (single.length) return `Try ${single.join(', or ')}.`;
  let c = { ...cfg };
  const together: string[] = [];
  for (const k of knobs) {
    const v = largest(c[k], (x) => fits({ ...c, [k]: x })) || 1;
    if (v < cfg[k]) together.push(KNOB_TEXT[k](v));
    c = { ...c, [k]: v };
    if (fits(c)) return `Try ${together.join(' and ')} together.`;
  }
  return `${model.label} needs about ${mib(sum(memoryParts(model, c)))} even with the smallest batches; pick a smaller model.`;
}
