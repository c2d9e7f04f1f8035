// Spread over seeds, and the one rule for saying that one method beats another: a ranking is
// stated only where the seeds' ranges (min–max, the band the charts draw) do not overlap;
// otherwise the two are "within noise". With one seed there is no spread, so no claim either way.
// Plain data, no tfjs: the CLI's summaries, the Sweep and Transfer tables and charts use these.

/** Mean, sample standard deviation and range of one quantity over seeds. */
export interface SeedSpread {
  /** Seeds that gave a finite value (only these are averaged). */
  n: number;
  /** Seeds that failed (diverged, or a non-finite value): counted, never averaged in. */
  failed: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 with one seed. */
  std: number;
  min: number;
  max: number;
}

/**
 * The spread of `values` (one per seed). Non-finite values and `failed` extra seeds are counted as
 * failed and left out of every statistic; null when no seed gave a finite value.
 */
export function spreadOf(values: readonly number[], failed = 0): SeedSpread | null {
  const ok = values.filter((v) => Number.isFinite(v));
  const lost = failed + values.length - ok.length;
  if (!ok.length) return null;
  const min = Math.min(...ok);
  const max = Math.max(...ok);
  // equal values: exactly their value and no spread (a summed mean can be off in the last bit)
  const mean = min === max ? min : ok.reduce((a, b) => a + b, 0) / ok.length;
  const std = ok.length > 1 && min !== max ? Math.sqrt(ok.reduce((a, b) => a + (b - mean) ** 2, 0) / (ok.length - 1)) : 0;
  return { n: ok.length, failed: lost, mean, std, min, max };
}

export type NoiseVerdict =
  /** One of the two has a single seed: its spread is unknown, so nothing is ranked. */
  | { kind: 'one-seed' }
  /** The ranges overlap. */
  | { kind: 'within-noise' }
  /** The ranges are disjoint: `better` is the one whose every seed is above the other's every seed. */
  | { kind: 'ranked'; better: 'a' | 'b' };

/** Whether `a` and `b` (each a spread over seeds) can be ranked: only when their min–max ranges are disjoint. */
export function compareWithNoise(a: Pick<SeedSpread, 'n' | 'min' | 'max'>, b: Pick<SeedSpread, 'n' | 'min' | 'max'>): NoiseVerdict {
  if (a.n < 2 || b.n < 2) return { kind: 'one-seed' };
  if (a.min > b.max) return { kind: 'ranked', better: 'a' };
  if (b.min > a.max) return { kind: 'ranked', better: 'b' };
  return { kind: 'within-noise' };
}

/**
 * Labelled spreads in tiers, best first (by mean). A boundary between two tiers is drawn only
 * where every spread above it beats every spread below it (the lowest min above exceeds the
 * highest max below), so each ">" of the ranking line holds for every pair it separates; inside a
 * tier they are within noise. Null when any has a single seed (no ranking is stated then).
 */
export function noiseTiers<T extends Pick<SeedSpread, 'n' | 'mean' | 'min' | 'max'>>(items: readonly T[]): T[][] | null {
  if (items.some((x) => x.n < 2)) return null;
  const sorted = [...items].sort((x, y) => y.mean - x.mean);
  // the highest max from position i down
  const maxBelow = sorted.map((x) => x.max);
  for (let i = sorted.length - 2; i >= 0; i--) maxBelow[i] = Math.max(maxBelow[i], maxBelow[i + 1]);
  const tiers: T[][] = [];
  let minAbove = Infinity;
  sorted.forEach((x, i) => {
    if (i > 0 && minAbove > maxBelow[i]) tiers.push([x]);
    else if (tiers.length) tiers[tiers.length - 1].push(x);
    else tiers.push([x]);
    minAbove = Math.min(minAbove, x.min);
  });
  return tiers;
}

/**
 * One line ranking labelled spreads: "PX > SNIP ≈ SynFlow (within noise) > Random", "all within
 * noise", or that one seed states no ranking.
 */
export function rankingLine(items: ReadonlyArray<Pick<SeedSpread, 'n' | 'mean' | 'min' | 'max'> & { label: string }>): string {
  if (items.length < 2) return '';
  const tiers = noiseTiers(items);
  if (!tiers) return '1 seed: no spread, so no ranking (run 3 seeds to rank)';
  if (tiers.length === 1) return `${tiers[0].map((t) => t.label).join(', ')}: within noise`;
  return tiers.map((t) => (t.length > 1 ? `${t.map((x) => x.label).join(' ≈ ')} (within noise)` : t[0].label)).join(' > ');
}
