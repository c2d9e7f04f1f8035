// px-lab prune: initialise a model from a seed, prune it on a dataset, write masks (+ summary).
import { runPruneJob } from '../core/job';
import { pruneExamples, type ArrayData } from '../core/examples';
import type { LabDataset } from '../core/data/dataset';
import { METHOD_NAMES } from '../shared/methods';
import { initStateDict } from '../core/models/state';
import { CliError, methodArg, loadModel, log, numberArg, parse, required, setupBackend, writeFile, writeSafetensorsFile } from './common';
import { openDatasetForCli, DATASET_HELP } from './datasets';
import { scoreMaskTensors } from './masks-file';

export const USAGE = `px-lab prune --arch <zoo name | spec.json> --dataset <${DATASET_HELP}> --method <${METHOD_NAMES.join('|')}>
              --density D --rounds R --seed S [--examples-per-class K] [--batch-size B] [--scope global|local]
              [--data PATH] --out MASKS.safetensors [--summary S.json]`;

export async function pruneCommand(argv: string[]): Promise<void> {
  const v = parse(argv, {
    arch: { type: 'string' },
    dataset: { type: 'string' },
    method: { type: 'string' },
    density: { type: 'string' },
    rounds: { type: 'string' },
    seed: { type: 'string' },
    'examples-per-class': { type: 'string' },
    'batch-size': { type: 'string' },
    scope: { type: 'string' },
    data: { type: 'string' },
    out: { type: 'string' },
    summary: { type: 'string' },
  });
  if (v.help) return void console.log(USAGE);
  const method = methodArg(v);
  const model = loadModel(required(v, 'arch'));
  const density = numberArg(v, 'density', NaN, (d) => d > 0 && d <= 1, 'in (0, 1]');
  if (Number.isNaN(density)) throw new CliError('missing --density');
  const rounds = numberArg(v, 'rounds', 1, (r) => Number.isInteger(r) && r >= 1 && r <= 10000, 'an integer in 1..10000');
  const seed = numberArg(v, 'seed', 0, (s) => Number.isInteger(s) && s >= 0 && s < 2 ** 31, 'an integer in 0..2^31-1');
  const perClass = numberArg(v, 'examples-per-class', 10, (k) => Number.isInteger(k) && k >= 1, 'a positive integer');
  const batchSize = numberArg(v, 'batch-size', 128, (k) => Number.isInteger(k) && k >= 1, 'a positive integer');
  const scope = (v.scope as string | undefined) ?? 'global';
  if (scope !== 'global' && scope !== 'local') throw new CliError(`--scope must be global or local (got ${JSON.stringify(scope)})`);
  const out = required(v, 'out');
  const dataset: LabDataset = await openDatasetForCli(required(v, 'dataset'), model, seed, v.data as string | undefined);
  const backend = await setupBackend(v);

  let subsetData: ArrayData | undefined;
  let lossData: ArrayData | undefined;
  let subsetIndices: number[] = [];
  let lossIndices: number[] = [];
  try {
    // PX: the class-balanced subset; SNIP/GraSP/NTK-SAP: seeded-shuffled batches of the training
    // split (the official loader shuffles; batch_limit). The same rule as sweep cells and the page.
    ({ subsetData, lossData, subsetIndices, lossIndices } = pruneExamples(dataset, method, { seed, examplesPerClass: perClass, batchSize }));
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const t0 = performance.now();
  let res;
  try {
    res = await runPruneJob({
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
      onRound: (r) => {
        if (rounds > 1 && ((r.round + 1) % 10 === 0 || r.round === 0)) log(`round ${r.round + 1}/${rounds}: density ${r.density.toPrecision(4)}, kept ${r.kept}/${r.total}`);
      },
    });
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const seconds = (performance.now() - t0) / 1000;
  const metadata: Record<string, string> = {
    method,
    rounds: String(rounds),
    density: String(density),
    scope,
    kept: String(res.kept),
    total: String(res.total),
    arch: JSON.stringify(model.spec),
    dataset: dataset.label,
    seed: String(seed),
    backend,
    score_log_scale: String(res.meta.scoreLogScale ?? 0),
  };
  writeSafetensorsFile(out, scoreMaskTensors(model, null, res.masks), metadata);
  if (v.summary) {
    const layers = model.prunable.map((l, i) => ({ name: l.weight, numel: l.numel, kept: res.rounds[res.rounds.length - 1].keptPerLayer[i] }));
    writeFile(
      v.summary as string,
      JSON.stringify(
        {
          arch: model.spec,
          dataset: dataset.label,
          method,
          density,
          rounds,
          scope,
          seed,
          examples_per_class: perClass,
          batch_size: batchSize,
          backend,
          seconds,
          kept: res.kept,
          total: res.total,
          kept_fraction: res.kept / res.total,
          layers,
          subset_indices: subsetIndices,
          loss_batch_indices: lossIndices,
          // `sparse`: the official code's name for the round's density, kept in the file format
          per_round: res.rounds.map((r) => ({ round: r.round, sparse: r.density, k: r.k, kept: r.kept })),
          score_log_scale: res.meta.scoreLogScale ?? 0,
        },
        null,
        1,
      ),
    );
  }
  log(`${method} on ${model.label}, ${dataset.label}: kept ${res.kept}/${res.total} in ${seconds.toFixed(1)} s on ${backend} → ${out}`);
}
