// Progress, ETA and where the time went, from measured times only.
//
// A run's work is, per method: its path rounds, its exact rounds (iterative methods off the path
// floor), and its NTKs (the final one, the provisional path one, and the ones along exact runs
// of small models). Each piece is weighed by what it costs: a round by the method's own measured
// round time, an NTK by the measured dense NTK. Before a method has run a round, its round cost
// is a prior ratio to the methods measured so far (ROUND_COST_PRIOR), replaced by its own
// measurement after its first round. The ETA is the remaining cost in milliseconds, shown only
// once it rests on measurements (the dense NTK and two or more timed rounds) and a second has
// passed; never extrapolated from the elapsed time alone.
import { type RunConfig } from '../../shared/config';
import { roundsFor, type MethodId } from '../../shared/methods';
import { PATH_FLOOR_DENSITY } from '../../shared/protocol';
import { NTK_ALONG_MODELS } from '../../shared/models';
import type { MethodView, RunView } from './runViewTypes';

/**
 * Relative cost of one pruning round, from bench/results/results.md (node, wasm, 128 images): ResNet-20
 * magnitude 0.001 s, SynFlow 0.060 s, PX 1.008 s, SNIP 2.308 s, GraSP 2.617 s; MLP magnitude
 * 0.000 s, SynFlow 0.004 s, PX 0.011 s, SNIP 0.054 s, GraSP 0.130 s. Random, ERK and uniform as magnitude, IMP as 8
 * SNIP rounds (8 training steps a round),
 * PX-official and PX (2024) as PX; NTK-SAP is not in the benchmark (several perturbed forward passes a round:
 * a guess). Only ratios matter, and only until the method's own rounds are measured.
 */
export const ROUND_COST_PRIOR: Record<MethodId, number> = {
  'px-2024': 1.0,
  mag: 0.001,
  rand: 0.001,
  synflow: 0.06,
  px: 1.0,
  'px-official': 1.0,
  snip: 2.3,
  grasp: 2.6,
  ntksap: 0.3,
  erk: 0.001,
  uniform: 0.001,
  imp: 8 * 2.3,
};
const MLP_ROUND_COST_PRIOR: Record<MethodId, number> = {
  'px-2024': 0.011,
  mag: 0.0005,
  rand: 0.0005,
  synflow: 0.004,
  px: 0.011,
  'px-official': 0.011,
  snip: 0.054,
  grasp: 0.13,
  ntksap: 0.004,
  erk: 0.0005,
  uniform: 0.0005,
  imp: 8 * 0.054,
};

function priorFor(model: string): Record<MethodId, number> {
  return model === 'mlp' ? MLP_ROUND_COST_PRIOR : ROUND_COST_PRIOR;
}

/**
 * How many of the latest round times the estimate takes the median of. Rounds speed up as a run
 * goes (early on the page and its charts share the cores with the worker): the median over a
 * whole 100-round MLP run made the ETA at half way 19–34% long in the browser; the latest rounds
 * say how fast the rest will go.
 */
const RECENT_ROUNDS = 10;

/**
 * Milliseconds per round measured for a method in this run (any phase, live or replayed), or
 * null: the median time between successive rounds among the latest ones (robust to the rounds
 * followed by an NTK, which are counted as NTKs), or the first round's time.
 */
export function measuredRoundMs(m: MethodView): number | null {
  const r = m.rounds;
  if (r.length >= 2) {
    const diffs: number[] = [];
    for (let i = r.length - 1; i >= 1 && diffs.length < RECENT_ROUNDS; i--)
      if (r[i].round === r[i - 1].round + 1) diffs.push(r[i].elapsedMs - r[i - 1].elapsedMs);
    if (diffs.length) return diffs.sort((a, b) => a - b)[Math.floor(diffs.length / 2)];
  }
  const last = r[r.length - 1];
  if (last && last.round > 0 && last.elapsedMs > 0) return last.elapsedMs / last.round;
  return m.roundMs ?? null;
}

function needsExact(m: MethodView, config: RunConfig): boolean {
  if (m.phase === 'exact' || m.summary?.exactPending) return true;
  if (m.summary && !m.summary.exactPending) return false;
  return roundsFor(config, m.method) > 1 && config.density !== PATH_FLOOR_DENSITY;
}

interface Work {
  /** Cost done and total, in estimated milliseconds. */
  done: number;
  total: number;
  /** Whether every remaining piece rests on a measurement (own or calibrated). */
  measured: boolean;
}

/** The cost of a method's work, done and total. */
function methodWork(m: MethodView, config: RunConfig, roundMs: number, ntkMs: number): Work {
  const R = roundsFor(config, m.method);
  const exact = needsExact(m, config);
  // an exact run goes first when no path is cached (src/worker/runner.ts): a path phase (and its
  // provisional NTK) counts only when the method went through one
  const path = !exact || m.pathSeen === true;
  const ntks = 1 + (exact && path ? 1 : 0) + (exact && NTK_ALONG_MODELS.includes(config.model) && R >= 4 ? 3 : 0);
  const total = ((exact ? R : 0) + (path ? R : 0)) * roundMs + ntks * ntkMs;
  if (m.status === 'done' || m.status === 'error') return { done: total, total, measured: true };
  const pathDone = path ? R * roundMs + (exact ? ntkMs : 0) : 0;
  let done = 0;
  if (m.phase === 'exact') done = pathDone + m.rounds.length * roundMs + (m.ntkAlong ?? 0) * ntkMs;
  else if (m.summary) done = pathDone;
  else if (m.phase === 'path') done = Math.min(m.rounds.length, R) * roundMs;
  return { done: Math.min(done, total), total, measured: true };
}

/**
 * Milliseconds per pruned NTK measured in this run (live ones: along exact runs and of final
 * masks), or null. Preferred to the dense NTK's time, which is the run's first NTK and pays the
 * backend's warm-up: taken alone it made the ETA at half way of an MLP run 30% long.
 */
function measuredNtkMs(methods: MethodView[]): number | null {
  let ms = 0;
  let n = 0;
  for (const m of methods) {
    const count = (m.ntkAlong ?? 0) + (m.ntk && m.spent?.ntk ? 1 : 0);
    if (count && m.spent?.ntk) {
      ms += m.spent.ntk;
      n += count;
    }
  }
  return n ? ms / n : null;
}

export interface Progress {
  /** In [0, 1]. */
  fraction: number;
  /** Remaining milliseconds, when meaningful. */
  etaMs?: number;
}

/** Progress weighted by measured cost, and the ETA when it rests on measurements. */
export function runProgress(view: Pick<RunView, 'methods' | 'config' | 'denseNtk' | 'status'>, elapsedMs: number): Progress {
  if (view.status === 'done') return { fraction: 1, etaMs: 0 };
  const own = new Map<MethodId, number>();
  for (const m of view.methods) {
    const ms = measuredRoundMs(m);
    if (ms !== null) own.set(m.method, ms);
  }
  // calibrate the prior on the methods measured so far (median ratio)
  const prior = priorFor(view.config.model);
  const ratios = [...own].map(([id, ms]) => ms / prior[id]).sort((a, b) => a - b);
  const scale = ratios.length ? ratios[Math.floor(ratios.length / 2)] : null;
  const ntkMs = measuredNtkMs(view.methods) ?? view.denseNtk?.ms ?? null;
  let done = 0;
  let total = 0;
  for (const m of view.methods) {
    const roundMs = own.get(m.method) ?? (scale !== null ? scale * prior[m.method] : 1);
    const w = methodWork(m, view.config, roundMs, ntkMs ?? 0);
    done += w.done;
    total += w.total;
  }
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const timedRounds = view.methods.reduce((a, m) => a + (measuredRoundMs(m) !== null ? m.rounds.length || 1 : 0), 0);
  const meaningful = scale !== null && ntkMs !== null && timedRounds >= 2 && elapsedMs >= 1000 && fraction < 1;
  return meaningful ? { fraction, etaMs: Math.max(0, total - done) } : { fraction };
}

/** Where a run's time went: every millisecond of the wall time in one of these. */
export interface TimeBreakdown {
  wallMs: number;
  denseNtkMs: number;
  pathMs: number;
  exactMs: number;
  ntkMs: number;
  /** Starting the worker and choosing its backend. */
  backendMs: number;
  /** Opening the data, inputs and weights. */
  dataMs: number;
  /** The layer tables' path analyses. */
  layersMs: number;
  /** The page and the messages between it and the worker: the rest of the wall time. */
  otherMs: number;
}

export function timeBreakdown(
  view: Pick<RunView, 'methods' | 'denseNtk' | 'denseNtkLive' | 'dataMs' | 'backendWaitMs'>,
  wallMs: number,
): TimeBreakdown {
  let pathMs = 0;
  let exactMs = 0;
  let ntkMs = 0;
  let layersMs = 0;
  for (const m of view.methods) {
    pathMs += m.spent?.path ?? 0;
    exactMs += m.spent?.exact ?? 0;
    ntkMs += m.spent?.ntk ?? 0;
    layersMs += m.spent?.layers ?? 0;
  }
  const denseNtkMs = view.denseNtkLive && view.denseNtk ? view.denseNtk.ms : 0;
  const dataMs = view.dataMs ?? 0;
  const backendMs = view.backendWaitMs ?? 0;
  const otherMs = Math.max(0, wallMs - backendMs - denseNtkMs - pathMs - exactMs - ntkMs - dataMs - layersMs);
  return { wallMs, backendMs, denseNtkMs, pathMs, exactMs, ntkMs, dataMs, layersMs, otherMs };
}
