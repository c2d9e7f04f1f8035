// How far px-2024's 100-round per-layer counts move under float32 rounding alone. Runs the
// release's 100-round fixture (test/fixtures/px2024/public/resnet20_r100: official ResNet-20
// init, 256 Gaussian images, two batches of 128, density 0.018) with the images of each batch
// either in stored order or in another order inside the batch. The order inside a batch changes
// nothing mathematically (training-mode BN statistics and the objective are sums over the batch),
// only the float32 summation order, so any difference between the runs is rounding.
//
//   npx tsx bench/suites/px-variants-drift.ts --order stored|reversed|rotated [--rounds 100]
//       [--out bench/measured/px2024-r100-<order>.json]
//   npx tsx bench/suites/px-variants-drift.ts --case r10 --order ...   (the public ResNet-20 case: 20
//       images in one batch, 10 rounds to 0.1, where the release's own float32 and float64 runs
//       differ in 16,568 mask entries)
//
// Writes the per-layer kept counts of every round, the release's counts, and the kept weights'
// flat indices (layer order, PyTorch layout) so two runs can be compared mask by mask.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { useNodeBackend } from '../../src/core/backend';
import { runPruneJob } from '../../src/core/job';
import { buildModel } from '../../src/core/models';
import { parseSafetensors, toFloat32, toInt32 } from '../../src/shared/safetensors';

const { values: a } = parseArgs({
  options: {
    order: { type: 'string', default: 'stored' },
    rounds: { type: 'string', default: '100' },
    out: { type: 'string' },
    case: { type: 'string', default: 'r100' },
  },
});
const R10 = a.case === 'r10';
if (!R10 && a.case !== 'r100') throw new Error(`--case must be r100 or r10 (got ${a.case})`);
const DIR = R10
  ? join('test', 'fixtures', 'safetensors', 'public', 'resnet20')
  : join('test', 'fixtures', 'px2024', 'public', 'resnet20_r100');
const BATCH = R10 ? 20 : 128;
const ROUNDS = R10 ? 10 : Number(a.rounds);

/** Index order of the examples: each batch of 128 keeps its images, in the order asked. */
function exampleOrder(n: number, order: string): number[] {
  const out: number[] = [];
  for (let s = 0; s < n; s += BATCH) {
    const b = Array.from({ length: Math.min(BATCH, n - s) }, (_, i) => s + i);
    if (order === 'reversed') b.reverse();
    else if (order === 'rotated') b.push(b.shift()!);
    else if (order !== 'stored') throw new Error(`--order must be stored, reversed or rotated (got ${order})`);
    out.push(...b);
  }
  return out;
}

async function main(): Promise<void> {
  const backend = await useNodeBackend();
  const caseJson = JSON.parse(readFileSync(join(DIR, 'case.json'), 'utf8'));
  const density = R10 ? 0.1 : caseJson.density;
  const weights = parseSafetensors(new Uint8Array(readFileSync(join(DIR, 'weights.safetensors'))), 'weights');
  const inputs = parseSafetensors(new Uint8Array(readFileSync(join(DIR, 'inputs.safetensors'))), 'inputs');
  const xs = inputs.tensors.get('x')!;
  const x0 = toFloat32(xs);
  const y0 = toInt32(inputs.tensors.get('y')!);
  const [n, c, h, w] = xs.shape;
  const per = c * h * w;
  const idx = exampleOrder(n, a.order!);
  const x = new Float32Array(x0.length);
  const y = new Int32Array(n);
  idx.forEach((src, j) => {
    x.set(x0.subarray(src * per, (src + 1) * per), j * per);
    y[j] = y0[src];
  });
  const model = buildModel(caseJson.arch);
  const stateDict = new Map([...weights.tensors].map(([k, v]) => [k, toFloat32(v)]));
  const t0 = performance.now();
  const perRound: number[][] = [];
  const res = await runPruneJob({
    model,
    stateDict,
    method: 'px-2024',
    density,
    rounds: ROUNDS,
    lossData: { x, y, shape: [n, c, h, w] },
    batchSize: BATCH,
    batchLimit: 2,
    onRound: (info) => {
      perRound.push(info.keptPerLayer);
      if ((info.round + 1) % 10 === 0)
        console.log(`${a.order} round ${info.round + 1}: ${info.kept} kept, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    },
  });
  const keptIndices: number[] = [];
  let offset = 0;
  for (const l of model.prunable) {
    const m = res.masks.get(l.weight)!;
    for (let i = 0; i < m.length; i++) if (m[i] > 0) keptIndices.push(offset + i);
    offset += m.length;
  }
  const layers = model.prunable.map((l) => l.weight);
  const out = {
    what: `px-2024 on ${R10 ? 'the public ResNet-20 case (20 images, one batch)' : 'the 100-round release fixture (two batches of 128)'} with the images inside each batch in the given order (a pure float32 summation-order change)`,
    case: a.case,
    order: a.order,
    backend,
    rounds: ROUNDS,
    density,
    seconds: (performance.now() - t0) / 1000,
    date: new Date().toISOString(),
    layers,
    release: R10 ? null : layers.map((l) => caseJson.kept_per_layer_float32[l]),
    keptPerLayer: res.rounds.at(-1)!.keptPerLayer,
    keptPerLayerByRound: perRound,
    kept: res.kept,
    keptIndices,
  };
  const file = a.out ?? join('bench', 'measured', `px2024-${a.case}-${a.order}.json`);
  writeFileSync(file, `${JSON.stringify(out)}\n`);
  console.log(`${a.order}: ${out.seconds.toFixed(0)} s on ${backend}, wrote ${file}`);
  layers.forEach((l, i) => console.log(`${l} ${out.keptPerLayer[i]}${out.release ? ` (release ${out.release[i]})` : ''}`));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
