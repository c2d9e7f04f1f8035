// Test-only (imported by the *.test.ts beside it, never by the worker): the small run the
// worker's analysis tests share (a two-method MLP on synthetic data, seconds on wasm), and the
// runner that has run it.
import { DEFAULT_CONFIG, type RunConfig } from '../shared/config';
import { coreMetrics } from './metrics';
import { LabRunner } from './runner';

/** One-shot SNIP and iterative SynFlow at 20% on the MLP, few rounds and inputs. */
export const SMALL_MLP_RUN: RunConfig = {
  ...DEFAULT_CONFIG,
  model: 'mlp',
  dataset: 'synthetic',
  methods: ['snip', 'synflow'],
  density: 0.2,
  rounds: 3,
  oneShotRounds: 1,
  batchSize: 32,
  examplesPerClass: 2,
  ntkSamples: 2,
};

/** A runner that has run `config` (run id 1) and gone idle, and that run's summary. */
export async function ranRunner(config: RunConfig = SMALL_MLP_RUN) {
  const runner = new LabRunner({ metrics: coreMetrics });
  const summary = await runner.run({ id: 1, config }, () => undefined);
  await runner.idle();
  return { runner, summary };
}
