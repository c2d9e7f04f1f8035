// Node benchmarks of the metrics: the empirical NTK of ResNet-20 (n = 8 inputs, an 80×80 Θ),
// structured against the loop oracle. The loop runs on 2 inputs and is extrapolated to 8
// (backward passes ×4, the host J·Jᵀ ×16), as scripts/bench-ntk.ts does.
import { useBackend, type BackendName } from '../../src/core/backend';
import { ntkMatrix, ntkMatrixLoop } from '../../src/core/metrics';
import { buildModel } from '../../src/core/models';
import { nchwTensor } from '../../src/core/models/input';
import { disposeMap, initStateDict, toParamMap } from '../../src/core/models/state';
import { Rng } from '../../src/core/rng';
import { tf } from '../../src/core/tf';
import type { BenchRow } from './node';

export async function extraNodeBenches(backend: BackendName, log: (s: string) => void): Promise<BenchRow[]> {
  if (backend !== 'wasm') return []; // the loop oracle on cpu takes minutes
  await useBackend(backend);
  const model = buildModel('resnet20');
  const params = toParamMap(model, initStateDict(model, 0));
  const data = new Rng(3).fillUniform(new Float32Array(8 * 3 * 32 * 32), 0, 1);
  const x = nchwTensor(data, [8, 3, 32, 32]);
  const before = tf.memory().numTensors;
  await ntkMatrix({ model, params, x, n: 8 }); // warm-up
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await ntkMatrix({ model, params, x, n: 8 });
    runs.push((performance.now() - t0) / 1000);
  }
  const structured = [...runs].sort((a, b) => a - b)[1];
  const t0 = performance.now();
  const loop = await ntkMatrixLoop({ model, params, x, n: 2 });
  const loopSeconds = (performance.now() - t0) / 1000;
  const loopEstimate = (loop.timing.backwardMs * 4 + loop.timing.gramMs * 16) / 1000;
  const after = tf.memory().numTensors;
  disposeMap(params);
  x.dispose();
  log(
    `  ${backend} NTK resnet20 n=8: structured ${structured.toFixed(2)} s, loop ≈ ${loopEstimate.toFixed(2)} s (measured ${loopSeconds.toFixed(2)} s on n=2)`,
  );
  return [
    {
      env: 'node',
      backend,
      case: 'NTK (n=8, 80×80) resnet20, structured',
      seconds: structured,
      runs,
      tensorsBefore: before,
      tensorsAfter: after,
    },
    {
      env: 'node',
      backend,
      case: 'NTK (n=8) resnet20, loop oracle (extrapolated from n=2)',
      seconds: loopEstimate,
      runs: [loopSeconds],
      note: `measured ${loopSeconds.toFixed(2)} s on n=2`,
    },
  ];
}
