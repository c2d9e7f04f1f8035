// WebGPU on real hardware, from Node (no browser needed): the lab's core on tfjs-backend-webgpu
// through Dawn, against the wasm backend on the same machine and the official fixtures.
//   npm install --no-save webgpu    # Dawn for Node (needs libvulkan.so.1 and a Vulkan driver)
//   npx tsx bench/suites/gpu-node.ts [--out gpu.json] [--rounds 100]
// Writes the numbers it measures; nothing here is typed in.
import './gpu-setup';
import '@tensorflow/tfjs-backend-webgpu';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseSafetensors, toFloat32, toInt32 } from '../../src/shared/safetensors';
import { runScoreJob } from '../../src/core/job';
import { buildModel } from '../../src/core/models';
import { initStateDict, toParamMap, disposeMap } from '../../src/core/models/state';
import { StandardOps } from '../../src/core/models/ops';
import { makePruner } from '../../src/core/pruners';
import { crossEntropy } from '../../src/core/pruners/common';
import { onesMasks } from '../../src/core/pruners/masking';
import { prune } from '../../src/core/pruners/schedule';
import { Rng } from '../../src/core/rng';
import { tf } from '../../src/core/tf';
import type { MethodId } from '../../src/shared/methods';

const argv = process.argv.slice(2);
const opt = (k: string, d: string) => {
  const i = argv.indexOf(`--${k}`);
  return i >= 0 ? argv[i + 1] : d;
};
const rounds = Number(opt('rounds', '100'));
// the CPU baseline's 100-round prune takes minutes; fewer rounds give its per-round cost
const cpuRounds = Number(opt('cpu-rounds', '10'));
const backends = opt('backends', 'webgpu,wasm').split(',');
const fixtures = opt('fixtures', 'test/fixtures/safetensors/public/resnet20');
const log = (s: string) => process.stderr.write(`${s}\n`);
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
};

async function sync(t: tf.Tensor) {
  await t.data();
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
async function timed(f: () => Promise<void>, n = 3) {
  await f();
  const out = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f();
    out.push((performance.now() - t0) / 1000);
  }
  return { median: median(out), runs: out };
}

function unit(a: ArrayLike<number>) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Number(a[i]) ** 2;
  const n = Math.sqrt(s) || 1;
  return Array.from(a, (v) => Number(v) / n);
}
function rel(a: number[], b: number[]) {
  let n = 0,
    d = 0;
  for (let i = 0; i < a.length; i++) {
    n += (a[i] - b[i]) ** 2;
    d += b[i] ** 2;
  }
  return Math.sqrt(n / d);
}

async function fixtureCheck(method: MethodId, file: string) {
  const w = parseSafetensors(new Uint8Array(readFileSync(`${fixtures}/weights.safetensors`)));
  const inp = parseSafetensors(new Uint8Array(readFileSync(`${fixtures}/inputs.safetensors`)));
  const exp = parseSafetensors(new Uint8Array(readFileSync(`${fixtures}/expected/${file}`)));
  const model = buildModel('resnet20');
  const x = inp.tensors.get('x')!;
  const res = await runScoreJob({
    model,
    stateDict: new Map([...w.tensors].map(([k, v]) => [k, toFloat32(v)])),
    x: toFloat32(x),
    xShape: x.shape as [number, number, number, number],
    y: toInt32(inp.tensors.get('y')!),
    method,
    density: 0.1,
    rounds: Number(file.split('_')[1].slice(1)),
  });
  const got: number[] = [],
    want: number[] = [];
  let mismatches = 0;
  for (const l of model.prunable) {
    got.push(...res.scores.get(l.weight)!);
    want.push(...Array.from(exp.tensors.get(l.weight)!.data as Float32Array, Number));
    const m = toFloat32(exp.tensors.get(`${l.weight}_mask`)!);
    res.masks.get(l.weight)!.forEach((v, i) => {
      if (v !== m[i]) mismatches++;
    });
  }
  return {
    relL2UpToScale: rel(unit(got), unit(want)),
    maskMismatches: mismatches,
    kept: res.kept,
    expectedKept: Number(exp.metadata.kept_total),
  };
}

async function benchBackend(name: string) {
  const out: Record<string, unknown> = { backend: name };
  if (name === 'webgpu') {
    const gpu = (
      globalThis as unknown as { navigator: { gpu: { requestAdapter(o: object): Promise<{ info?: Record<string, unknown> } | null> } } }
    ).navigator.gpu;
    const a = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!a) throw new Error('no WebGPU adapter (is a Vulkan driver installed?)');
    const info = a.info ?? {};
    out.adapter = Object.fromEntries(['vendor', 'architecture', 'device', 'description', 'isFallbackAdapter'].map((k) => [k, info[k]]));
    log(`adapter: ${JSON.stringify(out.adapter)}`);
  }
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to initialise`);
  await tf.ready();
  const model = buildModel('resnet20');
  const params = toParamMap(model, initStateDict(model, 0));
  const masks = onesMasks(model);
  const mk = (n: number) => ({
    x: tf.tensor(new Rng(1).fillUniform(new Float32Array(n * 3072), 0, 1), [n, 32, 32, 3]) as tf.Tensor4D,
    y: tf.tensor1d(
      Array.from({ length: n }, (_, i) => i % 8),
      'int32',
    ) as tf.Tensor1D,
  });
  const b32 = mk(32),
    b128 = mk(128);
  const ws = model.prunable.map((l) => params[l.weight]);
  out.fwdBwdB32 = await timed(async () => {
    const g = tf.tidy(() =>
      tf.grads((...w: tf.Tensor[]) => {
        const p = { ...params };
        model.prunable.forEach((l, i) => (p[l.weight] = w[i]));
        return crossEntropy(model.forward(b32.x, new StandardOps({ params: p, bn: 'train' })), b32.y);
      })(ws),
    );
    await sync(g[0]);
    g.forEach((t) => t.dispose());
  });
  log(`${name} fwd+bwd b32: ${JSON.stringify(out.fwdBwdB32)}`);
  for (const [method, batch] of [
    ['px', b128],
    ['synflow', b128],
    ['snip', b128],
    ['grasp', b32],
  ] as const) {
    const p = makePruner(method);
    out[`${method}Round`] = {
      images: batch.x.shape[0],
      ...(await timed(async () => {
        const s = await p.score({ model, params, masks, lossBatches: [batch], subsetBatches: [batch], rng: new Rng(0), round: 0 });
        await sync(s.scores['fc.weight']);
        disposeMap(s.scores);
      })),
    };
    log(`${name} ${method} round: ${JSON.stringify(out[`${method}Round`])}`);
  }
  const t0 = performance.now();
  const r = name === 'webgpu' ? rounds : cpuRounds;
  const res = await prune(
    makePruner('px'),
    { model, params, lossBatches: [b128], subsetBatches: [b128], rng: new Rng(0) },
    { density: 0.018, rounds: r, scope: 'global' },
  );
  out.px100 = { rounds: r, seconds: (performance.now() - t0) / 1000, kept: res.rounds[r - 1].kept };
  disposeMap(res.masks);
  disposeMap(res.scores);
  log(`${name} px prune to 0.018: ${JSON.stringify(out.px100)}`);
  out.fixturePxR1 = await fixtureCheck('px', 'px_R1_d0.1.safetensors');
  out.fixtureSynflowR10 = await fixtureCheck('synflow', 'synflow_R10_d0.1.safetensors');
  out.fixtureSnipR1 = await fixtureCheck('snip', 'snip_R1_d0.1.safetensors');
  out.fixtureGraspR1 = await fixtureCheck('grasp', 'grasp_R1_d0.1.safetensors');
  out.fixturePxR10 = await fixtureCheck('px', 'px_R10_d0.1.safetensors');
  log(
    `${name} fixtures px R1, synflow R10, snip R1, grasp R1, px R10: ${JSON.stringify([out.fixturePxR1, out.fixtureSynflowR10, out.fixtureSnipR1, out.fixtureGraspR1, out.fixturePxR10])}`,
  );
  disposeMap(params);
  disposeMap(masks);
  [b32, b128].forEach((b) => {
    b.x.dispose();
    b.y.dispose();
  });
  return out;
}

const rows = [];
for (const b of backends) {
  try {
    rows.push(await benchBackend(b));
  } catch (e) {
    log(`${b}: ${(e as Error).message}`);
    rows.push({ backend: b, error: (e as Error).message });
  }
}
results.rows = rows;
const file = opt('out', 'bench/results/gpu-results.json');
writeFileSync(file, JSON.stringify(results, null, 1));
console.log(JSON.stringify(results, null, 1));
