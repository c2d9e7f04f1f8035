// The Train tab's "Same run on the command line" reproduces the page: for every method (px-2024,
// iterative, included) the command trainCommand prints for the page's state, run through
// px-lab, gives the test accuracy and loss the worker's Train request gave, to the last bit.
// MLP on the synthetic set, 4 steps of batch 32 per line.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../src/shared/config';
import { METHOD_NAMES } from '../src/shared/methods';
import { DEFAULT_TRAIN_SETTINGS, trainArms, trainCommand, trainPlanOf, type TrainSettings } from '../src/shared/trainSettings';
import { TrainRunner } from '../src/worker/trainRunner';
import { runCli } from './cliHarness';

const out = mkdtempSync(join(tmpdir(), 'pxlab-train-command-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const base: RunConfig = {
  ...DEFAULT_CONFIG,
  model: 'mlp',
  dataset: 'synthetic',
  density: 0.2,
  rounds: 3,
  seed: 6,
  batchSize: 32,
  examplesPerClass: 2,
};
const settings: TrainSettings = { ...DEFAULT_TRAIN_SETTINGS, budget: 'steps', steps: 4, trainBatch: 32, lr: 0.05, dense: true };

/** The command's words with its output files moved into the test's folder. */
function argvOf(command: string): string[] {
  const words = command.split(' ');
  expect(words.slice(0, 2)).toEqual(['npx', 'px-lab']);
  return words.slice(2).map((w, i, a) => (a[i - 1] === '--out' || a[i - 1] === '--log' ? join(out, w) : w));
}

async function pageAndCli(cfg: RunConfig): Promise<void> {
  const plan = trainPlanOf(cfg, settings);
  const page = await new TrainRunner({ streamMs: 0 }).run({ id: 1, kind: 'train', plan, skip: [] }, () => undefined);
  expect(page).not.toBeNull();
  for (const arm of trainArms(cfg.methods, settings)) {
    const command = trainCommand(plan, arm);
    const res = await runCli([...argvOf(command), '--backend', 'wasm']);
    expect(res.code, res.stderr).toBe(0);
    const log = JSON.parse(readFileSync(join(out, `${arm}.json`), 'utf8'));
    const line = page!.find((r) => r.cell.method === arm)!;
    expect({ arm, accuracy: log.test_accuracy, loss: log.test_loss, kept: log.kept }, command).toEqual({
      arm,
      accuracy: line.testAccuracy,
      loss: line.testLoss,
      kept: line.kept,
    });
  }
}

describe('the Train tab’s command line reproduces the page’s accuracy', () => {
  it(
    'every method and dense, as the page prunes by default (global scope)',
    () => pageAndCli({ ...base, methods: [...METHOD_NAMES] }),
    300_000,
  );

  it(
    'local scope and one-shot methods over 2 rounds',
    () => pageAndCli({ ...base, methods: ['px-2024', 'snip', 'mag'], scope: 'local', oneShotRounds: 2 }),
    120_000,
  );
});
