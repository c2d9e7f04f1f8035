// px-lab prune: initialise a model from a seed, prune it on a dataset, write masks (+ summary).
import { runPruneJob } from '../core/job';
import { pruneExamples, type ArrayData } from '../core/examples';
import type { LabDataset } from '../core/data/dataset';
import { METHOD_NAMES, type MethodId } from '../shared/methods';
import type { Model } from '../core/models';
import type { BackendName } from '../core/backend';
import { initStateDict } from '../core/models/state';
import { FIELD_FACTS } from '../shared/fields';
import { loadModel, log, setupBackend, writeFile, writeSafetensorsFile } from './common';
import {
  asCliError,
  CliError,
  densityArg,
  fieldArg,
  methodArg,
  PRUNING_FLAGS,
  required,
  roundsArg,
  scopeArg,
  valueFlags,
  type Args,
} from './args';
import { openDatasetForCli, DATASET_HELP } from './datasets';
import { maskFileMetadata, scoreMaskTensors } from './masks-file';

const USAGE = `px-lab prune --arch <zoo name | spec.json> --dataset <${DATASET_HELP}> --method <${METHOD_NAMES.join('|')}>
              --density D --rounds R --seed S [--examples-per-class K] [--batch-size B] [--scope global|local]
              [--data PATH] --out MASKS.safetensors [--summary S.json]`;

/** The parsed and checked arguments of one prune run (argument order = the order they are checked). */
interface PruneArgs {
  method: MethodId;
  model: Model;
  density: number;
  rounds: number;
  seed: number;
  perClass: number;
  batchSize: number;
  scope: 'global' | 'local';
  /** IMP's rewind point j (0: the initial weights). */
  impRewind: number;
  out: string;
  dataset: LabDataset;
  backend: BackendName;
  summary: string | undefined;
}

type PruneResult = Awaited<ReturnType<typeof runPruneJob>>;

async function pruneArgs(v: Args): Promise<PruneArgs> {
  const method = methodArg(v);
  const model = loadModel(required(v, 'arch'));
  const density = densityArg(v, NaN);
  if (Number.isNaN(density)) throw new CliError('missing --density');
  const rounds = roundsArg(v, 1);
  const seed = fieldArg(v, 'seed', FIELD_FACTS.seed, 0);
  const perClass = fieldArg(v, 'examples-per-class', FIELD_FACTS.examplesPerClass, 10);
  const batchSize = fieldArg(v, 'batch-size', FIELD_FACTS.pruneBatch, 128);
  const scope = scopeArg(v);
  // --imp-rewind J (docs/methods.md): not in USAGE, whose text is a pinned output (test/golden)
  const impRewind = fieldArg(v, 'imp-rewind', FIELD_FACTS.impRewind, 0);
  if (impRewind > 0 && method !== 'imp') throw new CliError(`--imp-rewind is an imp setting (the method is ${method})`);
  const out = required(v, 'out');
  const dataset: LabDataset = await openDatasetForCli(required(v, 'dataset'), model, seed, v.data as string | undefined);
  const backend = await setupBackend(v);
  return {
    method,
    model,
    density,
    rounds,
    seed,
    perClass,
    batchSize,
    scope,
    impRewind,
    out,
    dataset,
    backend,
    summary: v.summary as string | undefined,
  };
}

/** The examples the method scores on; a data problem is the user's (one line, exit 2). */
function pruneData(a: PruneArgs): ReturnType<typeof pruneExamples> {
  // PX: the class-balanced subset; SNIP/GraSP/NTK-SAP: seeded-shuffled batches of the training
  // split (the official loader shuffles; batch_limit). The same rule as sweep cells and the page.
  return asCliError(() => pruneExamples(a.dataset, a.method, { seed: a.seed, examplesPerClass: a.perClass, batchSize: a.batchSize }));
}

async function runPrune(a: PruneArgs, lossData: ArrayData | undefined, subsetData: ArrayData | undefined): Promise<PruneResult> {
  const { model, method, density, rounds, scope, seed, batchSize } = a;
  return asCliError(() =>
    runPruneJob({
      model,
      stateDict: initStateDict(model, seed),
      method,
      density,
      rounds,
      scope,
      seed,
      lossData,
      subsetData,
      batchSize,
      impRewind: a.impRewind,
      onRound: (r) => {
        if (rounds > 1 && ((r.round + 1) % 10 === 0 || r.round === 0))
          log(`round ${r.round + 1}/${rounds}: density ${r.density.toPrecision(4)}, kept ${r.kept}/${r.total}`);
      },
    }),
  );
}

function writePruneMasks(a: PruneArgs, res: PruneResult): void {
  const { model, dataset, seed, backend } = a;
  const metadata: Record<string, string> = {
    ...maskFileMetadata(model, a, res),
    dataset: dataset.label,
    seed: String(seed),
    backend,
    score_log_scale: String(res.meta.scoreLogScale ?? 0),
    ...(a.impRewind ? { imp_rewind: String(a.impRewind) } : {}),
  };
  // a rewound ticket is its masks and the weights at the rewind point (loadable as a state_dict)
  const weights = res.weights ? model.params.map((p) => ({ name: p.name, shape: p.torchShape, data: res.weights!.get(p.name)! })) : [];
  writeSafetensorsFile(a.out, [...weights, ...scoreMaskTensors(model, null, res.masks)], metadata);
}

function writePruneSummary(
  path: string,
  a: PruneArgs,
  res: PruneResult,
  seconds: number,
  indices: { subsetIndices: number[]; lossIndices: number[] },
): void {
  const { model } = a;
  const layers = model.prunable.map((l, i) => ({
    name: l.weight,
    numel: l.numel,
    kept: res.rounds[res.rounds.length - 1].keptPerLayer[i],
  }));
  writeFile(
    path,
    JSON.stringify(
      {
        arch: model.spec,
        dataset: a.dataset.label,
        method: a.method,
        density: a.density,
        rounds: a.rounds,
        scope: a.scope,
        ...(a.impRewind ? { imp_rewind: a.impRewind } : {}),
        seed: a.seed,
        examples_per_class: a.perClass,
        batch_size: a.batchSize,
        backend: a.backend,
        seconds,
        kept: res.kept,
        total: res.total,
        kept_fraction: res.kept / res.total,
        layers,
        subset_indices: indices.subsetIndices,
        loss_batch_indices: indices.lossIndices,
        // `sparse`: the official code's name for the round's density, kept in the file format
        per_round: res.rounds.map((r) => ({ round: r.round, sparse: r.density, k: r.k, kept: r.kept })),
        score_log_scale: res.meta.scoreLogScale ?? 0,
      },
      null,
      1,
    ),
  );
}

async function prune(v: Args): Promise<void> {
  const a = await pruneArgs(v);
  const { subsetData, lossData, subsetIndices, lossIndices } = pruneData(a);
  const t0 = performance.now();
  const res = await runPrune(a, lossData, subsetData);
  const seconds = (performance.now() - t0) / 1000;
  writePruneMasks(a, res);
  if (a.summary) writePruneSummary(a.summary, a, res, seconds, { subsetIndices, lossIndices });
  log(
    `${a.method} on ${a.model.label}, ${a.dataset.label}: kept ${res.kept}/${res.total} in ${seconds.toFixed(1)} s on ${a.backend} → ${a.out}`,
  );
}

export const pruneCommand = {
  usage: USAGE,
  options: { ...PRUNING_FLAGS, ...valueFlags('arch', 'dataset', 'seed', 'batch-size', 'imp-rewind', 'data', 'out', 'summary') },
  run: prune,
};
