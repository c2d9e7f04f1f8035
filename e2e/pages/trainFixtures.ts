// Page side of e2e/train-fixtures.webgpu.spec.ts (bundled there with esbuild): trains one public
// training fixture on tfjs's WebGPU backend and compares it with the official float32 state.
import '@tensorflow/tfjs-backend-webgpu';
import { CASE_FILES, checkTrainFixture, type CaseFiles, type FixtureCheck } from '../../bench/suites/trainFixtureCheck';
import { tf } from '../../src/core/tf';

async function trainFixture(name: string): Promise<FixtureCheck & { backend: string }> {
  if (tf.getBackend() !== 'webgpu') {
    if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend failed to initialise');
    await tf.ready();
  }
  const read = async (f: string) => {
    const res = await fetch(`fixtures/${name}/${f}`);
    if (!res.ok) throw new Error(`fixtures/${name}/${f}: HTTP ${res.status}`);
    return [f, new Uint8Array(await res.arrayBuffer())] as const;
  };
  const files = Object.fromEntries(await Promise.all(CASE_FILES.map(read))) as CaseFiles;
  return { ...(await checkTrainFixture(files)), backend: tf.getBackend() };
}

(window as unknown as { __trainFixture: typeof trainFixture }).__trainFixture = trainFixture;
