// What the Train section and the Sweep panel draw: one immutable view of a training request,
// folded from the worker's TrainEvents (src/shared/protocol.ts) by reduceTrain. Pure, no DOM.
import type { ModelInfo, StepPoint, TrainEvent, TrainResult } from '../../shared/protocol';
import { summariseResults, type SweepCell, type SweepSummary } from '../../shared/train';
import { onEnd } from '../../shared/requestEnd';
import { cellId } from '../../shared/trainSettings';

/** `failed`: the cell diverged (no result, nothing stored; a sweep's Resume runs it again). */
export type CellStatus = 'queued' | 'pruning' | 'training' | 'done' | 'stored' | 'cancelled' | 'failed';

export interface EvalPoint {
  step: number;
  epoch: number;
  testAccuracy: number;
  testLoss: number;
}

export interface CellView {
  cell: SweepCell;
  status: CellStatus;
  round: number;
  rounds: number;
  /** Every step's loss (before its update), in order. */
  losses: StepPoint[];
  evals: EvalPoint[];
  result?: TrainResult;
  /** Why the cell failed (status `failed`). */
  error?: string;
}

export type TrainStatus = 'running' | 'done' | 'cancelled' | 'error';

export interface TrainView {
  id: number;
  kind: 'train' | 'sweep';
  status: TrainStatus;
  startedAt: number;
  model?: ModelInfo;
  dataset?: string;
  backend?: string;
  cells: CellView[];
  /** Cells this request runs (the others came from storage). */
  toRun: number[];
  stepsPerCell: number;
  stepsPerEpoch: number;
  /** In [0, 1], from measured times (the worker's clock). */
  progress: number;
  etaMs?: number;
  msPerStep?: number;
  error?: string;
}

export function emptyTrain(id: number, kind: TrainView['kind'], stored: TrainResult[] = []): TrainView {
  return {
    id,
    kind,
    status: 'running',
    startedAt: Date.now(),
    cells: stored.map((r) => ({ cell: r.cell, status: 'stored', round: 0, rounds: 0, losses: [], evals: [], result: r })),
    toRun: [],
    stepsPerCell: 0,
    stepsPerEpoch: 0,
    progress: 0,
  };
}

function updateCell(view: TrainView, cell: SweepCell, f: (c: CellView) => CellView): TrainView {
  const id = cellId(cell);
  let found = false;
  const cells = view.cells.map((c) => {
    if (cellId(c.cell) !== id) return c;
    found = true;
    return f(c);
  });
  if (!found) cells.push(f({ cell, status: 'queued', round: 0, rounds: 0, losses: [], evals: [] }));
  return { ...view, cells };
}

/** Fold one event into the view (events of another request are ignored). */
export function reduceTrain(view: TrainView, e: TrainEvent): TrainView {
  if (e.requestId !== view.id) return view;
  switch (e.type) {
    case 'train-start': {
      // stored results keep their place; the plan's order decides the rest
      const stored = new Map(view.cells.filter((c) => c.result).map((c) => [cellId(c.cell), c]));
      const run = new Set(e.toRun);
      const cells = e.cells
        .filter((c) => run.has(c.index) || stored.has(cellId(c)))
        .map((c) =>
          run.has(c.index)
            ? { cell: c, status: 'queued' as const, round: 0, rounds: 0, losses: [], evals: [] }
            : { ...stored.get(cellId(c))!, cell: c },
        );
      return {
        ...view,
        model: e.model,
        dataset: e.dataset,
        backend: e.backend,
        cells,
        toRun: e.toRun,
        stepsPerCell: e.stepsPerCell,
        stepsPerEpoch: e.stepsPerEpoch,
      };
    }
    case 'cell-start':
      return updateCell(view, e.cell, (c) => ({
        ...c,
        status: e.rounds ? 'pruning' : 'training',
        rounds: e.rounds,
        round: 0,
        losses: [],
        evals: [],
      }));
    case 'prune-round':
      return updateCell(view, e.cell, (c) => ({ ...c, status: 'pruning', round: e.round, rounds: e.rounds }));
    case 'train-steps':
      return {
        ...updateCell(view, e.cell, (c) => ({ ...c, status: 'training', losses: [...c.losses, ...e.points] })),
        progress: Math.max(view.progress, e.progress),
        etaMs: e.etaMs,
        msPerStep: e.msPerStep,
      };
    case 'train-eval':
      return updateCell(view, e.cell, (c) => ({
        ...c,
        evals: [
          ...c.evals.filter((p) => p.step !== e.step),
          { step: e.step, epoch: e.epoch, testAccuracy: e.testAccuracy, testLoss: e.testLoss },
        ],
      }));
    case 'cell-done':
      return updateCell(view, e.result.cell, (c) => ({ ...c, status: 'done', result: e.result }));
    case 'cell-failed':
      return updateCell(view, e.cell, (c) => ({ ...c, status: 'failed', result: undefined, error: e.message }));
    case 'end':
      return onEnd<typeof e, TrainView>(e, {
        done: () => {
          // a request with a failed cell is not "done": its view says which cells failed and why
          const failed = view.cells.filter((c) => c.status === 'failed');
          if (failed.length) return { ...view, status: 'error', progress: 1, etaMs: 0, error: failedSummary(failed, view.kind) };
          return { ...view, status: 'done', progress: 1, etaMs: 0 };
        },
        cancelled: () => ({
          ...view,
          status: 'cancelled',
          etaMs: undefined,
          cells: view.cells.map((c) => (c.status === 'pruning' || c.status === 'training' ? { ...c, status: 'cancelled' } : c)),
        }),
        error: (f) => ({ ...view, status: 'error', error: f.message }),
      });
    default:
      return view;
  }
}

/** "2 of 3 lines failed: SNIP at 10%: training diverged at step 12: … (Dense: …)". */
export function failedSummary(failed: CellView[], kind: TrainView['kind']): string {
  const noun = kind === 'sweep' ? 'cell' : 'line';
  const first = failed[0];
  const what = `${first.cell.method}${first.cell.method === 'dense' ? '' : ` at ${Number((first.cell.density * 100).toPrecision(3))}%`}${kind === 'sweep' ? `, seed ${first.cell.seed}` : ''}`;
  const again = kind === 'sweep' ? ' “Resume sweep” runs the failed cells again.' : '';
  return `${failed.length} ${noun}${failed.length > 1 ? 's' : ''} failed (${what}: ${(first.error ?? 'failed').replace(/\.$/, '')}).${again}`;
}

/** The cells of a view that failed (diverged): counted beside the results, never averaged in. */
export function failedCells(view: TrainView | null): CellView[] {
  return view ? view.cells.filter((c) => c.status === 'failed') : [];
}

/** Finished results of a view (this request's and the stored ones). */
export function finishedResults(view: TrainView | null): TrainResult[] {
  return view ? view.cells.flatMap((c) => (c.result ? [c.result] : [])) : [];
}

/** Every `stride`-th point and the last (charts: at most about `max` points per line). */
export function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const stride = Math.ceil(points.length / max);
  const out = points.filter((_, i) => i % stride === 0);
  if (out[out.length - 1] !== points[points.length - 1]) out.push(points[points.length - 1]);
  return out;
}

export type SweepPoint = SweepSummary<string>;

/** Mean, sample standard deviation and range of test accuracy per (method, density); failed cells counted, never averaged in. */
export function sweepPoints(results: TrainResult[], failed: ReadonlyArray<Pick<CellView, 'cell'>> = []): SweepPoint[] {
  return summariseResults<string>(results, failed);
}

/** The sweep table: one column per method density (100% included), then "dense"; one row per method. */
export function sweepTable(
  results: TrainResult[],
  failed: ReadonlyArray<Pick<CellView, 'cell'>> = [],
): {
  densities: number[];
  rows: Array<{ method: string; cells: Array<SweepPoint | undefined> }>;
} {
  const points = sweepPoints(results, failed);
  const pruned = points.filter((p) => p.method !== 'dense');
  const densities = [...new Set(pruned.map((p) => p.density))].sort((a, b) => b - a);
  const rows = [...new Set(points.map((p) => p.method))].map((method) => ({
    method,
    // a method's column by its density (a density-1 cell included); the dense baseline's own column last
    cells: [
      ...densities.map((d) => (method === 'dense' ? undefined : pruned.find((p) => p.method === method && p.density === d))),
      method === 'dense' ? points.find((p) => p.method === 'dense') : undefined,
    ],
  }));
  return { densities, rows };
}
