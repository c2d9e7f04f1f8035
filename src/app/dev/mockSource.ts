// A small typed mock of the worker for developing the page without tfjs: it streams the events of
// src/shared/protocol.ts in the documented order with made-up but deterministic numbers (same
// config → same numbers). Used when the page is opened with #mock (development only).
import { type RunConfig } from '../../shared/config';
import { roundsFor, type MethodId } from '../../shared/methods';
import { type ModelName } from '../../shared/models';
import { cancelledEnd } from '../../shared/requestEnd';
import type { BackendInfo, LayerInfo, LayerRow, MethodSummary, ModelInfo, NtkSpectrum, RunEvent } from '../../shared/protocol';
import type { MaskTensor, RunSource } from '../common/runView';

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function conv(name: string, cin: number, cout: number, k = 3): LayerInfo {
  return { name, kind: 'conv', numel: cin * cout * k * k, outUnits: cout, inUnits: cin };
}
function linear(name: string, cin: number, cout: number): LayerInfo {
  return { name, kind: 'linear', numel: cin * cout, outUnits: cout, inUnits: cin };
}

function mockModel(name: ModelName): ModelInfo {
  let layers: LayerInfo[];
  let label: string;
  let input: [number, number, number] = [3, 32, 32];
  if (name === 'mlp') {
    input = [1, 28, 28];
    label = 'MLP 784-300-100-10 (mock)';
    layers = [linear('fc1.weight', 784, 300), linear('fc2.weight', 300, 100), linear('fc3.weight', 100, 10)];
  } else if (name === 'convnet') {
    label = 'ConvNet 32-64-128 (mock)';
    layers = [conv('conv1.weight', 3, 32), conv('conv2.weight', 32, 64), conv('conv3.weight', 64, 128), linear('fc.weight', 128, 10)];
  } else if (name === 'resnet20') {
    label = 'ResNet-20 (width 16), 3×32×32 → 10 (mock)';
    layers = [conv('conv.weight', 3, 16)];
    const widths = [16, 32, 64];
    let cin = 16;
    for (let b = 0; b < 9; b++) {
      const w = widths[Math.floor(b / 3)];
      layers.push(conv(`blocks.${b}.conv1.weight`, cin, w), conv(`blocks.${b}.conv2.weight`, w, w));
      if (cin !== w) layers.push(conv(`blocks.${b}.shortcut.0.weight`, cin, w, 1));
      cin = w;
    }
    layers.push(linear('fc.weight', 64, 10));
  } else {
    label = 'VGG-16-BN, 3×32×32 → 10 (mock)';
    const cfg = [64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512];
    let cin = 3;
    layers = cfg.map((c, i) => {
      const l = conv(`layers.${i}.conv.weight`, cin, c);
      cin = c;
      return l;
    });
    layers.push(linear('fc.weight', 512, 10));
  }
  const prunable = layers.reduce((a, l) => a + l.numel, 0);
  return { name, label, params: Math.round(prunable * 1.01), prunable, input, classes: 10, layers };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface MockRun {
  cancelled: boolean;
}

const BACKEND: BackendInfo = {
  name: 'wasm',
  label: 'mock · no compute',
  crossOriginIsolated: typeof self !== 'undefined' && self.crossOriginIsolated === true,
  probes: [],
  reason: 'The page was opened with #mock: numbers are made up.',
  excluded: [],
};

function mockSpectrum(eig: number[], samples: number): NtkSpectrum {
  const pos = eig.filter((v) => v > 0);
  return {
    eigenvalues: eig,
    trace: eig.reduce((a, b) => a + b, 0),
    condition: pos.length ? pos[0] / pos[pos.length - 1] : Infinity,
    samples,
    ms: 5,
  };
}

interface MockMethodInput {
  model: ModelInfo;
  config: RunConfig;
  method: MethodId;
  rounds: number;
  keptPer: number[];
  pref: number[];
  denseEig: number[];
  dense: NtkSpectrum;
  t0: number;
}

/** A method's made-up layer table, NTK, summary and masks after its last round. */
function mockResult({ model, config, method, rounds, keptPer, pref, denseEig, dense, t0 }: MockMethodInput): {
  rows: LayerRow[];
  ntk: NtkSpectrum;
  summary: MethodSummary;
  masks: MaskTensor[];
} {
  const total = model.prunable;
  const rows: LayerRow[] = model.layers.map((l, i) => ({
    name: l.name,
    numel: l.numel,
    kept: keptPer[i],
    density: keptPer[i] / l.numel,
    outUnits: l.outUnits,
    width: Math.round(l.outUnits * Math.min(1, Math.sqrt(keptPer[i] / l.numel) * 2)),
    collapsed: keptPer[i] === 0,
  }));
  const collapsed = rows.filter((x) => x.collapsed).length;
  const eig = denseEig.map((v, i) => (collapsed ? 0 : v * config.density ** (0.3 + 0.1 * pref[i % pref.length])));
  const ntk = mockSpectrum(eig, config.ntkSamples);
  const kept = keptPer.reduce((a, b) => a + b, 0);
  const summary: MethodSummary = {
    method,
    source: 'exact',
    exactPending: false,
    cached: false,
    density: config.density,
    rounds,
    kept,
    total,
    keptFraction: kept / total,
    effectiveDensity: collapsed ? 0 : (kept / total) * 0.97,
    ntkTraceRatio: ntk.trace / dense.trace,
    condition: ntk.condition,
    flops: Math.round(kept * 40),
    denseFlops: total * 40,
    collapsedLayers: collapsed,
    ms: performance.now() - t0,
  };
  const masks = model.layers.map((l, i) => {
    const data = new Float32Array(l.numel);
    for (let j = 0; j < keptPer[i]; j++) data[j] = 1;
    return {
      name: l.name.replace(/\.weight$/, '.weight_mask'),
      shape:
        l.kind === 'conv'
          ? [
              l.outUnits,
              l.inUnits,
              Math.round(Math.sqrt(l.numel / l.outUnits / l.inUnits)),
              Math.round(Math.sqrt(l.numel / l.outUnits / l.inUnits)),
            ]
          : [l.outUnits, l.inUnits],
      data,
    };
  });
  return { rows, ntk, summary, masks };
}

interface MockRoundsInput {
  id: number;
  config: RunConfig;
  model: ModelInfo;
  method: MethodId;
  rounds: number;
  pref: number[];
  denseEig: number[];
  t0: number;
  me: MockRun;
  emit: (e: RunEvent) => void;
}

/** A method's rounds: each one's kept weights per layer as a round event, an NTK every fourth round; the last round's kept weights. */
async function mockRounds({ id, config, model, method, rounds, pref, denseEig, t0, me, emit }: MockRoundsInput): Promise<number[]> {
  const total = model.prunable;
  let keptPer: number[] = model.layers.map((l) => l.numel);
  for (let k = 1; k <= rounds; k++) {
    await sleep(25);
    if (me.cancelled) return keptPer;
    const target = config.density ** (k / rounds);
    keptPer = model.layers.map((l, i) =>
      Math.min(
        l.numel,
        Math.round(
          l.numel * Math.min(1, target * pref[i] * (method === 'snip' && i === model.layers.length - 2 && config.density < 0.02 ? 0 : 1)),
        ),
      ),
    );
    const kept = keptPer.reduce((a, b) => a + b, 0);
    const widthPer = model.layers.map((l, i) => Math.round(l.outUnits * Math.min(1, Math.sqrt(keptPer[i] / l.numel) * 2)));
    const elapsedMs = performance.now() - t0;
    emit({
      type: 'round',
      requestId: id,
      method,
      phase: 'exact',
      round: k,
      rounds,
      density: target,
      kept,
      total,
      keptPerLayer: keptPer,
      widthPerLayer: widthPer,
      elapsedMs,
      etaMs: (elapsedMs / k) * (rounds - k),
    });
    if (k % 4 === 0 || k === rounds) {
      const eig = denseEig.map((v, i) => v * target ** (0.3 + 0.1 * pref[i % pref.length]));
      emit({ type: 'ntk', requestId: id, method, source: 'exact', round: k, density: target, ntk: mockSpectrum(eig, config.ntkSamples) });
    }
  }
  return keptPer;
}

export class MockSource implements RunSource {
  readonly name = 'mock';
  private runs = new Map<number, MockRun>();
  private lastMasks = new Map<string, MaskTensor[]>();

  async init(): Promise<BackendInfo> {
    return BACKEND;
  }

  cancel(id: number): void {
    const r = this.runs.get(id);
    if (r) r.cancelled = true;
  }

  async masks(id: number, method: MethodId): Promise<MaskTensor[] | null> {
    return this.lastMasks.get(`${id}:${method}`) ?? null;
  }

  async loadCifar10(files: File[], onProgress: (f: number) => void): Promise<string> {
    let bytes = 0;
    for (const f of files) bytes += f.size;
    for (let i = 1; i <= 5; i++) {
      await sleep(40);
      onProgress(i / 5);
    }
    if (bytes % 30730 !== 0 && !files.some((f) => f.name.endsWith('.tar.gz')))
      throw new Error(`not CIFAR-10 binary batches: ${bytes} bytes is not a whole number of 3,073-byte records`);
    return `CIFAR-10 (mock, ${files.length} file${files.length === 1 ? '' : 's'})`;
  }

  async run(id: number, config: RunConfig, onEvent: (e: RunEvent) => void): Promise<void> {
    for (const r of this.runs.values()) r.cancelled = true;
    const me: MockRun = { cancelled: false };
    this.runs.set(id, me);
    const t0 = performance.now();
    const model = mockModel(config.model);
    const n = config.ntkSamples * model.classes;
    const base = rng(hash(`${config.model}|${config.dataset}|${config.seed}`));
    const denseEig = Array.from({ length: n }, (_, i) => 50 * Math.exp(-i / (n / 6)) * (0.9 + 0.2 * base()));
    denseEig.sort((a, b) => b - a);
    const spectrum = (eig: number[]) => mockSpectrum(eig, config.ntkSamples);
    const emit = (e: RunEvent) => {
      if (!me.cancelled) onEvent(e);
    };
    emit({ type: 'backend', requestId: id, info: BACKEND });
    emit({
      type: 'start',
      requestId: id,
      model,
      dataset: `${config.dataset} (mock)`,
      datasetName: config.dataset,
      backend: 'wasm',
      estimate: { bytes: 1e6, budgetBytes: 1e9, parts: {}, fits: true },
      methods: config.methods,
      subsetIndices: [],
      lossIndices: [],
      dataMs: 0,
    });
    const dense = spectrum(denseEig);
    await sleep(30);
    emit({ type: 'ntk-dense', requestId: id, ntk: dense });
    for (const method of config.methods) {
      if (me.cancelled) break;
      const rounds = Math.min(roundsFor(config, method), 12);
      const r = rng(hash(`${method}|${config.model}|${config.seed}|${config.dataset}`));
      const pref = model.layers.map(() => 0.3 + 1.4 * r());
      emit({ type: 'method-start', requestId: id, method, phase: 'exact', rounds, density: config.density });
      const keptPer = await mockRounds({ id, config, model, method, rounds, pref, denseEig, t0, me, emit });
      if (me.cancelled) break;
      const { rows, ntk, summary, masks } = mockResult({ model, config, method, rounds, keptPer, pref, denseEig, dense, t0 });
      emit({ type: 'layers', requestId: id, method, source: 'exact', density: config.density, rows, ms: 0 });
      emit({ type: 'ntk', requestId: id, method, source: 'exact', round: null, density: config.density, ntk });
      this.lastMasks.set(`${id}:${method}`, masks);
      emit({ type: 'result', requestId: id, summary });
    }
    if (me.cancelled) {
      onEvent(cancelledEnd(id));
    } else {
      emit({
        type: 'end',
        requestId: id,
        outcome: 'done',
        summary: { requestId: id, config, backend: 'wasm', dataset: config.dataset, dense, methods: [], ms: performance.now() - t0 },
      });
    }
    this.runs.delete(id);
  }
}
