// Magnitude pruning at initialisation: score = |w|.
import { tf } from '../tf';
import type { Pruner, ScoreInput, ScoreOutput } from './types';

export class MagPruner implements Pruner {
  readonly method = 'mag' as const;
  readonly data = 'none' as const;

  async score({ model, params }: ScoreInput): Promise<ScoreOutput> {
    const scores: ScoreOutput['scores'] = {};
    for (const l of model.prunable) scores[l.weight] = tf.abs(params[l.weight]);
    return { scores };
  }
}
