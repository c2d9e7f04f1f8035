// Uniform layer-wise random pruning: every layer kept at the target density, random positions
// (the baseline of Gale et al. 2019, "The state of sparsity in deep neural networks", and of the
// ERK comparison in Evci et al. 2020). Departure: the kept counts are made to sum to the official
// global rule's count (floors of density·n, the remainder to the largest fractional parts), so a
// layer may keep one weight more than density·n.
import { layerwiseScores } from './layerwise';
import type { Pruner, ScoreInput, ScoreOutput } from './types';

export class UniformPruner implements Pruner {
  readonly method = 'uniform' as const;
  readonly data = 'none' as const;

  score(input: ScoreInput): Promise<ScoreOutput> {
    return layerwiseScores(input, this.method, (model, density) => model.prunable.map(() => density));
  }
}
