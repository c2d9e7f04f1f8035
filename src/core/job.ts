// Scoring and pruning from plain arrays (PyTorch layout in and out): what the CLI, the tests and
// the worker call. Builds the batches as the official code does, runs the schedule, frees every
// tensor it made.
import { balancedSubset, maxPerClass } from './data/subset';
import { selectExamples, tensorBatches, type ArrayData } from './examples';
import { disposeMap, tfToTorch, toParamMap, type ParamMap, type StateDict } from './models/state';
import type { Model } from './models/types';
import { makePruner } from './pruners';
import { readFlat } from './pruners/masking';
import { prune, type RoundInfo } from './pruners/schedule';
import type { Scope } from './pruners/masking';
import { Rng } from './rng';
import { concatTyped } from './concat';
import { requireFinite, showName } from '../shared/safetensors';
import type { MethodId } from '../shared/methods';

/** What a round hands out besides its RoundInfo: flat reads (model order, tfjs layout) of the
 * round's masks and scores, valid only during the onRound call (the path recorder and the live
 * charts read them; the CLI does not, and pays nothing). */
export interface RoundReads {
  /** Flat 0/1 mask after the round. */
  mask(): Promise<Float32Array>;
  /** Flat scores of the round. */
  scores(): Promise<Float32Array>;
}

export type OnRound = (info: RoundInfo, reads: RoundReads) => void | Promise<void>;

export interface ScoreJob {
  model: Model;
  stateDict: StateDict;
  /** Inputs, NCHW. */
  x: Float32Array;
  xShape: [number, number, number, number];
  y: Int32Array;
  method: MethodId;
  density: number;
  rounds: number;
  scope?: Scope;
  seed?: number;
  /** PX subset: examples per class (default: the most every class has). */
  examplesPerClass?: number;
  /** Batch size for SNIP/GraSP/NTK-SAP and the PX subset (default: everything in one batch). */
  batchSize?: number;
  /** Batches SNIP/GraSP/NTK-SAP/PX-2024 read (official batch_limit; default the method's, else 1). */
  batchLimit?: number;
  signal?: AbortSignal;
  onRound?: OnRound;
}

export interface ScoreJobResult {
  /** Last-round scores per prunable weight, PyTorch layout. */
  scores: Map<string, Float32Array>;
  /** Final 0/1 masks, PyTorch layout (scores and masks empty for a flatOnly job). */
  masks: Map<string, Float32Array>;
  /** The same final mask flat: model order, tfjs layout (what the worker keeps). */
  flatMask: Uint8Array;
  rounds: RoundInfo[];
  kept: number;
  total: number;
  subsetIndices: number[];
  meta: Record<string, number | string>;
  /** The weights the pruned network trains from when the method moved them (IMP rewound to
   * iteration j > 0), PyTorch layout; absent: the starting weights. */
  weights?: StateDict;
}

export interface PruneJob {
  model: Model;
  stateDict: StateDict;
  method: MethodId;
  density: number;
  rounds: number;
  scope?: Scope;
  seed?: number;
  /** Examples SNIP/GraSP/NTK-SAP read, in order. */
  lossData?: ArrayData;
  /** The class-balanced subset PX reads, in order. */
  subsetData?: ArrayData;
  /** Batch size over both (default: everything in one batch). */
  batchSize?: number;
  /** Batches of lossData read (official batch_limit; default the method's, else 1). */
  batchLimit?: number;
  /** Keep the lowest scores (the inversion control, pruners/inversion.ts). */
  invert?: boolean;
  /** IMP's rewind point j in steps (default 0). */
  impRewind?: number;
  signal?: AbortSignal;
  /** After each round (await it to pace the loop, e.g. to let a cancel message in). */
  onRound?: OnRound;
  /** Only the flat final mask (the worker): skip reading the last scores and the PyTorch-layout
   * copies, which on a GPU backend and VGG-16 are a 60 MB read for nothing. */
  flatOnly?: boolean;
}

/** Device parameters (tfjs layout) back to a state_dict (PyTorch layout). */
async function readStateDict(model: Model, params: ParamMap): Promise<StateDict> {
  const sd: StateDict = new Map();
  for (const p of model.params) sd.set(p.name, tfToTorch(p, (await params[p.name].data()) as Float32Array));
  return sd;
}

const toBits = (m: Float32Array) => Uint8Array.from(m, (v) => (v !== 0 ? 1 : 0));

/** Shapes, finiteness and labels of examples: checked before anything is allocated. */
function checkData(model: Model, d: ArrayData, what: string): void {
  const [n, c, h, w] = d.shape;
  if (n === 0) throw new Error(`${what}: the inputs are empty (0 examples)`);
  if (c !== model.input[0] || h !== model.input[1] || w !== model.input[2])
    throw new Error(`${what}: inputs are ${c}×${h}×${w}, ${model.label} needs ${model.input.join('×')}`);
  if (d.y.length !== n) throw new Error(`${what}: ${n} inputs but ${d.y.length} labels`);
  if (d.x.length !== n * c * h * w) throw new Error(`${what}: ${d.x.length} values for shape [${d.shape}]`);
  for (const v of d.y) if (!(v >= 0 && v < model.classes)) throw new Error(`${what}: label ${v} outside 0..${model.classes - 1}`);
  requireFinite(d.x, d.shape, `${what}: x`);
}

/** Every parameter finite (NaN/Inf weights give NaN scores, which rank nothing). */
export function checkStateDictFinite(model: Model, sd: StateDict): void {
  for (const p of model.params) {
    const v = sd.get(p.name);
    if (v) requireFinite(v, p.torchShape, `weights: tensor ${showName(p.name)}`);
  }
}

/** Prune from arrays: THE pruning driver every front end (CLI, sweep cells, the page's worker,
 * tests) runs: the same batches, random streams and schedule; frees every tensor it makes, also
 * when aborted. */
export async function runPruneJob(job: PruneJob): Promise<ScoreJobResult> {
  const { model } = job;
  const pruner = makePruner(job.method, { impRewind: job.impRewind });
  const needs = pruner.data;
  if (needs === 'loss-batches' && !job.lossData) throw new Error(`${job.method} needs data`);
  if (needs === 'subset' && !job.subsetData) throw new Error(`${job.method} needs the class-balanced subset`);
  checkStateDictFinite(model, job.stateDict);
  if (job.lossData) checkData(model, job.lossData, 'loss data');
  if (job.subsetData) checkData(model, job.subsetData, 'subset');
  const lossBatches =
    needs === 'loss-batches'
      ? tensorBatches(job.lossData!, job.batchSize ?? job.lossData!.shape[0], job.batchLimit ?? pruner.batchLimit ?? 1)
      : [];
  const subsetBatches = needs === 'subset' ? tensorBatches(job.subsetData!, job.batchSize ?? job.subsetData!.shape[0], Infinity) : [];
  const params = toParamMap(model, job.stateDict);
  try {
    const res = await prune(
      pruner,
      { model, params, lossBatches, subsetBatches, rng: Rng.derive(job.seed ?? 0, `score:${job.method}`) },
      {
        density: job.density,
        rounds: job.rounds,
        scope: job.scope ?? 'global',
        invert: job.invert,
        signal: job.signal,
        onRound:
          job.onRound &&
          ((info, masks, scores) => job.onRound!(info, { mask: () => readFlat(model, masks), scores: () => readFlat(model, scores) })),
      },
    );
    const scores = new Map<string, Float32Array>();
    const masks = new Map<string, Float32Array>();
    let flatMask: Uint8Array;
    try {
      if (job.flatOnly) flatMask = toBits(await readFlat(model, res.masks));
      else {
        // one read per layer gives both layouts
        const parts: Float32Array[] = [];
        for (const l of model.prunable) {
          const mask = (await res.masks[l.weight].data()) as Float32Array;
          parts.push(mask);
          scores.set(l.weight, tfToTorch(l, (await res.scores[l.weight].data()) as Float32Array));
          masks.set(l.weight, tfToTorch(l, mask));
        }
        flatMask = toBits(concatTyped(Float32Array, parts));
      }
    } finally {
      disposeMap(res.scores);
      disposeMap(res.masks);
    }
    const last = res.rounds[res.rounds.length - 1];
    const ticket = pruner.ticketWeights?.();
    const weights = ticket ? { weights: await readStateDict(model, ticket) } : {};
    return {
      scores,
      masks,
      flatMask,
      rounds: res.rounds,
      kept: last.kept,
      total: last.total,
      subsetIndices: [],
      meta: last.meta ?? {},
      ...weights,
    };
  } finally {
    pruner.dispose?.();
    disposeMap(params);
    for (const b of [...lossBatches, ...subsetBatches]) {
      b.x.dispose();
      b.y.dispose();
    }
  }
}

/**
 * Score with given inputs (the CLI's `score`, the fixtures): SNIP/GraSP/NTK-SAP read the inputs
 * in stored order, PX the class-balanced subset of them (examplesPerClass, default the most
 * every class has), both batched by batchSize (default all in one batch).
 */
export async function runScoreJob(job: ScoreJob): Promise<ScoreJobResult> {
  const data: ArrayData = { x: job.x, shape: job.xShape, y: job.y };
  checkData(job.model, data, 'inputs');
  const subsetIndices = balancedSubset(job.y, job.examplesPerClass ?? maxPerClass(job.y));
  const res = await runPruneJob({ ...job, lossData: data, subsetData: selectExamples(data, subsetIndices) });
  const usesSubset = makePruner(job.method).data === 'subset';
  return { ...res, subsetIndices: usesSubset ? subsetIndices : [] };
}
