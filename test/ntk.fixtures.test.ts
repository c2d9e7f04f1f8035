// The NTK against the reference fixtures (PyTorch, J in float32, Θ = J Jᵀ in float64).
import { describe, expect, it } from 'vitest';
import { tf } from '../src/core/tf';
import { CASES, readCase } from './fixtures';
import { runLayerStatsJob, runNtkJob } from '../src/core/metrics/arrays';
import { jsonNtkFixture, safetensorsNtkFixture, SAFETENSORS_NTK, topEigenRelError, type NtkFixture } from './ntkFixtures';

const TOP = 20;
const EIGEN_RTOL = 1e-3;
const TRACE_RTOL = 1e-4;

async function check(f: NtkFixture) {
  const before = tf.memory().numTensors;
  const r = await runNtkJob({ model: f.model, stateDict: f.stateDict, x: f.x, xShape: f.xShape, masks: f.masks, n: 8 });
  expect(tf.memory().numTensors).toBe(before);
  const eig = topEigenRelError(r.eigenvaluesDesc, f.eigenvaluesDesc, TOP);
  const trace = Math.abs(r.trace - f.trace) / Math.abs(f.trace);
  const layerSum = Object.values(r.traceByLayer).reduce((a, b) => a + b, 0);
  console.log(
    `${f.label}: top-${TOP} eigen rel ${eig.toExponential(2)}, trace rel ${trace.toExponential(2)}, Θ ${r.thetaMs.toFixed(0)} ms`,
  );
  expect(r.size).toBe(80);
  expect(eig).toBeLessThan(EIGEN_RTOL);
  expect(trace).toBeLessThan(TRACE_RTOL);
  expect(Math.abs(layerSum - r.trace) / r.trace).toBeLessThan(1e-12);
}

describe('NTK matches the public safetensors fixtures', () => {
  for (const name of CASES)
    for (const file of Object.keys(SAFETENSORS_NTK)) it(`${name} ${file}`, async () => check(safetensorsNtkFixture(name, file)));
});

describe("layer statistics agree with the fixtures' Jacobians", () => {
  // a column of J can only be non-zero for a weight on a complete path (ReLUs may zero more)
  for (const name of CASES)
    for (const file of ['ntk_px_R10_d0.1.json', 'ntk_synflow_R10_d0.1.json'])
      it(`${name} ${file}: kept = kept_weights, effective ≥ nonzero_jacobian_columns`, async () => {
        const f = safetensorsNtkFixture(name, file);
        const ref = readCase(name).json(file);
        const t = await runLayerStatsJob(f.model, f.masks);
        expect(t.network.kept).toBe(ref.kept_weights);
        expect(t.network.effective).toBeGreaterThanOrEqual(ref.nonzero_jacobian_columns);
        expect(t.network.disconnected).toBe(false);
      });
});

describe('NTK matches the JSON fixtures', () => {
  for (const name of ['mlp', 'conv', 'conv_nobn'] as const)
    for (const which of ['dense', 'PX_R10', 'SynFlow_R10'] as const)
      it(`${name}.json ${which}`, async () => check(jsonNtkFixture(name, which)));
});
