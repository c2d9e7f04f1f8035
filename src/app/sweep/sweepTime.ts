// The time a sweep takes, said before it runs: the cells' measured times on this machine (the
// cells of this plan already trained, stored or from this run) times the grid. No promise before
// a cell has been measured: cell times differ by orders of magnitude between models and backends.
import type { TrainResult } from '../../shared/protocol';
import { duration } from '../common/format';

/** Mean seconds per cell (pruning and training) of `done`; null when none finished. */
export function secondsPerCell(done: readonly TrainResult[]): number | null {
  const times = done.map((r) => r.pruneSeconds + r.trainSeconds).filter((t) => Number.isFinite(t) && t >= 0);
  return times.length ? times.reduce((a, b) => a + b, 0) / times.length : null;
}

/** "About 42 min in all (2 min 0 s per cell, measured on 3 cells here); 18 cells left, about 36 min." */
export function sweepTimeLine(total: number, done: readonly TrainResult[]): string {
  const per = secondsPerCell(done);
  if (per === null) return 'Time: measured by the first cell (then shown here for the whole grid).';
  const left = Math.max(0, total - done.length);
  const all = `About ${duration(per * total * 1000)} in all (${duration(per * 1000)} per cell, measured on ${done.length} cell${done.length > 1 ? 's' : ''} here)`;
  return left ? `${all}; ${left} cell${left > 1 ? 's' : ''} left, about ${duration(per * left * 1000)}.` : `${all}.`;
}
