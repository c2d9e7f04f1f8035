// px-lab transfer: the official transfer protocol (docs/transfer.md) on a pretrained backbone:
// ridge head on the dense backbone's downstream features, prune with downstream data, zero-shot
// downstream accuracy with the dense head and a linear probe refitted on the pruned features,
// optional fine-tuning. Writes one JSON result (and a CSV with --csv).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initStateDict, type StateDict } from '../core/models/state';
import type { Model } from '../core/models';
import { METHOD_NAMES } from '../shared/methods';
import { runTransferJob } from '../core/transfer';
import {
  DEFAULT_TRANSFER,
  DEFAULT_TRANSFER_SEEDS,
  HEAD_SPLITS,
  summariseTransfer,
  type TransferSummary,
  TransferSettingsSchema,
  type HeadSplit,
  transferCsv,
  type TransferResult,
  type TransferSettings,
} from '../shared/transfer';
import { FIELD_FACTS } from '../shared/fields';
import { checkOutPath, loadModel, loadWeightsFile, log, setupBackend, writeFile } from './common';
import { asCliError, CliError, decimal, fieldArg, numberArg, required, switchFlags, valueFlags, type Args } from './args';
import { DATASET_HELP, openDatasetForCli } from './datasets';

/** The shipped pretrained checkpoints (scripts/pretrain.mjs writes them). */
export const PRETRAINED_DIR = fileURLToPath(new URL('../../public/pretrained/', import.meta.url));

const USAGE = `px-lab transfer --arch A --weights <W.safetensors|shipped id|random> --dataset <${DATASET_HELP}>
              [--method X[,Y…] (default ${DEFAULT_TRANSFER.methods.join(',')})] --density d[,d…] [--rounds 100]
              [--fine-tune-epochs 0] [--head-split train|test (test: the official code's)] [--recalibrate-bn]
              [--seeds 0,1,2 | --seed S (one seed)] [--examples-per-class 10] [--prune-batch-size 128] [--train-examples N] [--test-examples N]
              [--data PATH] --out result.json [--csv result.csv]
              (shipped ids: mlp-mnist, convnet-fashion-mnist, resnet20-fashion-mnist in public/pretrained/)`;

const OPTIONS = {
  ...valueFlags('arch', 'weights', 'dataset', 'data', 'method', 'methods', 'density', 'densities', 'rounds', 'fine-tune-epochs'),
  ...valueFlags('head-split', 'csv', 'seed', 'seeds', 'examples-per-class', 'prune-batch-size', 'out', 'train-examples', 'test-examples'),
  ...switchFlags('recalibrate-bn'),
};

function listArg(v: Record<string, unknown>, one: string, many: string, fallback?: readonly string[]): string[] {
  if (v[one] !== undefined && v[many] !== undefined) throw new CliError(`give --${one} or --${many}, not both`);
  const s = (v[one] ?? v[many]) as string | undefined;
  if (s === undefined && fallback) return [...fallback];
  if (!s) throw new CliError(`missing --${one}`);
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

function settingsFromArgs(v: Record<string, unknown>): TransferSettings {
  const methods = listArg(v, 'method', 'methods', DEFAULT_TRANSFER.methods);
  for (const m of methods)
    if (!(METHOD_NAMES as readonly string[]).includes(m)) throw new CliError(`unknown method "${m}" (known: ${METHOD_NAMES.join(', ')})`);
  const densities = listArg(v, 'density', 'densities').map((s) => {
    const d = decimal(s);
    if (!(Number.isFinite(d) && d > 0 && d <= 1)) throw new CliError(`--density must be in (0, 1] (got ${JSON.stringify(s)})`);
    return d;
  });
  const headSplit = (v['head-split'] as string | undefined) ?? DEFAULT_TRANSFER.headSplit;
  if (!(HEAD_SPLITS as readonly string[]).includes(headSplit))
    throw new CliError(`--head-split must be train or test (got ${JSON.stringify(headSplit)})`);
  const seeds = seedsArg(v);
  const int = (name: string, fallback: number, min: number, max = 2 ** 31 - 1) =>
    numberArg(v, name, fallback, (n) => Number.isInteger(n) && n >= min && n <= max, `an integer in ${min}..${max}`);
  return TransferSettingsSchema.parse({
    methods,
    densities,
    headSplit: headSplit as HeadSplit,
    recalibrateBn: v['recalibrate-bn'] === true,
    rounds: fieldArg(v, 'rounds', FIELD_FACTS.rounds, DEFAULT_TRANSFER.rounds),
    seed: fieldArg(v, 'seed', FIELD_FACTS.seed, seeds[0]),
    seeds,
    examplesPerClass: fieldArg(v, 'examples-per-class', FIELD_FACTS.examplesPerClass, DEFAULT_TRANSFER.examplesPerClass),
    pruneBatchSize: fieldArg(v, 'prune-batch-size', FIELD_FACTS.pruneBatch, DEFAULT_TRANSFER.pruneBatchSize),
    fineTuneEpochs: int('fine-tune-epochs', 0, 0, 1000),
    trainExamples: int('train-examples', 0, 0),
    testExamples: int('test-examples', 0, 0),
  });
}

/** --seeds S1,S2,… (default three: a spread per cell); --seed S alone is one seed; --seed with --seeds
 * keeps the backbone's seed (a random init) apart from the pruning seeds. */
function seedsArg(v: Record<string, unknown>): number[] {
  if (v.seeds === undefined && v.seed !== undefined) return [fieldArg(v, 'seed', FIELD_FACTS.seed, 0)];
  const text = (v.seeds as string | undefined) ?? DEFAULT_TRANSFER_SEEDS.join(',');
  const seeds = text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => {
      const n = decimal(t);
      if (!Number.isInteger(n) || n < 0 || n > FIELD_FACTS.seed.max)
        throw new CliError(`--seeds: ${JSON.stringify(t)} is not an integer in 0..2^31-1`);
      return n;
    });
  if (!seeds.length || seeds.length > 10 || new Set(seeds).size !== seeds.length)
    throw new CliError('--seeds: give 1 to 10 different seeds, separated by commas');
  return seeds;
}

/** One line per (method, density): probe and zero-shot mean ± std over seeds, or "(1 seed)". */
function summaryLines(summary: TransferSummary[]): string[] {
  const spread = (s: TransferSummary['probe']) =>
    `${(100 * s.mean).toFixed(2)}%${s.n > 1 ? ` ± ${(100 * s.std).toFixed(2)} (range ${(100 * s.min).toFixed(2)}–${(100 * s.max).toFixed(2)})` : ''}`;
  return summary.map(
    (s) =>
      `${s.method} density ${s.density}: probe ${spread(s.probe)}, zero-shot ${spread(s.zeroShot)} (${s.probe.n === 1 ? '1 seed' : `${s.probe.n} seeds`})`,
  );
}

/** --weights: a file, a shipped checkpoint id, or "random" (the seeded initialisation). */
function weightsArg(model: Model, w: string, seed: number): { stateDict: StateDict; source: string; sha256: string | null } {
  if (w === 'random') return { stateDict: initStateDict(model, seed), source: `random init (seed ${seed})`, sha256: null };
  const shipped = join(PRETRAINED_DIR, `${w}.safetensors`);
  const path = !existsSync(w) && /^[a-z0-9-]+$/.test(w) && existsSync(shipped) ? shipped : w;
  const f = loadWeightsFile(model, path);
  return {
    stateDict: f.stateDict,
    source: path === shipped ? `pretrained ${w}` : path,
    sha256: createHash('sha256').update(f.bytes).digest('hex'),
  };
}

async function transfer(v: Args): Promise<void> {
  const model = loadModel(required(v, 'arch'));
  const settings = settingsFromArgs(v);
  const weights = weightsArg(model, required(v, 'weights'), settings.seed);
  const datasetName = required(v, 'dataset');
  const out = required(v, 'out');
  checkOutPath(out, 'out');
  const downstream = await openDatasetForCli(datasetName, model, settings.seed, v.data as string | undefined);
  const backend = await setupBackend(v);
  const t0 = performance.now();
  const run = await asCliError(() =>
    runTransferJob({
      model,
      stateDict: weights.stateDict,
      downstream,
      settings,
      onStage: (s) => {
        if (s.stage === 'dense') log(`ridge head fitted on ${settings.headSplit} features`);
      },
      onCell: (c) =>
        log(
          `${c.method} density ${c.density} seed ${c.seed}: zero-shot ${(100 * c.zeroShotAccuracy).toFixed(2)}%, probe ${(100 * c.probeAccuracy).toFixed(2)}%${c.fineTunedAccuracy === null ? '' : `, fine-tuned ${(100 * c.fineTunedAccuracy).toFixed(2)}%`} (prune ${c.pruneSeconds.toFixed(1)} s)`,
        ),
    }),
  );
  const result: TransferResult = {
    kind: 'px-lab-transfer',
    arch: model.spec,
    weights: weights.source,
    weightsSha256: weights.sha256,
    dataset: run.dataset,
    settings,
    head: { split: run.head.split, samples: run.head.samples, features: run.head.features, alpha: 1 },
    dense: run.dense,
    cells: run.cells,
    summary: summariseTransfer(run.cells, settings.seed),
    backend,
    seconds: (performance.now() - t0) / 1000,
  };
  writeFile(out, JSON.stringify(result, null, 1));
  if (v.csv) writeFile(v.csv as string, transferCsv(result));
  for (const line of summaryLines(result.summary!)) log(line);
  log(`dense backbone + head: ${(100 * run.dense.zeroShotAccuracy).toFixed(2)}% on ${run.dataset} → ${out}`);
}

export const transferCommand = { usage: USAGE, options: OPTIONS, run: transfer };
