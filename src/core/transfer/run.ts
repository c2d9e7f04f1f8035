// The official transfer protocol (px-ntk-pruning transfer_classification.py), DOM-free:
//  1. the pretrained backbone's classifier is replaced by a ridge head fitted in closed form on the
//     dense backbone's features of the downstream data (training split by default; the official
//     code uses the test split, offered as headSplit 'test');
//  2. each method prunes the backbone (head excluded) with scores computed on the downstream
//     training split, chosen as `px-lab prune`/sweeps choose them (PX: first k per class;
//     SNIP/GraSP/NTK-SAP: one seeded batch; iterative methods `rounds` rounds);
//  3. zero-shot: downstream test accuracy of the pruned backbone with the dense head (eval-mode BN);
//     beside it the lab's linear probe: the same ridge solver refitted on the pruned backbone's own
//     features of the head split (optionally after recalibrating its BN statistics on the training
//     split), evaluated the same way. Pruning shifts the features (mostly their mean), which the
//     dense head does not survive; the probe measures what the features still separate;
//  4. optional fine-tuning: SGD lr 5e-5, momentum 0.9, wd 1e-4, BN frozen, head frozen, MSE to
//     one-hot (the official ImageNet10 recipe), then the same evaluation.
// Departures: the pruners' loss (SNIP, GraSP) is the lab's cross-entropy, where the official
// transfer script passes its MSE-to-one-hot loss; the fine-tuning LR is constant (the official
// MultiStepLR milestones 30/60/80 are beyond the lab's short budgets); no AMP (float32 throughout).
import { throwIfAborted } from '../abort';
import type { LabDataset } from '../data/dataset';
import { runPruneJob } from '../job';
import type { StateDict } from '../models/state';
import type { Model } from '../models/types';
import type { RoundInfo } from '../pruners/schedule';
import { datasetSource } from '../train/data';
import { pruneExamples } from '../examples';
import { parseMethod } from '../pruners';
import { roundsFor } from '../../shared/methods';
import { evaluate, runTrainJob } from '../train/trainer';
import { DEFAULT_RECIPE, type EpochLog } from '../../shared/train';
import { FINE_TUNE, TransferSettingsSchema, transferSeeds, type TransferCell, type TransferSettings } from '../../shared/transfer';
import { backboneModel, extractFeatures, headLayer, withHead } from './backbone';
import { recalibrateBn } from './recalibrate';
import { fitRidgeHead, RIDGE_ALPHA, type RidgeHead } from './ridge';

export interface TransferJob {
  /** The architecture; its classes must be the downstream classes (the head's outputs). */
  model: Model;
  /** Pretrained weights (PyTorch names/layouts); the classifier's values are not used. */
  stateDict: StateDict;
  /** The downstream dataset, opened for the model's input. */
  downstream: LabDataset;
  settings: TransferSettings;
  signal?: AbortSignal;
  onStage?: (s: TransferStage) => void | Promise<void>;
  onRound?: (method: string, density: number, r: RoundInfo) => void | Promise<void>;
  onCell?: (c: TransferCell) => void | Promise<void>;
  /** The dense backbone with the head, before any pruning. */
  onDense?: (d: TransferRun['dense'] & { headSamples: number }) => void | Promise<void>;
  onEpoch?: (method: string, density: number, e: EpochLog) => void | Promise<void>;
}

export type TransferStage = { stage: 'features' | 'head' | 'dense' | 'prune' | 'probe' | 'fine-tune'; method?: string; density?: number };

export interface TransferRun {
  /** The downstream dataset as used (with any first-N limits). */
  dataset: string;
  head: RidgeHead & { split: TransferSettings['headSplit']; samples: number };
  dense: { zeroShotAccuracy: number; fineTunedAccuracy: number | null };
  cells: TransferCell[];
}

/** Fit the official ridge head on the backbone's features of one downstream split (dense, or
 * with `masks`: the linear probe of a pruned backbone). */
export async function fitHead(
  model: Model,
  sd: StateDict,
  ds: LabDataset,
  split: TransferSettings['headSplit'],
  signal?: AbortSignal,
  masks?: Map<string, Float32Array>,
): Promise<TransferRun['head']> {
  const f = await extractFeatures(model, sd, ds, split, 500, signal, masks);
  return { ...fitRidgeHead({ ...f, classes: model.classes }, RIDGE_ALPHA), split, samples: f.n };
}

/** Test accuracy of the pruned backbone with a head refitted on its own features (same solver,
 * same split as the dense head), after recalibrating BN when the settings ask. */
export async function probeAccuracy(
  model: Model,
  sd: StateDict,
  masks: Map<string, Float32Array> | undefined,
  downstream: LabDataset,
  settings: Pick<TransferSettings, 'headSplit' | 'recalibrateBn'>,
  signal?: AbortSignal,
): Promise<number> {
  const backbone = backboneModel(model);
  const stats = settings.recalibrateBn ? await recalibrateBn(backbone, sd, masks, downstream, 500, signal) : sd;
  const probe = await fitHead(model, stats, downstream, settings.headSplit, signal, masks);
  return (await evaluate(backbone, withHead(model, stats, probe), masks, datasetSource(downstream, 'test'))).accuracy;
}

async function fineTune(
  job: TransferJob,
  backbone: Model,
  sd: StateDict,
  masks: Map<string, Float32Array> | undefined,
  method: string,
  density: number,
  seed = job.settings.seed,
): Promise<{ accuracy: number; seconds: number }> {
  const { settings, downstream, model } = job;
  const head = headLayer(model);
  const res = await runTrainJob({
    model: backbone,
    stateDict: sd,
    masks,
    train: datasetSource(downstream, 'train'),
    test: datasetSource(downstream, 'test'),
    recipe: { ...DEFAULT_RECIPE, ...FINE_TUNE, epochs: settings.fineTuneEpochs, schedule: 'constant', augment: false, seed },
    tune: { bn: 'eval', frozen: [head.weight, `${head.module}.bias`], loss: 'mse' },
    signal: job.signal,
    onEpoch: (e) => job.onEpoch?.(method, density, e),
  });
  return { accuracy: res.final!.accuracy, seconds: res.seconds };
}

/** The first `train`/`test` examples of each split (0 = all): a shorter run on a slow machine. */
export function limitDataset(ds: LabDataset, limits: { train: number; test: number }): LabDataset {
  if (!limits.train && !limits.test) return ds;
  const n = (split: 'train' | 'test') => (limits[split] ? Math.min(limits[split], ds.size(split)) : ds.size(split));
  const label = `${ds.label} (first ${n('train')} train / ${n('test')} test)`;
  return { ...ds, label, size: n, labels: (split) => ds.labels(split).subarray(0, n(split)), batch: (split, idx) => ds.batch(split, idx) };
}

interface CellContext {
  settings: TransferSettings;
  backbone: Model;
  sd: StateDict;
  downstream: LabDataset;
  test: ReturnType<typeof datasetSource>;
  total: number;
}

/** One method × density × seed: prune with downstream data, zero-shot with the dense head, the probe, fine-tuning. */
async function transferCell(
  job: TransferJob,
  { settings, backbone, sd, downstream, test, total }: CellContext,
  { method, density, seed }: { method: string; density: number; seed: number },
): Promise<TransferCell> {
  await job.onStage?.({ stage: 'prune', method, density });
  const t0 = performance.now();
  const methodId = parseMethod(method);
  const inputs = pruneExamples(downstream, methodId, {
    seed,
    examplesPerClass: settings.examplesPerClass,
    batchSize: settings.pruneBatchSize,
  });
  const pruned = await runPruneJob({
    model: backbone,
    stateDict: sd,
    method: methodId,
    density,
    rounds: roundsFor(settings, methodId),
    scope: 'global',
    seed,
    lossData: inputs.lossData,
    subsetData: inputs.subsetData,
    batchSize: settings.pruneBatchSize,
    signal: job.signal,
    onRound: (r) => job.onRound?.(method, density, r),
  });
  const pruneSeconds = (performance.now() - t0) / 1000;
  const zero = (await evaluate(backbone, sd, pruned.masks, test)).accuracy;
  await job.onStage?.({ stage: 'probe', method, density });
  const probe = await probeAccuracy(job.model, sd, pruned.masks, downstream, settings, job.signal);
  let tuned: { accuracy: number; seconds: number } | null = null;
  if (settings.fineTuneEpochs > 0) {
    await job.onStage?.({ stage: 'fine-tune', method, density });
    tuned = await fineTune(job, backbone, sd, pruned.masks, method, density, seed);
  }
  return {
    method,
    density,
    seed,
    kept: pruned.kept,
    total,
    zeroShotAccuracy: zero,
    probeAccuracy: probe,
    fineTunedAccuracy: tuned?.accuracy ?? null,
    pruneSeconds,
    fineTuneSeconds: tuned?.seconds ?? 0,
  };
}

export async function runTransferJob(job: TransferJob): Promise<TransferRun> {
  const settings = TransferSettingsSchema.parse(job.settings);
  const { model } = job;
  const downstream = limitDataset(job.downstream, { train: settings.trainExamples, test: settings.testExamples });
  if (downstream.classes !== model.classes)
    throw new Error(`${downstream.label} has ${downstream.classes} classes, the head of ${model.label} has ${model.classes}`);
  const backbone = backboneModel(model);
  await job.onStage?.({ stage: 'features' });
  const head = await fitHead(model, job.stateDict, downstream, settings.headSplit, job.signal);
  await job.onStage?.({ stage: 'head' });
  const sd = withHead(model, job.stateDict, head);
  const test = datasetSource(downstream, 'test');
  await job.onStage?.({ stage: 'dense' });
  const denseZero = (await evaluate(backbone, sd, null, test)).accuracy;
  const denseTuned = settings.fineTuneEpochs > 0 ? (await fineTune(job, backbone, sd, undefined, 'dense', 1)).accuracy : null;
  await job.onDense?.({ zeroShotAccuracy: denseZero, fineTunedAccuracy: denseTuned, headSamples: head.samples });
  const total = backbone.prunable.reduce((a, l) => a + l.numel, 0);
  const cells: TransferCell[] = [];
  // seed-major, as a sweep's cells: a cancelled run keeps whole seeds' grids
  for (const seed of transferSeeds(settings))
    for (const method of settings.methods)
      for (const density of settings.densities) {
        throwIfAborted(job.signal);
        const cell = await transferCell(job, { settings, backbone, sd, downstream, test, total }, { method, density, seed });
        cells.push(cell);
        await job.onCell?.(cell);
      }
  return { dataset: downstream.label, head, dense: { zeroShotAccuracy: denseZero, fineTunedAccuracy: denseTuned }, cells };
}
