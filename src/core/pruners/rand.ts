// Random pruning: i.i.d. standard normal scores from the run's seeded generator.
import { tf } from '../tf';
import type { Pruner, ScoreInput, ScoreOutput } from './types';

export class RandPruner implements Pruner {
  readonly method = 'rand' as const;
  readonly data = 'none' as const;

  async score({ model, rng }: ScoreInput): Promise<ScoreOutput> {
    const scores: ScoreOutput['scores'] = {};
    for (const l of model.prunable) scores[l.weight] = tf.tensor(rng.fillNormal(new Float32Array(l.numel)), l.shape);
    return { scores };
  }
}
