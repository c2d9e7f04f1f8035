// Score histograms: the distribution of each method's scores in the round that made
// its mask at the page's density, as a histogram of |score| on log-spaced bins, each bin split
// into the weights kept and pruned, with the keep threshold marked. The pure binning and the
// types; the worker (src/worker/scoreHistogram.ts) computes the scores. No tfjs here.
import type { RunConfig } from './config';
import type { MethodId } from './methods';
import type { RequestEnd } from './requestEnd';

export interface HistogramBin {
  /** log10 of the bin's lower and upper |score| edge. */
  lo: number;
  hi: number;
  kept: number;
  pruned: number;
}

export interface LogHistogram {
  bins: HistogramBin[];
  /** Scores exactly 0 (no place on a log axis), split the same way. */
  zeros: { kept: number; pruned: number };
  /** Scores below 0: binned by |score|, but then |score| is not the ranking (GraSP). */
  negative: number;
}

export interface ScoreHistogram extends LogHistogram {
  method: MethodId;
  density: number;
  /** The round whose scores these are (the last one), of `rounds`. */
  round: number;
  rounds: number;
  /** The global keep threshold (kept ⟺ score > threshold); null with per-layer scope (one per layer). */
  threshold: number | null;
  total: number;
}

export interface ScoreHistogramRequest {
  id: number;
  config: RunConfig;
}

export type ScoreHistogramEvent =
  | { type: 'hist-start'; requestId: number; methods: MethodId[] }
  | { type: 'hist-method'; requestId: number; histogram: ScoreHistogram }
  | RequestEnd<{ ms: number }>;

export const HISTOGRAM_BINS = 40;

/**
 * |values| binned on `bins` equal steps of log10 between `range` (log10 edges; default: the
 * smallest and largest nonzero |value|), split by `keep` (nonzero: kept). Values outside the range
 * go to the first or last bin; zeros and negative values are counted as said in LogHistogram.
 */
export function logHistogram(
  values: ArrayLike<number>,
  keep: ArrayLike<number>,
  bins = HISTOGRAM_BINS,
  range?: [number, number],
): LogHistogram {
  if (values.length !== keep.length) throw new Error(`logHistogram: ${values.length} values but ${keep.length} keep flags`);
  if (!(bins >= 1) || !Number.isInteger(bins)) throw new Error(`logHistogram: bins must be a positive integer (got ${bins})`);
  let lo = range?.[0] ?? Infinity;
  let hi = range?.[1] ?? -Infinity;
  let negative = 0;
  if (!range) {
    for (let i = 0; i < values.length; i++) {
      const a = Math.abs(values[i]);
      if (a > 0 && Number.isFinite(a)) {
        const l = Math.log10(a);
        if (l < lo) lo = l;
        if (l > hi) hi = l;
      }
    }
  }
  if (!Number.isFinite(lo)) lo = hi = 0;
  // a single distinct value still gets a bin of some width
  if (hi <= lo) hi = lo + 1;
  const out: HistogramBin[] = Array.from({ length: bins }, (_, b) => ({
    lo: lo + ((hi - lo) * b) / bins,
    hi: lo + ((hi - lo) * (b + 1)) / bins,
    kept: 0,
    pruned: 0,
  }));
  const zeros = { kept: 0, pruned: 0 };
  const step = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const kept = keep[i] !== 0;
    if (v < 0) negative++;
    const a = Math.abs(v);
    if (a === 0) {
      if (kept) zeros.kept++;
      else zeros.pruned++;
      continue;
    }
    const b = Math.min(bins - 1, Math.max(0, Math.floor((Math.log10(a) - lo) / step)));
    if (kept) out[b].kept++;
    else out[b].pruned++;
  }
  return { bins: out, zeros, negative };
}
