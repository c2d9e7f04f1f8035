// Counts what one pruning round costs a tfjs backend, on ResNet-20: the tfjs kernels it runs
// (tf.profile; any backend) and, where a counter is given (bench/suites/dispatchCounter.ts, WebGPU), the
// compute dispatches and the GPU → CPU reads. Runs in Node and in a page (no Node imports).
// A round is what prune() does per round (score, finiteness check, threshold, masks, kept counts):
// measured as prune(R = 2) minus prune(R = 1), i.e. the second, steady-state round, whose masks
// are no longer all ones. The scoring alone (pruner.score with all-ones masks) is counted too.
import { buildModel, type Model } from '../../src/core/models';
import { initStateDict, toParamMap, disposeMap, type ParamMap } from '../../src/core/models/state';
import { makePruner } from '../../src/core/pruners';
import { onesMasks } from '../../src/core/pruners/masking';
import { prune } from '../../src/core/pruners/schedule';
import type { Batch, ScoreInput } from '../../src/core/pruners/types';
import { Rng } from '../../src/core/rng';
import { tf } from '../../src/core/tf';
import type { MethodId } from '../../src/shared/methods';

export interface GpuCounts {
  /** compute passes' dispatchWorkgroups calls */
  dispatches: number;
  /** GPU → CPU buffer reads (getBufferData: one staging-buffer map each) */
  reads: number;
  /** queue submits */
  submits: number;
}

export interface DispatchCounter {
  reset(): void;
  read(): GpuCounts;
}

export interface RoundCount {
  method: string;
  images: number;
  batches: number;
  /** tfjs kernels of one steady-state round (prune R=2 minus R=1) */
  kernelsRound: number;
  /** tfjs kernels of pruner.score alone */
  kernelsScore: number;
  /** the most frequent kernels of the round, name → count */
  topKernels: Record<string, number>;
  round?: GpuCounts;
  score?: GpuCounts;
  /** live tensors after minus before (0: the round frees what it made) */
  tensorLeak: number;
}

export const COUNT_METHODS: MethodId[] = ['px-2024', 'px', 'synflow', 'snip'];

export function batchOf(model: Model, n: number, seed: number): Batch {
  const [c, h, w] = model.input;
  const x = tf.tensor(new Rng(seed).fillUniform(new Float32Array(n * h * w * c), 0, 1), [n, h, w, c]) as tf.Tensor4D;
  const y = tf.tensor1d(
    Array.from({ length: n }, (_, i) => i % model.classes),
    'int32',
  ) as tf.Tensor1D;
  return { x, y };
}

interface Setup {
  model: Model;
  params: ParamMap;
  masks: ParamMap;
  batches: Batch[];
  input: Omit<ScoreInput, 'masks' | 'round'> & { masks: ParamMap };
}

function setup(method: MethodId, images: number): Setup {
  const model = buildModel('resnet20');
  const params = toParamMap(model, initStateDict(model, 0));
  const masks = onesMasks(model);
  const pruner = makePruner(method);
  // as runPruneJob: loss-batch methods read batchLimit batches, PX one subset batch
  const n = pruner.data === 'loss-batches' ? (pruner.batchLimit ?? 1) : 1;
  const batches = Array.from({ length: n }, (_, i) => batchOf(model, images, 1 + i));
  return { model, params, masks, batches, input: { model, params, masks, lossBatches: batches, subsetBatches: batches, rng: new Rng(0) } };
}

function teardown(s: Setup): void {
  disposeMap(s.params);
  disposeMap(s.masks);
  for (const b of s.batches) {
    b.x.dispose();
    b.y.dispose();
  }
}

async function pruneRounds(method: MethodId, s: Setup, rounds: number): Promise<void> {
  const res = await prune(makePruner(method), { ...s.input, rng: new Rng(0) }, { density: 0.5, rounds, scope: 'global' });
  disposeMap(res.masks);
  disposeMap(res.scores);
}

async function scoreOnce(method: MethodId, s: Setup): Promise<void> {
  const out = await makePruner(method).score({ ...s.input, rng: new Rng(0), round: 0 });
  disposeMap(out.scores);
}

async function kernelsOf(f: () => Promise<void>): Promise<string[]> {
  const info = await tf.profile(f);
  return info.kernels.map((k) => k.name);
}

async function gpuOf(counter: DispatchCounter, f: () => Promise<void>): Promise<GpuCounts> {
  counter.reset();
  await f();
  return counter.read();
}

const minus = (a: GpuCounts, b: GpuCounts): GpuCounts => ({
  dispatches: a.dispatches - b.dispatches,
  reads: a.reads - b.reads,
  submits: a.submits - b.submits,
});

/** Counts one round of `method` on the current backend (warmed up first: shader compilation).
 * With a counter (WebGPU) only the GPU counts are taken: tf.profile reads every kernel's output
 * back where the GPU has no timer, which would swamp the read count (and kernel names do not
 * depend on the backend: Node wasm gives them). */
export async function countRound(method: MethodId, images: number, counter?: DispatchCounter): Promise<RoundCount> {
  const s = setup(method, images);
  const before = tf.memory().numTensors;
  try {
    // warm-up (kernel compilation) for the kernel counts; GPU counts need none (shader compilation
    // dispatches nothing), and on SwiftShader every round takes minutes
    if (!counter) await pruneRounds(method, s, 2);
    const one = counter ? [] : await kernelsOf(() => pruneRounds(method, s, 1));
    const two = counter ? [] : await kernelsOf(() => pruneRounds(method, s, 2));
    const score = counter ? [] : await kernelsOf(() => scoreOnce(method, s));
    const hist = new Map<string, number>();
    for (const k of two) hist.set(k, (hist.get(k) ?? 0) + 1);
    for (const k of one) hist.set(k, (hist.get(k) ?? 0) - 1);
    const top = [...hist].filter(([, c]) => c > 0).sort((a, b) => b[1] - a[1]);
    const out: RoundCount = {
      method,
      images,
      batches: s.batches.length,
      kernelsRound: two.length - one.length,
      kernelsScore: score.length,
      topKernels: Object.fromEntries(top.slice(0, 12)),
      tensorLeak: 0,
    };
    if (counter) {
      const g1 = await gpuOf(counter, () => pruneRounds(method, s, 1));
      const g2 = await gpuOf(counter, () => pruneRounds(method, s, 2));
      out.round = minus(g2, g1);
      out.score = await gpuOf(counter, () => scoreOnce(method, s));
    }
    out.tensorLeak = tf.memory().numTensors - before;
    return out;
  } finally {
    teardown(s);
  }
}

export function countTable(rows: RoundCount[], gpu: boolean): string {
  const head = gpu
    ? [
        '| method | images × batches | dispatches / round | reads / round | submits / round | dispatches / score | reads / score |',
        '|---|---|---|---|---|---|---|',
      ]
    : ['| method | images × batches | kernels / round | kernels / score |', '|---|---|---|---|'];
  return [
    ...head,
    ...rows.map((r) =>
      gpu && r.round && r.score
        ? `| ${r.method} | ${r.images} × ${r.batches} | ${r.round.dispatches} | ${r.round.reads} | ${r.round.submits} | ${r.score.dispatches} | ${r.score.reads} |`
        : `| ${r.method} | ${r.images} × ${r.batches} | ${r.kernelsRound} | ${r.kernelsScore} |`,
    ),
  ].join('\n');
}
