// IMP with rewinding against a plain PyTorch re-implementation (bench/suites/imp_reference.py):
// the lab's MLP from its initial weights (seed 0), its IMP batches from MNIST's training split in
// the lab's order (8 seeded batches of 128), pruned by the lab (runPruneJob, wasm) and by PyTorch;
// prints the fraction of mask entries that agree and the overlap of the kept weights.
//   npx tsx bench/suites/imp-reference.ts [--rounds 5] [--density 0.1] [--rewind 0,3]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDatasetForCli } from '../../src/cli/datasets';
import { setupBackend } from '../../src/cli/common';
import { pruneExamples } from '../../src/core/examples';
import { runPruneJob } from '../../src/core/job';
import { buildModel, parseArch } from '../../src/core/models';
import { initStateDict } from '../../src/core/models/state';
import { maskName } from '../../src/shared/maskNames';
import { writeSafetensors, type TensorToWrite } from '../../src/shared/safetensors';

const here = dirname(fileURLToPath(import.meta.url));
const { values: v } = parseArgs({ options: { rounds: { type: 'string' }, density: { type: 'string' }, rewind: { type: 'string' } } });
const rounds = Number(v.rounds ?? 5);
const density = Number(v.density ?? 0.1);
const BATCH = 128;

const backend = await setupBackend({});
const model = buildModel(parseArch('mlp'));
const ds = await openDatasetForCli('mnist', model, 0, undefined);
const init = initStateDict(model, 0);
const { lossData } = pruneExamples(ds, 'imp', { seed: 0, batchSize: BATCH, examplesPerClass: 10 });
if (!lossData) throw new Error('imp reads loss batches');
for (const rewind of (v.rewind ?? '0,3').split(',').map(Number)) {
  const dir = mkdtempSync(join(tmpdir(), 'imp-ref-'));
  const res = await runPruneJob({ model, stateDict: init, method: 'imp', impRewind: rewind, density, rounds, lossData, batchSize: BATCH });
  const w: TensorToWrite[] = model.params.map((p) => ({ name: p.name, shape: p.torchShape, data: init.get(p.name)! }));
  writeFileSync(join(dir, 'w.safetensors'), writeSafetensors(w));
  const y = Int32Array.from(lossData.y);
  writeFileSync(
    join(dir, 'x.safetensors'),
    writeSafetensors([
      { name: 'x', shape: [...lossData.shape], data: lossData.x },
      { name: 'y', shape: [y.length], data: y, dtype: 'I32' },
    ]),
  );
  const masks: TensorToWrite[] = model.prunable.map((l) => ({
    name: maskName(l.weight),
    shape: l.torchShape,
    data: res.masks.get(l.weight)!,
  }));
  const ticket: TensorToWrite[] = res.weights
    ? model.params.map((p) => ({ name: p.name, shape: p.torchShape, data: res.weights!.get(p.name)! }))
    : [];
  writeFileSync(join(dir, 'masks.safetensors'), writeSafetensors([...masks, ...ticket]));
  const py = spawnSync(
    process.env.PXREF_PYTHON ?? '/usr/bin/python3',
    [
      join(here, 'imp_reference.py'),
      '--dir',
      dir,
      '--rounds',
      String(rounds),
      '--density',
      String(density),
      '--rewind',
      String(rewind),
      '--batch',
      String(BATCH),
    ],
    { encoding: 'utf8' },
  );
  if (py.status !== 0) throw new Error(`imp_reference.py: ${py.stderr.trim().split('\n').pop()}`);
  console.log(`lab ${backend}: ${py.stdout.trim()}`);
}
