// NTK timing on the wasm backend in Node: structured (per-layer Θ_l, J never formed) against the
// loop oracle (one backward pass per row of J), for ResNet-20 and the zoo MLP, n = 8 (80×80 Θ).
//   npx tsx scripts/bench-ntk.ts [--runs 3] [--loop-n 2] [--skip-mlp]
// The ResNet-20 loop is measured on loop-n inputs (loop-n·10 rows) and extrapolated to n = 8:
// backward passes scale with the rows (×8/loop-n), the host J Jᵀ with rows² (×(8/loop-n)²).
// A benchmark, not a test: numbers depend on the machine and its load (printed).
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { useNodeBackend } from '../src/core/backend';
import { ntkMatrix } from '../src/core/metrics/ntk';
import { ntkMatrixLoop } from '../src/core/metrics/ntk-loop';
import { buildModel, type Model } from '../src/core/models';
import { nchwTensor } from '../src/core/models/input';
import { disposeMap, initStateDict, toParamMap, type ParamMap } from '../src/core/models/state';
import { Rng } from '../src/core/rng';
import { tf } from '../src/core/tf';

const { values } = parseArgs({ options: { runs: { type: 'string' }, 'loop-n': { type: 'string' }, 'skip-mlp': { type: 'boolean' } } });
const RUNS = Number(values.runs ?? 3);
const LOOP_N = Number(values['loop-n'] ?? 2);
const N = 8;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function inputs(model: Model, n: number) {
  const [c, h, w] = model.input;
  const data = new Float32Array(n * c * h * w);
  Rng.derive(0, 'bench-ntk').fillUniform(data, 0, 1);
  return nchwTensor(data, [n, c, h, w]);
}

function randomMasks(model: Model, keep: number): ParamMap {
  const rng = Rng.derive(1, 'bench-ntk-masks');
  const out: ParamMap = {};
  for (const l of model.prunable) {
    const v = new Float32Array(l.numel);
    rng.fillUniform(v, 0, 1);
    out[l.weight] = tf.tensor(
      v.map((u) => (u < keep ? 1 : 0)),
      l.shape,
    );
  }
  return out;
}

async function structuredMs(model: Model, params: ParamMap, x: tf.Tensor4D, masks?: ParamMap): Promise<number[]> {
  await ntkMatrix({ model, params, masks, x, n: N }); // warm-up
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    await ntkMatrix({ model, params, masks, x, n: N });
    times.push(performance.now() - t0);
  }
  return times;
}

async function bench(arch: string, loopN: number) {
  const model = buildModel(arch);
  const params = toParamMap(model, initStateDict(model, 0));
  const x = inputs(model, N);
  const masks = randomMasks(model, 0.1);
  const numel = model.prunable.reduce((a, l) => a + l.numel, 0);
  console.log(
    `\n${model.label}: ${numel} prunable weights, n = ${N} (${N * model.classes}×${N * model.classes} Θ), load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const dense = await structuredMs(model, params, x);
  const sparse = await structuredMs(model, params, x, masks);
  console.log(
    `  structured, dense        : median ${median(dense).toFixed(0)} ms, min ${Math.min(...dense).toFixed(0)} ms  (runs ${dense.map((t) => t.toFixed(0)).join(', ')})`,
  );
  console.log(
    `  structured, 10% kept     : median ${median(sparse).toFixed(0)} ms, min ${Math.min(...sparse).toFixed(0)} ms  (runs ${sparse.map((t) => t.toFixed(0)).join(', ')})`,
  );
  const t0 = performance.now();
  const loop = await ntkMatrixLoop({ model, params, x, n: loopN });
  const loopMs = performance.now() - t0;
  const rows = loopN * model.classes;
  if (loopN === N) {
    console.log(
      `  loop (oracle), dense     : ${loopMs.toFixed(0)} ms  (${rows} backward passes ${loop.timing.backwardMs.toFixed(0)} ms, host J Jᵀ ${loop.timing.gramMs.toFixed(0)} ms)`,
    );
    console.log(`  speed-up                 : ×${(loopMs / median(dense)).toFixed(1)}`);
  } else {
    const f = N / loopN;
    const est = loop.timing.backwardMs * f + loop.timing.gramMs * f * f;
    console.log(
      `  loop (oracle), dense     : ${loopMs.toFixed(0)} ms measured on n = ${loopN} (${rows} rows: backward ${loop.timing.backwardMs.toFixed(0)} ms, host J Jᵀ ${loop.timing.gramMs.toFixed(0)} ms)`,
    );
    console.log(`                             → n = ${N} extrapolated: ${est.toFixed(0)} ms (backward ×${f}, J Jᵀ ×${f * f})`);
    console.log(`  speed-up (extrapolated)  : ×${(est / median(dense)).toFixed(1)}`);
  }
  x.dispose();
  disposeMap(params);
  disposeMap(masks);
}

await useNodeBackend('wasm');
console.log(`tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}, Node ${process.version}`);
await bench('resnet20', LOOP_N);
if (!values['skip-mlp']) await bench('mlp', N);
