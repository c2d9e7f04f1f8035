// Worst error per public training fixture and backend: the exact-form training run (as `px-lab train
// --inputs`) against the official float32 state, per tensor ‖got−want‖/‖want‖ with masked weights
// compared as weight·mask, and its tolerance max(1e-4, 10 × the reference's own float32 noise).
//   npx tsx bench/suites/trainfixtures.ts [--backends wasm,cpu] [--cases resnet20_synflow,...]
// A measurement, not a test: test/train.cli.test.ts asserts the tolerance on the default backend.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { useBackend, type BackendName } from '../../src/core/backend';
import { CASE_FILES, checkTrainFixture, type CaseFiles, type FixtureCheck } from '../../test/trainFixtureCheck';

const TRAIN = join('test', 'fixtures', 'train', 'public');

export interface FixtureError extends FixtureCheck {
  name: string;
  backend: BackendName;
}

export async function fixtureErrors(name: string, backend: BackendName): Promise<FixtureError> {
  await useBackend(backend);
  const files = Object.fromEntries(CASE_FILES.map((f) => [f, new Uint8Array(readFileSync(join(TRAIN, name, f)))])) as CaseFiles;
  return { name, backend, ...(await checkTrainFixture(files)) };
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
