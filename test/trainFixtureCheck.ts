// One public training fixture (../shared/fixtures/train, copied into test/fixtures/train/public)
// trained with the lab's exact-form trainer on the active backend and compared with the official
// float32 state: per tensor ‖got−want‖/‖want‖, masked weights as weight·mask, against
// max(1e-4, 10 × the reference's own float32 noise); per-step losses within 1e-4 relative.
// Pure: the caller hands the case's files as bytes (Node reads them, a page fetches them).
import { masksFromSafeFile } from '../src/core/metrics/arrays';
import { buildModel, parseArch } from '../src/core/models';
import { runTrainJob } from '../src/core/train';
import { parseSafetensors, toFloat32, toInt32, finiteFloat32 } from '../src/shared/safetensors';
import { DEFAULT_RECIPE } from '../src/shared/train';
import { readWeights } from '../src/shared/weights';
import { relL2 } from './relL2';

/** The files of a case, relative to its folder. */
export const CASE_FILES = [
  'case.json',
  'weights.safetensors',
  'masks.safetensors',
  'inputs.safetensors',
  'expected/state.safetensors',
] as const;
export type CaseFiles = Record<(typeof CASE_FILES)[number], Uint8Array>;

export interface FixtureCheck {
  worst: { tensor: string; error: number; tolerance: number };
  worstRatio: { tensor: string; ratio: number };
  worstLoss: number;
  pass: boolean;
}

export async function checkTrainFixture(files: CaseFiles): Promise<FixtureCheck> {
  const c = JSON.parse(new TextDecoder().decode(files['case.json']));
  const model = buildModel(parseArch(c.arch));
  const masks = masksFromSafeFile(model, parseSafetensors(files['masks.safetensors']));
  const inputs = parseSafetensors(files['inputs.safetensors']);
  const x = inputs.tensors.get('x')!;
  const res = await runTrainJob({
    model,
    stateDict: readWeights(model, files['weights.safetensors'], 'weights.safetensors').stateDict,
    masks,
    train: {
      x: finiteFloat32(x, 'x'),
      shape: x.shape as [number, number, number, number],
      y: toInt32(inputs.tensors.get('y')!, 'y', model.classes),
    },
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
  const want = parseSafetensors(files['expected/state.safetensors']);
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
  return { worst, worstRatio, worstLoss, pass: worstRatio.ratio <= 1 && worstLoss <= 1e-4 };
}
