// px-lab train: train a (pruned) network with the official recipe.
//   exact form    --weights W --inputs X --steps K: K steps on X's rows in stored order (fidelity checks)
//   dataset form  --dataset D: initialise from --seed (or --weights), prune (--method/--density) or
//                 load --masks, train for --epochs, log train loss and test accuracy per epoch.
import { runPruneJob } from '../core/job';
import { initStateDict, type StateDict } from '../core/models/state';
import type { Model } from '../core/models';
import type { Scope } from '../core/pruners/masking';
import { METHOD_NAMES, isMethodId, roundsFor, type MethodId } from '../shared/methods';
import { pruneExamples } from '../core/examples';
import type { LabDataset } from '../core/data/dataset';
import { augmentationFor, datasetSource, runTrainJob, stepsPerEpoch, type MaskMap, type TrainJob, type TrainResult } from '../core/train';
import { defaultAugment, type EpochLog, type TrainRecipe } from '../shared/train';
import type { TensorToWrite } from '../shared/safetensors';
import { FIELD_FACTS } from '../shared/fields';
import { checkOutPath, loadInputs, loadModel, loadWeights, log, setupBackend, writeFile, writeSafetensorsFile } from './common';
import { asCliError, CliError, densityArg, fieldArg, PRUNING_FLAGS, required, roundsArg, scopeArg, valueFlags, type Args } from './args';
import { DATASET_HELP, openDatasetForCli } from './datasets';
import { maskName } from '../shared/maskNames';
import { loadMasks } from './masks-file';
import { ablationArg, RECIPE_OPTIONS, RECIPE_USAGE, recipeFromArgs } from './recipe-args';

const USAGE = `px-lab train --arch A --weights W.safetensors [--masks M.safetensors] --inputs X.safetensors --batch-size B --steps K
              --lr L --momentum 0.9 --weight-decay WD [--nesterov] --no-shuffle --no-augment --out OUT.safetensors
px-lab train --arch A --dataset <${DATASET_HELP}> (--masks M | --method <${METHOD_NAMES.join('|')}> --density d [--rounds R] | --method dense)
              --epochs E --seed S [--weights W] [--data PATH] [--examples-per-class 10] [--prune-batch-size 128]
              ${RECIPE_USAGE}
              --out OUT.safetensors [--log LOG.json]`;

// Shown by `px-lab train --help` only: the overview `px-lab --help` is a pinned output.
const MORE_USAGE = `  --scope global|local   where the pruner ranks weights (default global), as the page's Scope
  --imp-rewind J         imp: rewind to step J of a round's 8 training steps and train the ticket from there (default 0)`;

const OPTIONS = {
  ...RECIPE_OPTIONS,
  ...PRUNING_FLAGS,
  ...valueFlags('arch', 'weights', 'masks', 'inputs', 'out', 'dataset', 'data', 'prune-batch-size', 'imp-rewind', 'log'),
};

/** The trained state (every model entry, PyTorch layout) and the masks used, as written to OUT. */
function stateTensors(model: Model, res: TrainResult): TensorToWrite[] {
  const out: TensorToWrite[] = model.params.map((p) => ({ name: p.name, shape: p.torchShape, data: res.stateDict.get(p.name)! }));
  if (res.masks)
    for (const l of model.prunable) out.push({ name: maskName(l.weight), shape: l.torchShape, data: res.masks.get(l.weight)! });
  return out;
}

function printEpoch(e: EpochLog, epochs: number): void {
  const acc = e.testAccuracy === null ? '' : `, test accuracy ${(100 * e.testAccuracy).toFixed(2)}%, test loss ${e.testLoss!.toFixed(4)}`;
  log(`epoch ${e.epoch + 1}/${epochs}: train loss ${e.trainLoss.toFixed(4)}${acc} (${e.seconds.toFixed(1)} s)`);
}

async function train(job: TrainJob): Promise<TrainResult> {
  return asCliError(() => runTrainJob(job));
}

async function exactForm(v: Record<string, unknown>, model: Model): Promise<void> {
  if (v.dataset || v.method) throw new CliError('--inputs trains on given rows: leave out --dataset and --method');
  if (v.epochs !== undefined) throw new CliError('--inputs needs --steps K (exactly K optimiser steps), not --epochs');
  const stateDict = loadWeights(model, required(v, 'weights'));
  const masks = v.masks ? loadMasks(model, v.masks as string) : undefined;
  const inputs = loadInputs(required(v, 'inputs'), model.classes);
  const recipe = recipeFromArgs(v, { schedule: 'constant', augment: false });
  if (recipe.steps === null) throw new CliError('missing --steps');
  const out = required(v, 'out');
  const backend = await setupBackend(v);
  const res = await train({ model, stateDict, masks, train: inputs, recipe, ablation: ablationArg(v) });
  writeSafetensorsFile(out, stateTensors(model, res), {
    losses: JSON.stringify(res.losses),
    recipe: JSON.stringify(recipe),
    arch: JSON.stringify(model.spec),
    backend,
  });
  log(
    `trained ${model.label}: ${res.steps} steps on ${backend} in ${res.seconds.toFixed(1)} s, last loss ${res.losses[res.losses.length - 1]?.toFixed(4)} → ${out}`,
  );
}

/** The dataset form's prune step (on the training split): its masks and time taken. */
async function pruneBeforeTraining(p: {
  model: Model;
  stateDict: StateDict;
  dataset: LabDataset;
  method: MethodId;
  density: number;
  rounds: number;
  scope: Scope;
  seed: number;
  perClass: number;
  pruneBatch: number;
  invert: boolean;
  impRewind: number;
}): Promise<{ masks: MaskMap; seconds: number; weights?: StateDict }> {
  const { model, stateDict, dataset, method, density, rounds, scope, seed, perClass, pruneBatch, invert, impRewind } = p;
  const t0 = performance.now();
  const { masks, weights } = await asCliError(async () => {
    const inputs = pruneExamples(dataset, method, { seed, examplesPerClass: perClass, batchSize: pruneBatch });
    return runPruneJob({
      model,
      stateDict,
      method,
      density,
      rounds,
      scope,
      seed,
      lossData: inputs.lossData,
      subsetData: inputs.subsetData,
      batchSize: pruneBatch,
      invert,
      impRewind: method === 'imp' ? impRewind : undefined,
    });
  });
  const seconds = (performance.now() - t0) / 1000;
  log(`${method} pruned to density ${density} in ${seconds.toFixed(1)} s`);
  return { masks, seconds, weights };
}

/** The dataset form's arguments, checked in this order before anything is loaded. */
function datasetFormArgs(v: Record<string, unknown>) {
  const datasetName = required(v, 'dataset');
  const method = (v.method as string | undefined) ?? (v.masks ? 'masks' : undefined);
  if (!method) throw new CliError('give --masks M.safetensors, --method X --density d, or --method dense');
  if (v.masks && v.method) throw new CliError('give --masks or --method, not both');
  if (method !== 'dense' && method !== 'masks' && !(METHOD_NAMES as readonly string[]).includes(method))
    throw new CliError(`unknown method "${method}" (known: ${METHOD_NAMES.join(', ')}, dense)`);
  const density = densityArg(v, NaN);
  if (method !== 'dense' && method !== 'masks' && Number.isNaN(density)) throw new CliError('missing --density');
  const rounds = roundsArg(v, isMethodId(method) ? roundsFor({ rounds: 100 }, method) : 1);
  const scope = scopeArg(v);
  const perClass = fieldArg(v, 'examples-per-class', FIELD_FACTS.examplesPerClass, 10);
  const pruneBatch = fieldArg(v, 'prune-batch-size', FIELD_FACTS.pruneBatch, 128);
  const impRewind = fieldArg(v, 'imp-rewind', FIELD_FACTS.impRewind, 0);
  if (impRewind > 0 && method !== 'imp') throw new CliError(`--imp-rewind is an imp setting (the method is ${method})`);
  const recipe = recipeFromArgs(v, { augment: defaultAugment(datasetName) });
  const ablation = ablationArg(v);
  if (ablation === 'invert-scores' && (method === 'masks' || method === 'dense'))
    throw new CliError("--ablation invert-scores inverts a method's scores when pruning: give --method X --density d");
  const out = required(v, 'out');
  return { datasetName, method, density, rounds, scope, perClass, pruneBatch, impRewind, recipe, ablation, out };
}

async function datasetForm(v: Record<string, unknown>, model: Model): Promise<void> {
  const { datasetName, method, density, rounds, scope, perClass, pruneBatch, impRewind, recipe, ablation, out } = datasetFormArgs(v);
  const stateDict: StateDict = v.weights ? loadWeights(model, v.weights as string) : initStateDict(model, recipe.seed);
  let masks: MaskMap | undefined = method === 'masks' ? loadMasks(model, v.masks as string) : undefined;
  const dataset = await openDatasetForCli(datasetName, model, recipe.seed, v.data as string | undefined);
  const backend = await setupBackend(v);
  const pruned =
    method === 'dense' || method === 'masks'
      ? null
      : await pruneBeforeTraining({
          model,
          stateDict,
          dataset,
          method: method as MethodId,
          density,
          rounds,
          scope,
          seed: recipe.seed,
          perClass,
          pruneBatch,
          invert: ablation === 'invert-scores',
          impRewind,
        });
  if (pruned) masks = pruned.masks;
  const pruneSeconds = pruned?.seconds ?? 0;
  const augmentation = augmentationFor(dataset.name, model.input[0]);
  const res = await train({
    model,
    // an IMP ticket rewound to step j > 0 trains from θ_j, as a sweep cell does (core/train/sweep.ts)
    stateDict: pruned?.weights ?? stateDict,
    masks,
    train: datasetSource(dataset, 'train'),
    test: datasetSource(dataset, 'test'),
    recipe,
    ablation,
    augmentation,
    onEpoch: (e) => printEpoch(e, epochCount(recipe, dataset.size('train'))),
  });
  const kept = res.masks
    ? [...res.masks.values()].reduce((a, m) => a + m.reduce((s, x) => s + x, 0), 0)
    : model.prunable.reduce((a, l) => a + l.numel, 0);
  const total = model.prunable.reduce((a, l) => a + l.numel, 0);
  const summary = {
    arch: model.spec,
    dataset: dataset.label,
    method,
    density: method === 'dense' ? 1 : method === 'masks' ? kept / total : density,
    rounds: method === 'dense' || method === 'masks' ? 0 : rounds,
    ...(scope === 'global' ? {} : { scope }),
    ...(impRewind > 0 ? { imp_rewind: impRewind } : {}),
    kept,
    total,
    ablation,
    recipe,
    // what recipe.augment did on this dataset (the dataset table's shift and flip)
    ...(recipe.augment ? { augmentation: { pad: augmentation.pad, flip: augmentation.flip } } : {}),
    backend,
    prune_seconds: pruneSeconds,
    train_seconds: res.seconds,
    steps: res.steps,
    test_accuracy: res.final?.accuracy ?? null,
    test_loss: res.final?.loss ?? null,
    epochs: res.epochs,
    losses: res.losses,
  };
  writeSafetensorsFile(out, stateTensors(model, res), {
    losses: JSON.stringify(res.losses),
    recipe: JSON.stringify(recipe),
    arch: JSON.stringify(model.spec),
    backend,
    method,
    ablation,
    dataset: dataset.label,
  });
  if (v.log) writeFile(v.log as string, JSON.stringify(summary, null, 1));
  log(
    `${method} ${model.label} on ${dataset.label}: test accuracy ${((res.final?.accuracy ?? NaN) * 100).toFixed(2)}% after ${res.steps} steps (${res.seconds.toFixed(1)} s on ${backend}) → ${out}`,
  );
}

/** Epochs a recipe runs on n examples (a step budget may end inside an epoch). */
export function epochCount(recipe: TrainRecipe, n: number): number {
  return recipe.steps === null ? recipe.epochs : Math.ceil(recipe.steps / stepsPerEpoch(n, recipe.batchSize));
}

async function trainRun(v: Args): Promise<void> {
  const model = loadModel(required(v, 'arch'));
  // refused before any training: a folder given as an output
  checkOutPath(v.out as string | undefined, 'out');
  checkOutPath(v.log as string | undefined, 'log');
  if (v.inputs) return exactForm(v, model);
  if (!v.dataset) throw new CliError('give --inputs X.safetensors (exact form) or --dataset D');
  return datasetForm(v, model);
}

export const trainCommand = { usage: USAGE, help: `${USAGE}\n${MORE_USAGE}`, options: OPTIONS, run: trainRun };
