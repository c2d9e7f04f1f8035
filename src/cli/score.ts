// px-lab score: scores (last round) and masks of one method on given weights and inputs.
import { runScoreJob } from '../core/job';
import { METHOD_NAMES } from '../shared/methods';
import { FIELD_FACTS } from '../shared/fields';
import { loadInputs, loadModel, loadWeights, log, setupBackend, writeSafetensorsFile } from './common';
import { asCliError, densityArg, fieldArg, methodArg, PRUNING_FLAGS, required, roundsArg, scopeArg, valueFlags, type Args } from './args';
import { maskFileMetadata, scoreMaskTensors } from './masks-file';

const USAGE = `px-lab score --arch <zoo name | spec.json> --weights W.safetensors --inputs X.safetensors
              --method <${METHOD_NAMES.join('|')}> [--density D] [--rounds R] [--scope global|local]
              [--examples-per-class K] [--batch-size B] [--seed S] --out OUT.safetensors`;

async function score(v: Args): Promise<void> {
  const method = methodArg(v);
  const model = loadModel(required(v, 'arch'));
  const stateDict = loadWeights(model, required(v, 'weights'));
  const inputs = loadInputs(required(v, 'inputs'), model.classes);
  const out = required(v, 'out');
  const density = densityArg(v, 1);
  const rounds = roundsArg(v, 1);
  const scope = scopeArg(v);
  const examplesPerClass =
    v['examples-per-class'] === undefined ? undefined : fieldArg(v, 'examples-per-class', FIELD_FACTS.examplesPerClass, 1);
  const batchSize = v['batch-size'] === undefined ? undefined : fieldArg(v, 'batch-size', FIELD_FACTS.pruneBatch, 1);
  const seed = fieldArg(v, 'seed', FIELD_FACTS.seed, 0);
  const backend = await setupBackend(v);
  const t0 = performance.now();
  const res = await asCliError(() =>
    runScoreJob({
      model,
      stateDict,
      x: inputs.x,
      xShape: inputs.shape,
      y: inputs.y,
      method,
      density,
      rounds,
      scope,
      examplesPerClass,
      batchSize,
      seed,
      onRound: (r) => {
        if (rounds > 1) log(`round ${r.round + 1}/${rounds}: density ${r.density.toPrecision(4)}, kept ${r.kept}/${r.total}`);
      },
    }),
  );
  writeSafetensorsFile(out, scoreMaskTensors(model, res.scores, res.masks), {
    ...maskFileMetadata(model, { method, rounds, density, scope }, res),
    backend,
    seed: String(seed),
    score_log_scale: String(res.meta.scoreLogScale ?? 0),
    score_scale_note: 'true scores = stored scores × exp(score_log_scale)',
    ...(res.subsetIndices.length ? { subset_indices: JSON.stringify(res.subsetIndices) } : {}),
    // `sparse`: the official code's name for the round's density, kept in the file format
    per_round: JSON.stringify(
      res.rounds.map((r) => ({ round: r.round, sparse: r.density, k: r.k, threshold: r.threshold, kept: r.kept, total: r.total })),
    ),
  });
  log(
    `${method}: kept ${res.kept}/${res.total} (${((100 * res.kept) / res.total).toFixed(2)}%) in ${((performance.now() - t0) / 1000).toFixed(2)} s on ${backend} → ${out}`,
  );
}

export const scoreCommand = {
  usage: USAGE,
  options: { ...PRUNING_FLAGS, ...valueFlags('arch', 'weights', 'inputs', 'out', 'batch-size', 'seed') },
  run: score,
};
