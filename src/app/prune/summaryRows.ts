// How the summary table reads (pure, unit-tested): collapse dominates a row (a cut network's NTK
// numbers say nothing about training, so it never ranks best), which cell is best in a column,
// and why methods keep fewer weights than the target (the official tie rule).
import type { MethodSummary } from '../../shared/protocol';
import { METHOD_INFO } from '../../shared/methods';
import type { MethodId } from '../../shared/methods';
import { int } from '../common/format';

/** A cut network: a collapsed layer, no input→output path, or nothing effective left. */
export function isCollapsed(s: Pick<MethodSummary, 'collapsedLayers' | 'disconnected' | 'effectiveDensity'>): boolean {
  return s.collapsedLayers > 0 || s.disconnected === true || s.effectiveDensity === 0;
}

export type RankedColumn = 'ntk' | 'condition' | 'effective';

/** How good a value is in a column (higher is better), or null when it cannot be ranked. */
function goodness(s: MethodSummary, col: RankedColumn): number | null {
  const v = col === 'ntk' ? s.ntkTraceRatio : col === 'condition' ? s.condition : s.effectiveDensity;
  if (v === undefined || !Number.isFinite(v)) return null;
  if (col === 'ntk') return v > 0 ? -Math.abs(Math.log(v)) : null; // closest to dense (1)
  if (col === 'condition') return -v; // lower is better conditioned
  return v;
}

/**
 * The best method in a column among finished, uncollapsed rows (null when fewer than two can be
 * compared). A collapsed net never ranks best, however good its numbers look.
 */
export function bestIn(summaries: MethodSummary[], col: RankedColumn): MethodId | null {
  const ranked = summaries
    .filter((s) => !s.exactPending && !isCollapsed(s))
    .map((s) => ({ m: s.method, g: goodness(s, col) }))
    .filter((x): x is { m: MethodId; g: number } => x.g !== null);
  if (ranked.length < 2) return null;
  ranked.sort((a, b) => b.g - a.g);
  return ranked[0].g > ranked[1].g ? ranked[0].m : null;
}

/** Weights the official rule keeps at `density`: per layer (local scope) or over all (global). */
export function targetKept(density: number, scope: 'global' | 'local', layerSizes: number[]): number {
  const keep = (n: number) => n - Math.trunc((1 - density) * n);
  if (scope === 'global') return keep(layerSizes.reduce((a, b) => a + b, 0));
  return layerSizes.reduce((a, n) => a + keep(n), 0);
}

/**
 * A note per method that keeps fewer weights than the target: the official rule prunes every
 * weight whose score ties the k-th smallest (mask = score > threshold), so ties remove extra
 * weights; per-layer scope at extreme sparsity makes this visible (many equal scores per layer).
 */
export function tieNotes(summaries: MethodSummary[], density: number, scope: 'global' | 'local', layerSizes: number[]): string[] {
  if (!layerSizes.length) return [];
  const target = targetKept(density, scope, layerSizes);
  const out: string[] = [];
  for (const s of summaries) {
    if (s.exactPending || s.density !== density) continue;
    const extra = target - s.kept;
    if (extra > 0)
      out.push(
        `${METHOD_INFO[s.method].label} keeps ${int(s.kept)}, ${int(extra)} fewer than the target ${int(target)}: the official rule also removes every weight whose score ties the threshold${scope === 'local' ? ' in its layer' : ''}.`,
      );
  }
  return out;
}
