// Page side of e2e/fixtures.webgpu.spec.ts (bundled there with esbuild): runs one public training
// or pruning fixture on tfjs's WebGPU backend and compares it with the official code's output.
import '@tensorflow/tfjs-backend-webgpu';
import { comparePruning } from '../../test/pruneFixtureCheck';
import { CASE_FILES, checkTrainFixture, type CaseFiles, type FixtureCheck } from '../../test/trainFixtureCheck';
import { parseSafetensors } from '../../src/shared/safetensors';
import { tf } from '../../src/core/tf';

async function onWebgpu(): Promise<void> {
  if (tf.getBackend() === 'webgpu') return;
  if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend failed to initialise');
  await tf.ready();
}

async function read(path: string): Promise<Uint8Array> {
  const res = await fetch(path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function trainFixture(name: string): Promise<FixtureCheck & { backend: string }> {
  await onWebgpu();
  const files = Object.fromEntries(
    await Promise.all(CASE_FILES.map(async (f) => [f, await read(`train/${name}/${f}`)] as const)),
  ) as CaseFiles;
  return { ...(await checkTrainFixture(files)), backend: tf.getBackend() };
}

/** What the spec compares with its tolerance (comparePruning's numbers, without the tensors). */
export interface PruneResult {
  raw: number;
  scaled: number;
  mismatches: number;
  kept: number;
  wantKept: number;
  backend: string;
  leaked: number;
}

async function pruneFixture(name: string, file: string): Promise<PruneResult> {
  await onWebgpu();
  const dir = `prune/${name}`;
  const c = {
    caseJson: JSON.parse(new TextDecoder().decode(await read(`${dir}/case.json`))),
    weights: parseSafetensors(await read(`${dir}/weights.safetensors`)),
    inputs: parseSafetensors(await read(`${dir}/inputs.safetensors`)),
  };
  const expected = parseSafetensors(await read(`${dir}/expected/${file}`));
  const before = tf.memory().numTensors;
  const r = await comparePruning({ ...c, expected: () => expected }, file);
  const { raw, scaled, mismatches, kept, wantKept } = r;
  return { raw, scaled, mismatches, kept, wantKept, backend: tf.getBackend(), leaked: tf.memory().numTensors - before };
}

Object.assign(window, { __trainFixture: trainFixture, __pruneFixture: pruneFixture });
