// Worst error per public training fixture and backend: the exact-form training run (as `px-lab train
// --inputs`) against the official float32 state, per tensor ‖got−want‖/‖want‖ with masked weights
// compared as weight·mask, and its tolerance max(1e-4, 10 × the reference's own float32 noise).
//   npx tsx bench/suites/trainfixtures.ts [--backends wasm,cpu] [--cases resnet20_synflow,...]
// A measurement, not a test: test/train.cli.test.ts asserts the tolerance on the default backend.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { useBackend, type BackendName } from '../../src/core/backend';
import { runTrainJob } from '../../src/core/train';
import { DEFAULT_RECIPE } from '../../src/shared/train';
import { parseSafetensors, toFloat32 } from '../../src/shared/safetensors';
import { loadInputs, loadModel, loadWeights } from '../../src/cli/common';
import { loadMasks } from '../../src/cli/masks-file';

const TRAIN = join('test', 'fixtures', 'train', 'public');

function relL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / (den || 1));
}

export interface FixtureError {
  name: string;
  backend: BackendName;
  worst: { tensor: string; error: number; tolerance: number };
  worstRatio: { tensor: string; ratio: number };
  worstLoss: number;
  pass: boolean;
}

export async function fixtureErrors(name: string, backend: BackendName): Promise<FixtureError> {
  await useBackend(backend);
  const dir = join(TRAIN, name);
  const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
  const model = loadModel(join(dir, 'case.json'));
  const masks = loadMasks(model, join(dir, 'masks.safetensors'));
  const res = await runTrainJob({
    model,
    stateDict: loadWeights(model, join(dir, 'weights.safetensors')),
    masks,
    train: loadInputs(join(dir, 'inputs.safetensors'), model.classes),
    recipe: {
      ...DEFAULT_RECIPE,
      steps: c.steps,
      batchSize: c.batch_size,
      lr: c.lr,
      momentum: c.momentum,
      weightDecay: c.weight_decay,
      nesterov: c.nesterov,
      schedule: 'constant',
      shuffle: false,
      augment: false,
    },
  });
  const want = parseSafetensors(new Uint8Array(readFileSync(join(dir, 'expected', 'state.safetensors'))));
  let worst = { tensor: '', error: 0, tolerance: 0 };
  let worstRatio = { tensor: '', ratio: 0 };
  for (const [k, t] of want.tensors) {
    const m = masks.get(k);
    const got = res.stateDict.get(k)!;
    const w = toFloat32(t);
    const e = relL2(
      got.map((v, i) => (m ? v * m[i] : v)),
      w.map((v, i) => (m ? v * m[i] : v)),
    );
    const tol = Math.max(1e-4, 10 * c.float32_vs_float64_rel_l2[k]);
    if (e > worst.error) worst = { tensor: k, error: e, tolerance: tol };
    if (e / tol > worstRatio.ratio) worstRatio = { tensor: k, ratio: e / tol };
  }
  const worstLoss = Math.max(...res.losses.map((l, i) => Math.abs(l - c.losses[i]) / Math.abs(c.losses[i])));
  return { name, backend, worst, worstRatio, worstLoss, pass: worstRatio.ratio <= 1 && worstLoss <= 1e-4 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { backends: { type: 'string', default: 'wasm,cpu' }, cases: { type: 'string' } } });
  const cases = values.cases ? values.cases.split(',') : readdirSync(TRAIN).sort();
  console.log('| case | backend | worst tensor | rel. L2 error | tolerance | worst error/tolerance | worst loss error | pass |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const backend of values.backends!.split(',') as BackendName[])
    for (const name of cases) {
      const r = await fixtureErrors(name, backend);
      console.log(
        `| ${name} | ${backend} | ${r.worst.tensor} | ${r.worst.error.toExponential(2)} | ${r.worst.tolerance.toExponential(1)} | ${r.worstRatio.ratio.toFixed(3)} (${r.worstRatio.tensor}) | ${r.worstLoss.toExponential(2)} | ${r.pass ? 'yes' : 'no'} |`,
      );
    }
}

await main();
