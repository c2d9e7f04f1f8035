// Node benchmarks of the core on the tfjs backends available in Node (wasm, cpu): one scoring
// round of each pruner on ResNet-20 (128 CIFAR-shaped images) and on the MLP (128 MNIST-shaped
// images), 100-round PX and SynFlow prunes of ResNet-20 to density 0.018, peak memory and tensor
// counts. Every number here is measured when the benchmark runs.
import { useBackend, type BackendName } from '../../src/core/backend';
import { buildModel, type Model } from '../../src/core/models';
import { initStateDict, toParamMap, disposeMap } from '../../src/core/models/state';
import { makePruner } from '../../src/core/pruners';
import { onesMasks } from '../../src/core/pruners/masking';
import { prune } from '../../src/core/pruners/schedule';
import type { Batch } from '../../src/core/pruners/types';
import { Rng } from '../../src/core/rng';
import { tf } from '../../src/core/tf';
import type { MethodId } from '../../src/shared/methods';

export interface BenchRow {
  env: 'node' | 'chromium';
  backend: string;
  case: string;
  /** median seconds (or the single measurement for long runs) */
  seconds: number;
  runs: number[];
  note?: string;
  tensorsBefore?: number;
  tensorsAfter?: number;
  peakBytes?: number;
}

function batchOf(model: Model, n: number, seed: number, classes: number): Batch {
  const [c, h, w] = model.input;
  // torch.rand-like inputs, labels i % classes (the reference timing uses i % 8)
  const x = tf.tensor(new Rng(seed).fillUniform(new Float32Array(n * h * w * c), 0, 1), [n, h, w, c]) as tf.Tensor4D;
  const y = tf.tensor1d(
    Array.from({ length: n }, (_, i) => i % classes),
    'int32',
  ) as tf.Tensor1D;
  return { x, y };
}

async function time(f: () => Promise<void>, repeats: number): Promise<number[]> {
  await f(); // warm-up (kernel compilation, allocation)
  const out: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await f();
    out.push((performance.now() - t0) / 1000);
  }
  return out;
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

/** High-water mark of memory: the wasm heap only grows, so its size is the peak; else the RSS. */
function memoryPeak(): number {
  const heap = (tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } }).wasm?.HEAPU8.length;
  return heap ?? process.memoryUsage().rss;
}

export async function scoreRounds(
  backend: BackendName,
  arch: string,
  methods: string[],
  repeats: number,
  log: (s: string) => void,
): Promise<BenchRow[]> {
  await useBackend(backend);
  const model = buildModel(arch);
  const params = toParamMap(model, initStateDict(model, 0));
  const masks = onesMasks(model);
  const full = batchOf(model, 128, 1, 8);
  // GraSP's Hessian-gradient product keeps ~60 MB per ResNet-20 image on the tape: 128 images do
  // not fit the 4 GB wasm heap (64 reach 3.7 GB), so it is measured on 32
  const small = arch === 'resnet20' ? batchOf(model, 32, 1, 8) : full;
  const rows: BenchRow[] = [];
  for (const method of methods) {
    const pruner = makePruner(method as MethodId);
    const batch = method === 'grasp' ? small : full;
    const before = tf.memory().numTensors;
    let peak = 0;
    const runs = await time(async () => {
      const out = await pruner.score({ model, params, masks, lossBatches: [batch], subsetBatches: [batch], rng: new Rng(0), round: 0 });
      await out.scores[model.prunable[0].weight].data();
      peak = Math.max(peak, memoryPeak());
      disposeMap(out.scores);
    }, repeats);
    const row: BenchRow = {
      env: 'node',
      backend,
      case: `${method} round, ${arch}, ${batch.x.shape[0]} images`,
      seconds: median(runs),
      runs,
      tensorsBefore: before,
      tensorsAfter: tf.memory().numTensors,
      peakBytes: peak,
    };
    log(`  ${backend} ${row.case}: ${row.seconds.toFixed(3)} s`);
    rows.push(row);
  }
  disposeMap(params);
  disposeMap(masks);
  for (const b of new Set([full, small])) {
    b.x.dispose();
    b.y.dispose();
  }
  return rows;
}

export async function fullPrune(backend: BackendName, method: string, rounds: number, log: (s: string) => void): Promise<BenchRow> {
  await useBackend(backend);
  const before = tf.memory().numTensors;
  const model = buildModel('resnet20');
  const params = toParamMap(model, initStateDict(model, 0));
  const batch = batchOf(model, 128, 1, 8);
  const counts: number[] = [];
  let peak = 0;
  const t0 = performance.now();
  const res = await prune(
    makePruner(method as MethodId),
    { model, params, lossBatches: [batch], subsetBatches: [batch], rng: new Rng(0) },
    {
      density: 0.018,
      rounds,
      scope: 'global',
      onRound: (r) => {
        counts.push(tf.memory().numTensors);
        peak = Math.max(peak, memoryPeak());
        if ((r.round + 1) % 25 === 0)
          log(`    ${method} round ${r.round + 1}/${rounds}: kept ${r.kept}, ${(r.elapsedMs / 1000).toFixed(1)} s`);
      },
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  const kept = res.rounds[res.rounds.length - 1].kept;
  disposeMap(res.masks);
  disposeMap(res.scores);
  disposeMap(params);
  batch.x.dispose();
  batch.y.dispose();
  const flat = counts.every((c) => c === counts[0]);
  const row: BenchRow = {
    env: 'node',
    backend,
    case: `${method} ${rounds}-round prune, resnet20 → 0.018`,
    seconds,
    runs: [seconds],
    note: `kept ${kept}/270896; live tensors per round ${flat ? `flat at ${counts[0]}` : `${Math.min(...counts)}–${Math.max(...counts)}`}`,
    tensorsBefore: before,
    tensorsAfter: tf.memory().numTensors,
    peakBytes: peak,
  };
  log(`  ${backend} ${row.case}: ${seconds.toFixed(1)} s (${row.note})`);
  return row;
}
