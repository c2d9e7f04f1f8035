// Node benchmarks of other features (NTK, pruning path), added as those features land.
import type { BackendName } from '../src/core/backend';
import type { BenchRow } from './node';

export async function extraNodeBenches(_backend: BackendName, _log: (s: string) => void): Promise<BenchRow[]> {
  return [];
}
