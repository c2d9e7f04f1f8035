// A ResNet-20 training step at batch 128 side by side with the official code, in one run on this
// machine: the lab's step (forward, backward, SGD with momentum and weight decay, BN in training
// mode; Node wasm, one thread) alternating with bench/suites/trainstep.py (lottery_resnet.resnet20,
// torch.optim.SGD, PyTorch CPU with one thread) on the same weights and inputs; plus a per-kernel
// profile of one lab step (tf.profile) split into conv forward, input gradient, filter gradient,
// BN and the rest forward and backward, and the update. Alone:
//   PXREF=DIR npx tsx bench/suites/trainstep.ts [--steps 3] [--repeats 2] [--backend wasm]
// writes bench/results/trainstep.json and .md. PXREF: an export of github iurada/px-ntk-pruning.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { useBackend, type BackendName } from '../../src/core/backend';
import { buildModel, type Model } from '../../src/core/models';
import { nchwTensor } from '../../src/core/models/input';
import { disposeMap, toParamMap } from '../../src/core/models/state';
import { tf, type Tensor1D, type Tensor4D } from '../../src/core/tf';
import { applyStep, Sgd, stepLoss, trainStep, type TrainState } from '../../src/core/train';
import { loadInputs, loadWeights } from '../../src/cli/common';
import type { BenchRow } from './node';
import { sideBySideUnavailable } from './sidebyside';
import { FILTER_GRAD_KERNEL, INPUT_GRAD_KERNEL } from '../../src/core/labKernels';

const here = dirname(fileURLToPath(import.meta.url));
const python = () => process.env.PXREF_PYTHON ?? '/usr/bin/python3';
/** The official recipe's step (as trainstep.py): lr, momentum, weight decay. */
const LR = 0.01;
const SGD_OPTS = { momentum: 0.9, weightDecay: 1e-4, nesterov: false };

interface TorchRun {
  torch: string;
  threads: number;
  step_s: number[];
}

/** One call of trainstep.py: warm-up step + `steps` timed steps ("--save" writes the shared inputs first). */
async function torchSteps(dir: string, steps: number, threads: number, save: boolean): Promise<TorchRun> {
  const out = join(dir, `torch-${Date.now()}.json`);
  const args = [
    '-u',
    join(here, 'trainstep.py'),
    '--dir',
    dir,
    '--steps',
    String(steps),
    '--threads',
    String(threads),
    '--json',
    out,
    ...(save ? ['--save'] : []),
  ];
  const child = spawn(python(), args, { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d));
  child.stderr.on('data', (d: Buffer) => (text += d));
  const code: number | null = await new Promise((r) => child.on('close', r));
  if (!existsSync(out))
    throw new Error(`bench/suites/trainstep.py failed (exit ${code}): ${text.trim().split('\n').slice(-3).join(' ').slice(0, 400)}`);
  return JSON.parse(readFileSync(out, 'utf8')) as TorchRun;
}

interface LabSetup {
  model: Model;
  state: TrainState;
  sgd: Sgd;
  x: Tensor4D;
  y: Tensor1D;
  dispose(): void;
}

function labSetup(dir: string): LabSetup {
  const model = buildModel('resnet20');
  const inputs = loadInputs(join(dir, 'x.safetensors'), model.classes);
  const state: TrainState = { params: toParamMap(model, loadWeights(model, join(dir, 'w.safetensors'))), masks: null };
  const sgd = new Sgd(SGD_OPTS);
  const x = nchwTensor(inputs.x, inputs.shape);
  const y = tf.tensor1d(inputs.y, 'int32') as Tensor1D;
  return { model, state, sgd, x, y, dispose: () => (disposeMap(state.params), sgd.dispose(), x.dispose(), y.dispose()) };
}

/** Warm-up step (momentum buffers, kernel set-up) + `steps` timed steps; seconds per step. */
async function labSteps(s: LabSetup, steps: number): Promise<number[]> {
  await trainStep(s.model, s.state, s.sgd, s.x, s.y, LR);
  const runs: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await trainStep(s.model, s.state, s.sgd, s.x, s.y, LR);
    runs.push((performance.now() - t0) / 1000);
  }
  return runs;
}

/** Where a kernel's time goes in a training step. */
export type KernelPart =
  | 'conv forward'
  | 'BN, ReLU, loss forward'
  | 'conv input gradient'
  | 'conv filter gradient'
  | 'conv gradient data movement'
  | 'BN, ReLU, loss backward'
  | 'SGD update';

interface KernelTime {
  name: string;
  part: KernelPart;
  ms: number;
  inputShapes: number[][];
}

/** tfjs's convolution and the lab's (src/core/conv.ts: the same forward, lazy gradients). */
const CONV_FORWARD = new Set(['Conv2D', 'PxConv2D']);
const MOVES = new Set(['Transpose', 'Pad', 'PadV2', 'Slice', 'Reverse', 'Reshape']);

/** Conv2D in the backward pass: the filter gradient convolves with dy as the "filter" (spatial
 * size of the layer's output, > 3); the input gradient with the flipped k×k filter. */
function backwardPart(name: string, shapes: number[][]): KernelPart {
  if (name === FILTER_GRAD_KERNEL) return 'conv filter gradient';
  if (name === INPUT_GRAD_KERNEL) return 'conv input gradient';
  if (CONV_FORWARD.has(name)) return (shapes[1]?.[0] ?? 0) > 3 ? 'conv filter gradient' : 'conv input gradient';
  return MOVES.has(name) ? 'conv gradient data movement' : 'BN, ReLU, loss backward';
}

/** Kernels of f in execution order with their times (awaited: the type allows promises). */
async function profiled(f: () => unknown): Promise<{ name: string; ms: number; inputShapes: number[][] }[]> {
  const ks = (await tf.profile(f as () => tf.TensorContainer)).kernels;
  const out = [];
  const backend = tf.getBackend();
  // customGrad ops appear as entries of their own (scope names) around their kernels: only real kernels count
  for (const k of ks.filter((x) => tf.getKernel(x.name, backend) !== undefined)) {
    const t = await k.kernelTimeMs;
    out.push({ name: k.name, ms: typeof t === 'number' ? t : NaN, inputShapes: k.inputShapes });
  }
  return out;
}

/** Per-kernel times of one lab step (after warm-up), each kernel placed in its part. */
async function profileStep(s: LabSetup): Promise<KernelTime[]> {
  const { names, lossOf, running } = stepLoss(s.model, s.state, s.x, s.y);
  const ws = () => names.map((n) => s.state.params[n]);
  const clearRunning = () => Object.keys(running).forEach((k) => (running[k].dispose(), delete running[k]));
  const fwd = await profiled(() => tf.tidy(() => lossOf(...ws())));
  clearRunning();
  let grads: tf.Tensor[] = [];
  let value: tf.Scalar | null = null;
  const both = await profiled(() => {
    const r = tf.valueAndGrads(lossOf)(ws());
    grads = r.grads;
    value = r.value;
    return [r.value, ...r.grads];
  });
  const upd = await profiled(() => applyStep(s.state, s.sgd, names, grads, running, LR));
  grads.forEach((g) => g.dispose());
  (value as tf.Scalar | null)?.dispose();
  // the step's forward is the forward alone plus Identity kernels (valueAndGrads, customGrad):
  // walk both, skipping those, to find where the backward pass starts
  const f = fwd.filter((k) => k.name !== 'Identity');
  let split = 0;
  for (let j = 0; j < f.length; split++) {
    if (both[split] === undefined) throw new Error('profile: the step has fewer kernels than the forward alone');
    if (both[split].name === 'Identity') continue;
    if (both[split].name !== f[j].name)
      throw new Error(`profile: kernel ${split} of the step (${both[split].name}) differs from the forward alone (${f[j].name})`);
    j++;
  }
  return [
    ...both.slice(0, split).map((k) => ({
      name: k.name,
      part: (CONV_FORWARD.has(k.name) ? 'conv forward' : 'BN, ReLU, loss forward') as KernelPart,
      ms: k.ms,
      inputShapes: k.inputShapes,
    })),
    ...both.slice(split).map((k) => ({ name: k.name, part: backwardPart(k.name, k.inputShapes), ms: k.ms, inputShapes: k.inputShapes })),
    ...upd.map((k) => ({ name: k.name, part: 'SGD update' as KernelPart, ms: k.ms, inputShapes: k.inputShapes })),
  ];
}

export interface ProfileSummary {
  totalMs: number;
  kernels: number;
  parts: { part: KernelPart; ms: number; share: number; kernels: number }[];
  byKernel: { name: string; ms: number; count: number }[];
}

export function summarise(ks: KernelTime[]): ProfileSummary {
  const totalMs = ks.reduce((a, k) => a + k.ms, 0);
  const group = <K extends string>(key: (k: KernelTime) => K) => {
    const m = new Map<K, { ms: number; count: number }>();
    for (const k of ks) {
      const e = m.get(key(k)) ?? { ms: 0, count: 0 };
      e.ms += k.ms;
      e.count++;
      m.set(key(k), e);
    }
    return [...m].sort((a, b) => b[1].ms - a[1].ms);
  };
  return {
    totalMs,
    kernels: ks.length,
    parts: group((k) => k.part).map(([part, e]) => ({ part, ms: e.ms, share: e.ms / totalMs, kernels: e.count })),
    byKernel: group((k) => k.name).map(([name, e]) => ({ name, ms: e.ms, count: e.count })),
  };
}

export interface TrainStepReport {
  date: string;
  cpu: string;
  loadavgBefore: number[];
  loadavgAfter: number[];
  backend: BackendName;
  torch: string;
  torchThreads: number;
  labRuns: number[];
  torchRuns: number[];
  labBest: number;
  torchBest: number;
  ratio: number;
  /** The same PyTorch step with 2 threads (the Chromium wasm 2-thread target's reference). */
  torch2Runs: number[];
  torch2Best: number;
  profile: ProfileSummary;
}

/** The side-by-side measurement: `repeats` alternations of (PyTorch, lab), `steps` timed steps each. */
export async function trainStepSideBySide(o: {
  steps: number;
  repeats: number;
  backend: BackendName;
  log: (s: string) => void;
}): Promise<TrainStepReport> {
  const why = sideBySideUnavailable();
  if (why) throw new Error(`side by side unavailable: ${why}`);
  const loadavgBefore = loadavg();
  await useBackend(o.backend);
  const dir = mkdtempSync(join(tmpdir(), 'pxlab-trainstep-'));
  const torchRuns: number[] = [];
  const torch2Runs: number[] = [];
  const labRuns: number[] = [];
  let torch: TorchRun | null = null;
  let lab: LabSetup | null = null;
  try {
    for (let r = 0; r < o.repeats; r++) {
      torch = await torchSteps(dir, o.steps, 1, r === 0);
      torchRuns.push(...torch.step_s);
      torch2Runs.push(...(await torchSteps(dir, o.steps, 2, false)).step_s);
      lab ??= labSetup(dir);
      labRuns.push(...(await labSteps(lab, o.steps)));
      o.log(
        `  train step ResNet-20 b128, round ${r + 1}: PyTorch ${torch.step_s.map((t) => t.toFixed(3)).join(', ')} s; lab ${o.backend} ${labRuns
          .slice(-o.steps)
          .map((t) => t.toFixed(3))
          .join(', ')} s`,
      );
    }
    const profile = summarise(await profileStep(lab!));
    const labBest = Math.min(...labRuns);
    const torchBest = Math.min(...torchRuns);
    return {
      date: new Date().toISOString(),
      cpu: cpus()[0]?.model ?? 'unknown',
      loadavgBefore,
      loadavgAfter: loadavg(),
      backend: o.backend,
      torch: torch!.torch,
      torchThreads: torch!.threads,
      labRuns,
      torchRuns,
      labBest,
      torchBest,
      ratio: labBest / torchBest,
      torch2Runs,
      torch2Best: Math.min(...torch2Runs),
      profile,
    };
  } finally {
    lab?.dispose();
  }
}

export function trainStepMarkdown(r: TrainStepReport): string {
  const p = r.profile;
  return [
    `ResNet-20 training step, batch 128 (${r.date.slice(0, 16)}Z, ${r.cpu}, load average before ${r.loadavgBefore.map((l) => l.toFixed(2)).join(' ')}, after ${r.loadavgAfter.map((l) => l.toFixed(2)).join(' ')}):`,
    `lab Node ${r.backend} 1 thread best ${r.labBest.toFixed(3)} s (runs ${r.labRuns.map((t) => t.toFixed(3)).join(', ')}), official PyTorch ${r.torch} CPU ${r.torchThreads} thread best ${r.torchBest.toFixed(3)} s (runs ${r.torchRuns.map((t) => t.toFixed(3)).join(', ')}): lab/PyTorch **${r.ratio.toFixed(2)}**; PyTorch 2 threads best ${r.torch2Best.toFixed(3)} s`,
    '',
    `Per-kernel profile of one lab step (tf.profile, ${p.kernels} kernels, ${p.totalMs.toFixed(0)} ms in kernels):`,
    '',
    '| part | ms | share | kernels |',
    '|---|---|---|---|',
    ...p.parts.map((x) => `| ${x.part} | ${x.ms.toFixed(1)} | ${(100 * x.share).toFixed(1)}% | ${x.kernels} |`),
    '',
    '| kernel | ms | calls |',
    '|---|---|---|',
    ...p.byKernel.slice(0, 15).map((x) => `| ${x.name} | ${x.ms.toFixed(1)} | ${x.count} |`),
  ].join('\n');
}

/** For bench/suites/run.ts: the step as a row of the combined table. */
export function trainStepRow(r: TrainStepReport): BenchRow {
  return {
    env: 'node',
    backend: r.backend,
    case: 'train step ResNet-20 batch 128, side by side with PyTorch 1 thread',
    seconds: r.labBest,
    runs: r.labRuns,
    note: `PyTorch ${r.torch} 1 thread ${r.torchBest.toFixed(3)} s in this run: lab/PyTorch ${r.ratio.toFixed(2)}`,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      steps: { type: 'string', default: '3' },
      repeats: { type: 'string', default: '2' },
      backend: { type: 'string', default: 'wasm' },
    },
  });
  const report = await trainStepSideBySide({
    steps: Number(values.steps),
    repeats: Number(values.repeats),
    backend: values.backend as BackendName,
    log: console.log,
  });
  const dir = join(here, '..', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'trainstep.json'), JSON.stringify(report, null, 1));
  const md = trainStepMarkdown(report);
  writeFileSync(join(dir, 'trainstep.md'), `${md}\n`);
  console.log(md);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
