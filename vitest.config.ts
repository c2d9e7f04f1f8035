import { availableParallelism } from 'node:os';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * Files that take minutes, longest first. A clean clone has no recorded timings, so vitest orders
 * files by size and the longest can start last; started first, it runs beside all the others.
 * Measured on 2 cores (2026-12-07): px2024.fixtures 396 s alone, 461 s beside the rest; cli and
 * train.cli 40–50 s; everything else under 25 s.
 */
const LONGEST_FIRST = ['test/px2024.fixtures.test.ts', 'test/train.cli.test.ts', 'test/cli.test.ts'];

class LongestFirst extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FIRST.findIndex((name) => f.moduleId.endsWith(name));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    return sorted
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
      .map(({ f }) => f);
  }
}

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest's default (cores − 1) is one worker on two cores: 735 s there, 463 s with two
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: LongestFirst },
  },
});
