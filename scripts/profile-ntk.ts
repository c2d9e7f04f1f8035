// Profile one structured NTK of ResNet-20 (n = 8) on Node wasm: wall time best-of-R, and per-kernel
// time from tf.profile (wasm kernels are synchronous, so kernelMs is wall time inside the kernel;
// a customGrad's "forward" includes its inner kernels). SHAPES=Conv2D,Slice splits kernels by shape.
//   npx tsx scripts/profile-ntk.ts [--runs 3] [--profile]
// Before/after in one process, alternating, best of R in CPU time (the machine is shared):
//   git show <old>:src/core/metrics/ntk.ts | sed "s#./ntk-probe'#./ntk-probe-base'#" > src/core/metrics/ntk-base.ts
//   git show <old>:src/core/metrics/ntk-probe.ts > src/core/metrics/ntk-probe-base.ts
//   BASE_MODULE=../src/core/metrics/ntk-base.ts npx tsx scripts/profile-ntk.ts --runs 3
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { useBackend } from '../src/core/backend';
import { ntkMatrix as ntkNew } from '../src/core/metrics/ntk';
import { buildModel } from '../src/core/models';
import { nchwTensor } from '../src/core/models/input';
import { initStateDict, toParamMap } from '../src/core/models/state';
import { Rng } from '../src/core/rng';
import { tf } from '../src/core/tf';

const { values } = parseArgs({ options: { runs: { type: 'string' }, profile: { type: 'boolean' }, n: { type: 'string' } } });
const ntkMatrix = ntkNew;
const RUNS = Number(values.runs ?? 3);
const N = Number(values.n ?? 8);
await useBackend('wasm');
const model = buildModel('resnet20');
const params = toParamMap(model, initStateDict(model, 0));
const x = nchwTensor(new Rng(3).fillUniform(new Float32Array(N * 3 * 32 * 32), 0, 1), [N, 3, 32, 32]);
const first = await ntkMatrix({ model, params, x, n: N });
let tr = 0;
for (let i = 0; i < first.size; i++) tr += first.theta[i * first.size + i];
if (process.env.BASE_MODULE) {
  const ntkBase = ((await import(process.env.BASE_MODULE)) as { ntkMatrix: typeof ntkNew }).ntkMatrix;
  // alternate base and new, best of RUNS each, in CPU time of this process (the machine is shared)
  const tb: number[] = [];
  const tn: number[] = [];
  const wb: number[] = [];
  const wn: number[] = [];
  await ntkBase({ model, params, x, n: N });
  for (let r = 0; r < RUNS; r++) {
    for (const [f, out] of [
      [ntkBase, tb],
      [ntkNew, tn],
    ] as const) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await f({ model, params, x, n: N });
      const c = process.cpuUsage(c0);
      out.push((c.user + c.system) / 1000);
      (out === tb ? wb : wn).push(performance.now() - t0);
    }
  }
  console.log(
    `load ${loadavg()
      .map((v) => v.toFixed(2))
      .join(
        ' ',
      )}; base ${tb.map((t) => t.toFixed(0)).join(', ')} best ${Math.min(...tb).toFixed(0)}; new ${tn.map((t) => t.toFixed(0)).join(', ')} best ${Math.min(...tn).toFixed(0)} ms CPU; wall base best ${Math.min(...wb).toFixed(0)}, new best ${Math.min(...wn).toFixed(0)} ms`,
  );
  process.exit(0);
}
const times: number[] = [];
for (let r = 0; r < RUNS; r++) {
  const t0 = performance.now();
  await ntkMatrix({ model, params, x, n: N });
  times.push(performance.now() - t0);
}
console.log(
  `load ${loadavg()
    .map((v) => v.toFixed(2))
    .join(
      ' ',
    )}; trace ${tr.toPrecision(10)}; runs ${times.map((t) => t.toFixed(0)).join(', ')} ms; best ${Math.min(...times).toFixed(0)} ms`,
);
if (values.profile) {
  const info = await tf.profile(async () => {
    await ntkMatrix({ model, params, x, n: N });
  });
  const by = new Map<string, { ms: number; count: number }>();
  for (const k of info.kernels) {
    const e = by.get(k.name) ?? { ms: 0, count: 0 };
    e.ms += k.kernelTimeMs as number;
    e.count++;
    by.set(k.name, e);
  }
  const total = [...by.values()].reduce((a, e) => a + e.ms, 0);
  console.log(`kernels total ${total.toFixed(0)} ms over ${info.kernels.length} kernels`);
  for (const [name, e] of [...by].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20))
    console.log(`  ${name.padEnd(24)} ${e.ms.toFixed(0).padStart(6)} ms  ${String(e.count).padStart(6)}×`);
  if (process.env.SHAPES) {
    const sh = new Map<string, { ms: number; count: number }>();
    for (const k of info.kernels) {
      if (!process.env.SHAPES.split(',').includes(k.name)) continue;
      const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
      const e = sh.get(key) ?? { ms: 0, count: 0 };
      e.ms += k.kernelTimeMs as number;
      e.count++;
      sh.set(key, e);
    }
    for (const [name, e] of [...sh].sort((a, b) => b[1].ms - a[1].ms).slice(0, 40))
      console.log(`  ${name.padEnd(70)} ${e.ms.toFixed(1).padStart(7)} ms  ${String(e.count).padStart(6)}×`);
  }
}
