// How many mask entries a pure float32 summation-order change moves on the public ResNet-20 case
// (images reordered inside the batch: the same sums in another order), for GraSP and SNIP, against
// the lab's own mask in stored order and against the official code's. It sizes the mask bound of
// test/pruneFixtureCheck.ts. `npx tsx bench/suites/grasp-order.ts` (Node, PXLAB_BACKEND or wasm)
// writes bench/measured/grasp-order-resnet20-<backend>.json.
import { writeFileSync } from 'node:fs';
import { useNodeBackend } from '../../src/core/backend';
import { runScoreJob } from '../../src/core/job';
import { buildModel } from '../../src/core/models';
import { toFloat32, toInt32 } from '../../src/shared/safetensors';
import { readCase } from '../../test/fixtures';
import { normalised } from '../../test/pruneFixtureCheck';
import { relL2 } from '../../test/relL2';

const backend = await useNodeBackend((process.env.PXLAB_BACKEND ?? 'wasm') as never);
const c = readCase('resnet20');
const model = buildModel(c.caseJson.arch);
const xs = c.inputs.tensors.get('x')!;
const shape = xs.shape as [number, number, number, number];
const x = toFloat32(xs);
const y = toInt32(c.inputs.tensors.get('y')!);
const per = shape[1] * shape[2] * shape[3];
const n = shape[0];
const ids = [...Array(n).keys()];
const ORDERS: Record<string, number[]> = {
  stored: ids,
  reversed: ids.slice().reverse(),
  'rotated by 1': ids.map((i) => (i + 1) % n),
  'halves swapped': ids.map((i) => (i + Math.floor(n / 2)) % n),
};

type Masks = Map<string, Float32Array>;
const differing = (a: Masks, b: (w: string) => ArrayLike<number>) =>
  model.prunable.reduce((s, l) => {
    const p = a.get(l.weight)!;
    const q = b(l.weight);
    let k = 0;
    for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) k++;
    return s + k;
  }, 0);

const rows = [];
for (const method of ['grasp', 'snip'] as const) {
  const fixture = c.expected(`${method}_R1_d0.1.safetensors`);
  const official = (w: string) => toFloat32(fixture.tensors.get(`${w.replace(/\.weight$/, '')}.weight_mask`)!);
  let stored: Masks | null = null;
  for (const [order, perm] of Object.entries(ORDERS)) {
    const x2 = new Float32Array(x.length);
    const y2 = new Int32Array(n);
    perm.forEach((src, i) => {
      x2.set(x.subarray(src * per, (src + 1) * per), i * per);
      y2[i] = y[src];
    });
    const stateDict = new Map([...c.weights.tensors].map(([k, v]) => [k, toFloat32(v)]));
    const r = await runScoreJob({ model, stateDict, x: x2, xShape: shape, y: y2, method, density: 0.1, rounds: 1 });
    stored ??= r.masks;
    const got = model.prunable.flatMap((l) => Array.from(r.scores.get(l.weight)!));
    const want = model.prunable.flatMap((l) => Array.from(fixture.tensors.get(l.weight)!.data as ArrayLike<number>, Number));
    const row = {
      method,
      order,
      vsStored: differing(r.masks, (w) => stored!.get(w)!),
      vsOfficial: differing(r.masks, official),
      // relative L2 of the unit-normalised scores against the official ones (the fixture check's)
      scoresVsOfficial: relL2(normalised(Float64Array.from(got)), normalised(Float64Array.from(want))),
    };
    console.log(JSON.stringify(row));
    rows.push(row);
  }
}
const out = `bench/measured/grasp-order-resnet20-${backend}.json`;
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), backend, images: n, kept: 27090, rows }, null, 1)}\n`);
console.log(`→ ${out}`);
