// The browser half of `npm run bench` (filled in with the worker's benchmark hooks).
import type { BenchRow } from './node';

export async function browserBenches(_opts: { quick: boolean; log: (s: string) => void }): Promise<BenchRow[]> {
  throw new Error('the browser benchmark needs the worker (not built yet)');
}
