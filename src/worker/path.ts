// The pruning path: the order in which weights were removed while pruning down to the path's
// floor density, so the mask at any density above the floor is read off at once.
//
// Weights are ordered by (round removed, score in that round, index): the official rule prunes
// the k smallest scores of a round and everything tied with the k-th, so reading the first k
// entries and extending over ties reproduces it. For a one-round (one-shot) path this equals a
// direct prune at any density on the path; for iterative methods it is an approximation of the
// exact schedule to that density (labelled 'path' on the page until the exact run replaces it).
//
// Flat indices run over the prunable weights in model order, each layer in tfjs layout.
import { prunedCount, type Scope } from '../core/pruners/masking';

/** Records removals round by round (host arrays of the flat mask and scores). */
export class PathRecorder {
  /** Round in which each weight was last removed (-1: kept). */
  private readonly removedRound: Int32Array;
  private readonly removedScore: Float32Array;
  private prev: Float32Array | null = null;
  private lastScores: Float32Array | null = null;

  constructor(readonly total: number) {
    this.removedRound = new Int32Array(total).fill(-1);
    this.removedScore = new Float32Array(total);
  }

  /** One round: the mask after it and the scores it was made from (flat). */
  record(round: number, mask: Float32Array, scores: Float32Array): void {
    if (mask.length !== this.total || scores.length !== this.total)
      throw new Error(`path: expected ${this.total} values (got mask ${mask.length}, scores ${scores.length})`);
    const prev = this.prev;
    for (let i = 0; i < this.total; i++) {
      const now = mask[i] !== 0;
      const before = prev ? prev[i] !== 0 : true;
      if (before && !now) {
        this.removedRound[i] = round;
        this.removedScore[i] = scores[i];
      } else if (now) {
        // revived (methods whose scores ignore the mask): it is not removed after all
        this.removedRound[i] = -1;
      }
    }
    this.prev = mask;
    this.lastScores = scores;
  }

  /**
   * The path so far. With `extendKept`, the weights the last round kept follow the removals,
   * ordered by that round's scores (as one more round would remove them), so the path reaches
   * density 0: an exact run's rounds become a path that answers the slider at any density.
   */
  finish(opts: { layerSizes: number[]; scope: Scope; floor: number; rounds: number; extendKept?: boolean }): PrunePath {
    if (opts.extendKept && this.lastScores) {
      for (let i = 0; i < this.total; i++)
        if (this.removedRound[i] < 0) {
          this.removedRound[i] = opts.rounds;
          this.removedScore[i] = this.lastScores[i];
        }
    }
    const segments: Array<{ offset: number; numel: number }> = opts.scope === 'global' ? [{ offset: 0, numel: this.total }] : [];
    if (opts.scope === 'local') {
      let off = 0;
      for (const n of opts.layerSizes) {
        segments.push({ offset: off, numel: n });
        off += n;
      }
    }
    const rr = this.removedRound;
    const sc = this.removedScore;
    const parts: Uint32Array[] = [];
    for (const s of segments) {
      const idx: number[] = [];
      for (let i = s.offset; i < s.offset + s.numel; i++) if (rr[i] >= 0) idx.push(i);
      idx.sort((a, b) => rr[a] - rr[b] || sc[a] - sc[b] || a - b);
      parts.push(Uint32Array.from(idx));
    }
    const n = parts.reduce((a, p) => a + p.length, 0);
    const order = new Uint32Array(n);
    const round = new Uint16Array(n);
    const score = new Float32Array(n);
    const starts: number[] = [];
    let at = 0;
    for (const p of parts) {
      starts.push(at);
      order.set(p, at);
      for (let j = 0; j < p.length; j++) {
        round[at + j] = rr[p[j]];
        score[at + j] = sc[p[j]];
      }
      at += p.length;
    }
    starts.push(at);
    return new PrunePath({
      total: this.total,
      scope: opts.scope,
      floor: opts.floor,
      rounds: opts.rounds,
      segments,
      starts,
      order,
      round,
      score,
    });
  }
}

export interface PathData {
  total: number;
  scope: Scope;
  /** Lowest density the path reaches. */
  floor: number;
  rounds: number;
  /** Global: one segment; local: one per layer. */
  segments: Array<{ offset: number; numel: number }>;
  /** order[starts[s] .. starts[s+1]) are segment s's removals, in removal order. */
  starts: number[];
  order: Uint32Array;
  round: Uint16Array;
  score: Float32Array;
}

export class PrunePath {
  constructor(readonly data: PathData) {}

  get floor(): number {
    return this.data.floor;
  }

  /** Bytes held (for the cache budget). */
  get bytes(): number {
    return this.data.order.byteLength + this.data.round.byteLength + this.data.score.byteLength;
  }

  /** Whether densities down to d can be read off this path. */
  covers(density: number): boolean {
    return density >= this.data.floor - 1e-12 && density <= 1;
  }

  /** The 0/1 flat mask at `density` (null below the floor). */
  maskAt(density: number): Uint8Array | null {
    if (!this.covers(density)) return null;
    const { total, segments, starts, order, round, score } = this.data;
    const mask = new Uint8Array(total).fill(1);
    for (let s = 0; s < segments.length; s++) {
      const k = prunedCount(density, segments[s].numel);
      if (k < 1) continue;
      const a = starts[s];
      const b = starts[s + 1];
      // the path pruned fewer than k only where the schedule's own rounding differs; take all
      let end = Math.min(a + k, b);
      // ties with the k-th entry are pruned too (mask = !(score <= threshold))
      const last = end - 1;
      while (end < b && round[end] === round[last] && score[end] === score[last]) end++;
      for (let j = a; j < end; j++) mask[order[j]] = 0;
    }
    return mask;
  }
}
