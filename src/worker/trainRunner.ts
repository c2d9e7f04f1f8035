// Training and sweeps in the worker, free of `self` and the DOM (tested in Node). A request is a
// sweep plan; its cells run one after the other through core/train's runSweepCell, the function
// `px-lab sweep --cell` and `px-lab train` run, so the page's numbers are the CLI's. Every line of
// a Train request is a cell of the same seed: the same initial weights for every method and dense.
//
// Events: train-start, then per cell cell-start, prune-round*, train-steps* (throttled),
// train-epoch+, cell-done; then one `end` (done, cancelled or error). The ETA extrapolates
// the measured time per optimiser step and per pruning round over the work left.
// Cancellation: requests run through LatestJob (a newer request supersedes, and waits for, the
// older one); the runner yields a macrotask every few steps so a cancel message gets in.
import type { LabDataset } from '../core/data/dataset';
import { buildModel } from '../core/models';
import type { Model } from '../core/models/types';
import type { StateDict } from '../core/models/state';
import { tf } from '../core/tf';
import { runSweepCell, stepsPerEpoch, totalSteps } from '../core/train';
import { roundsFor } from '../shared/methods';
import { SweepPlanSchema, planCells, type SweepCell, type SweepPlan } from '../shared/train';
import type { BackendName, StepPoint, TrainEvent, TrainRequest, TrainResult } from '../shared/protocol';
import { DEFAULT_CONFIG } from '../shared/config';
import { openSyntheticOnly, type DatasetOpener } from './data';
import { BACKEND_BUDGET, estimateMemory } from './memory';
import { backendFailure, isAbort, throwIfAborted } from './abort';
import { LatestJob, taggedCode, untilAborted } from './latestJob';
import { RunError } from '../shared/runError';
import { modelInfo } from './layerStats';
import { LruCache } from './lru';
import { nextTask } from './yield';
import { evaluationsPerCell, WorkClock } from './workClock';
import { checkEpochLog, checkFiniteRun, checkStepLoss, divergenceOf } from './divergence';

type Emit = (e: TrainEvent) => void;

export interface TrainRunnerOptions {
  openDataset?: DatasetOpener;
  /** Imported or pretrained weights for a model (replacing every cell's seeded initialisation). */
  weightsFor?: (model: string) => { key: string; stateDict: StateDict } | null;
  backend?: () => BackendName;
  /** Least time between two train-steps events of a cell (default 100 ms). */
  streamMs?: number;
  /** Steps between two macrotask yields (a cancel can only arrive then; default 4). */
  yieldEvery?: number;
  /** Test evaluations spread over a Train request's budget besides the epoch ends (default 8; sweeps: none). */
  evalPoints?: number;
  /** Memory budget in bytes (default: by backend, as pruning runs). */
  budgetBytes?: () => number;
}

type EvalInfo = { step: number; epoch: number; accuracy: number; loss: number };

/** What training one cell takes (TrainRunner.cellWork). */
interface CellWork {
  steps: number;
  perEpoch: number;
  evalEvery: number | undefined;
  evals: number;
}

/** The live accuracy curve's evaluations (every `evalEvery` steps), or none. */
function evalOptions(evalEvery: number | undefined, onEval: (e: EvalInfo) => void): { evalEvery?: number; onEval?: (e: EvalInfo) => void } {
  return evalEvery ? { evalEvery, onEval } : {};
}

/**
 * A cell's step points, buffered and sent as one train-steps event (with the clock's progress and
 * ETA) when `streamMs` has passed since the last one, and on `flush`.
 */
function stepStream(requestId: number, cell: SweepCell, clock: WorkClock, emit: Emit, start: number) {
  let points: StepPoint[] = [];
  let lastSent = start;
  const stream = {
    /** The epoch of the latest step (sent with the points). */
    epoch: 0,
    flush(): void {
      if (!points.length) return;
      emit({
        type: 'train-steps',
        requestId,
        cell,
        points,
        epoch: stream.epoch,
        progress: clock.progress(),
        etaMs: clock.etaMs(),
        msPerStep: clock.msPerStep(),
      });
      points = [];
      lastSent = performance.now();
    },
    push(point: StepPoint, now: number, streamMs: number): void {
      points.push(point);
      if (now - lastSent >= streamMs) stream.flush();
    },
  };
  return stream;
}

type EpochLog = Extract<TrainEvent, { type: 'train-epoch' }>['log'];

/** An epoch's end: its log, and its test evaluation when it has one. */
function emitEpoch(emit: Emit, requestId: number, cell: SweepCell, log: EpochLog): void {
  emit({ type: 'train-epoch', requestId, cell, log });
  if (log.testAccuracy !== null && log.testLoss !== null)
    emit({
      type: 'train-eval',
      requestId,
      cell,
      step: log.step,
      epoch: log.epoch,
      testAccuracy: log.testAccuracy,
      testLoss: log.testLoss,
    });
}

export class TrainRunner {
  private readonly jobs = new LatestJob();
  private readonly datasets = new LruCache<Promise<LabDataset>>(3);
  private readonly opts: TrainRunnerOptions;

  constructor(opts: TrainRunnerOptions = {}) {
    this.opts = opts;
  }

  private backend(): BackendName {
    return this.opts.backend?.() ?? (tf.getBackend() as BackendName);
  }

  cancel(requestId: number): void {
    this.jobs.cancel(requestId);
  }

  /** Resolves when no request is running (tests: tensors are back). */
  idle(): Promise<void> {
    return this.jobs.idle();
  }

  forgetDataset(name: string): void {
    for (const k of this.datasets.keys()) if (k.startsWith(`${name}|`)) this.datasets.delete(k);
  }

  /** Run a request's cells (a newer request supersedes it); resolves with their results, or null when cancelled or failed. */
  run(req: TrainRequest, emitRaw: Emit): Promise<TrainResult[] | null> {
    let t0 = 0;
    return this.jobs.runToEnd(
      req.id,
      (signal) => {
        t0 = performance.now();
        const parsed = SweepPlanSchema.safeParse(req.plan);
        if (!parsed.success)
          throw new RunError(
            'invalid',
            `invalid training plan: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'plan'}: ${i.message}`).join('; ')}`,
          );
        // once aborted, nothing reaches the page but the final `end` (cancelled)
        return this.execute(req, parsed.data, untilAborted(emitRaw, signal), signal);
      },
      {
        emit: emitRaw,
        done: (results) => ({ results, ms: performance.now() - t0 }),
        failure: (e, message) => ({ code: taggedCode(e) ?? (backendFailure(e, this.backend()) ? 'backend' : 'internal'), message }),
      },
    );
  }

  private async execute(req: TrainRequest, plan: SweepPlan, emit: Emit, signal: AbortSignal): Promise<TrainResult[]> {
    if (typeof plan.arch !== 'string')
      throw Object.assign(new Error('the page trains zoo models only (arch must be a name)'), { code: 'invalid' });
    const model = buildModel(plan.arch);
    this.checkMemory(model, plan);
    let ds: LabDataset;
    try {
      ds = await this.dataset(plan.dataset, model, plan.seeds[0]);
    } catch (e) {
      throw Object.assign(new Error(e instanceof Error ? e.message : String(e)), { code: 'data' });
    }
    throwIfAborted(signal);
    const cells = planCells(plan);
    const skip = new Set(req.skip);
    const toRun = cells.filter((c) => !skip.has(c.index));
    const nTrain = ds.size('train');
    const testSize = ds.size('test');
    const work = this.cellWork(req.kind, plan, nTrain);
    const clock = new WorkClock(
      work.steps * toRun.length,
      toRun.reduce((a, c) => a + (c.method === 'dense' ? 0 : roundsFor(plan, c.method)), 0),
      work.evals * toRun.length,
      (msPerStep) => (testSize * msPerStep) / plan.recipe.batchSize / 3,
    );
    emit({
      type: 'train-start',
      requestId: req.id,
      kind: req.kind,
      model: modelInfo(plan.arch as Parameters<typeof modelInfo>[0], model),
      dataset: ds.label,
      backend: this.backend(),
      cells,
      toRun: toRun.map((c) => c.index),
      stepsPerCell: work.steps,
      stepsPerEpoch: work.perEpoch,
      trainSize: nTrain,
      testSize,
    });
    const results: TrainResult[] = [];
    // one set of weights for the whole request: weights loaded meanwhile apply to the next one
    const initial = typeof plan.arch === 'string' ? this.opts.weightsFor?.(plan.arch)?.stateDict : undefined;
    for (const cell of toRun) {
      throwIfAborted(signal);
      try {
        results.push(await this.cell(req.id, work, plan, cell, model, ds, clock, emit, signal, initial));
      } catch (e) {
        // a diverged cell fails alone (no result, nothing stored); the others still run
        const diverged = isAbort(e, signal) ? null : divergenceOf(e);
        if (!diverged) throw e;
        emit({ type: 'cell-failed', requestId: req.id, cell, code: 'diverged', message: diverged.message });
      }
    }
    return results;
  }

  /** One cell: prune (streamed rounds), train (streamed steps and epochs), its result. */
  private async cell(
    requestId: number,
    work: CellWork,
    plan: SweepPlan,
    cell: SweepCell,
    model: Model,
    ds: LabDataset,
    clock: WorkClock,
    emit: Emit,
    signal: AbortSignal,
    initial: StateDict | undefined,
  ): Promise<TrainResult> {
    const rounds = cell.method === 'dense' ? 0 : roundsFor(plan, cell.method);
    emit({ type: 'cell-start', requestId, cell, rounds });
    const { streamMs = 100, yieldEvery = 4 } = this.opts;
    let last = performance.now();
    const stream = stepStream(requestId, cell, clock, emit, last);
    const flush = stream.flush;
    let roundsDone = 0;
    let stepsDone = 0;
    let evalsDone = 0;
    /** A test evaluation just ended: it took the time since the last piece of work. */
    const evaluated = () => {
      clock.evaluation(performance.now() - last);
      evalsDone++;
    };
    let result: TrainResult;
    try {
      result = await runSweepCell({
        plan,
        cell,
        model,
        dataset: ds,
        backend: this.backend(),
        initial,
        signal,
        ...evalOptions(work.evalEvery, (e) => {
          evaluated();
          checkStepLoss(e.step, e.loss, 'the test loss');
          flush();
          emit({ type: 'train-eval', requestId, cell, step: e.step, epoch: e.epoch, testAccuracy: e.accuracy, testLoss: e.loss });
          last = performance.now();
        }),
        onRound: async (info) => {
          const now = performance.now();
          clock.round(now - last);
          roundsDone++;
          await nextTask();
          last = performance.now();
          throwIfAborted(signal);
          emit({ type: 'prune-round', requestId, cell, round: info.round + 1, rounds, density: info.density });
        },
        onStep: async (s) => {
          const now = performance.now();
          // the first step's interval includes the pruning's tail and the mask upload: still a step
          clock.step(now - last);
          stepsDone++;
          stream.epoch = s.epoch;
          checkStepLoss(s.step + 1, s.loss);
          stream.push({ step: s.step + 1, loss: s.loss, lr: s.lr }, now, streamMs);
          if (stepsDone % yieldEvery === 0) await nextTask();
          last = performance.now();
        },
        onEpoch: async (log) => {
          evaluated();
          checkEpochLog(log);
          flush();
          emitEpoch(emit, requestId, cell, log);
          last = performance.now();
        },
      });
    } finally {
      flush();
      clock.drop(Math.max(0, work.steps - stepsDone), Math.max(0, rounds - roundsDone), Math.max(0, work.evals - evalsDone));
    }
    emit({ type: 'cell-done', requestId, result: checkFiniteRun(result) });
    return result;
  }

  /**
   * What training one cell of the plan takes (the same for every cell): its steps, steps an epoch,
   * the steps between the Train section's live evaluations (its points spread over the budget;
   * none for sweeps) and the test evaluations it makes.
   */
  private cellWork(kind: TrainRequest['kind'], plan: SweepPlan, nTrain: number): CellWork {
    const steps = totalSteps(plan.recipe, nTrain);
    const perEpoch = stepsPerEpoch(nTrain, plan.recipe.batchSize);
    const points = kind === 'train' ? (this.opts.evalPoints ?? 8) : 0;
    const evalEvery = points > 0 ? Math.max(1, Math.ceil(steps / points)) : undefined;
    return { steps, perEpoch, evalEvery, evals: evaluationsPerCell(steps, perEpoch, evalEvery) };
  }

  /**
   * Refuse what would not fit, before allocating: the pruning of the plan's methods (the pruning
   * runs' estimate), and a training step, which holds what a SNIP round does (a forward and
   * backward in train mode at the training batch) plus SGD's momentum buffers.
   */
  private checkMemory(model: Model, plan: SweepPlan): void {
    const budget = this.opts.budgetBytes?.() ?? BACKEND_BUDGET[this.backend()] ?? BACKEND_BUDGET.cpu;
    const base = {
      ...DEFAULT_CONFIG,
      model: plan.arch as typeof DEFAULT_CONFIG.model,
      examplesPerClass: Math.min(100, plan.examplesPerClass),
      ntkSamples: 1,
    };
    const prune = plan.methods.length
      ? estimateMemory(model, { ...base, methods: plan.methods, batchSize: Math.min(512, plan.pruneBatchSize) }, budget)
      : null;
    const step = estimateMemory(model, { ...base, methods: ['snip'], batchSize: Math.min(512, plan.recipe.batchSize) }, budget);
    // parameters part: six copies for SNIP (3 + its factor 3); momentum adds one more
    const bytes = Math.max(prune?.bytes ?? 0, step.bytes + (step.parts.parameters ?? 0) / 6);
    if (bytes > budget) {
      const gib = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GiB`;
      throw Object.assign(
        new Error(
          `Training this needs about ${gib(bytes)}, more than the ${gib(budget)} the ${this.backend()} backend can hold. Try a smaller training or pruning batch, or run it with px-lab sweep.`,
        ),
        { code: 'memory' },
      );
    }
  }

  private dataset(name: string, model: Model, seed: number): Promise<LabDataset> {
    const key = `${name}|${model.input.join('x')}|${model.classes}|${name === 'synthetic' ? seed : ''}`;
    let p = this.datasets.get(key);
    if (!p) {
      p = (this.opts.openDataset ?? openSyntheticOnly)(name as Parameters<DatasetOpener>[0], model, seed);
      this.datasets.set(key, p);
      p.catch(() => this.datasets.delete(key));
    }
    return p;
  }
}
