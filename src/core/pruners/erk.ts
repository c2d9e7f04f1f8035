// ERK (Erdős–Rényi-Kernel) layer-wise random pruning, Evci et al. 2020, "Rigging the lottery:
// making all tickets winners" (ICML): layer l keeps density ε·Σshape/Πshape, i.e.
// (n_in + n_out)/(n_in·n_out) for a linear layer and (c_in + c_out + k_h + k_w)/(c_in·c_out·k_h·k_w)
// for a convolution, with ε set so the kept weights total the target density; a layer whose
// density would pass 1 is made dense and ε recomputed over the rest (the reference's loop,
// rigl/sparse_utils.get_sparsities_erdos_renyi with erk_power_scale 1). Positions are random.
// Departures: every prunable layer takes part (the reference lets a run keep chosen layers dense);
// the kept counts are integerised to sum exactly to the official global rule's count (floors, the
// remainder to the largest fractional parts) where the reference rounds each layer on its own.
import type { Model } from '../models/types';
import { layerwiseScores } from './layerwise';
import type { Pruner, ScoreInput, ScoreOutput } from './types';

/** ERK densities per prunable layer (model order) for a global density. */
export function erkDensities(model: Model, density: number): number[] {
  const shapes = model.prunable.map((l) => l.torchShape);
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const raw = shapes.map((s, i) => s.reduce((a, b) => a + b, 0) / sizes[i]);
  const total = sizes.reduce((a, b) => a + b, 0);
  const dense = new Set<number>();
  for (;;) {
    const free = sizes.map((_, i) => i).filter((i) => !dense.has(i));
    if (!free.length) return sizes.map(() => 1);
    // kept weights the free layers share: density·N minus the dense layers' sizes
    const rhs = density * total - [...dense].reduce((a, i) => a + sizes[i], 0);
    const eps = rhs / free.reduce((a, i) => a + raw[i] * sizes[i], 0);
    const maxRaw = Math.max(...free.map((i) => raw[i]));
    if (maxRaw * eps <= 1) return sizes.map((_, i) => (dense.has(i) ? 1 : eps * raw[i]));
    for (const i of free) if (raw[i] === maxRaw) dense.add(i);
  }
}

export class ErkPruner implements Pruner {
  readonly method = 'erk' as const;
  readonly data = 'none' as const;

  score(input: ScoreInput): Promise<ScoreOutput> {
    return layerwiseScores(input, this.method, erkDensities);
  }
}
