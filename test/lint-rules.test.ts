// The layer rules and size limits of eslint.config.js catch what they are for: each planted
// violation (a file linted as if it sat in a layer, with ESLint's Node API and the project's
// config) gets the rule's error, and the same file with an allowed import gets none.
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The rule ids ESLint reports for `code` placed at `filePath` (relative to the repository). */
async function rulesHit(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  expect(
    result.messages.filter((m) => m.fatal),
    'parse errors',
  ).toEqual([]);
  return result.messages.map((m) => m.ruleId ?? 'none');
}

const use = (spec: string) => `import * as planted from '${spec}';\nexport const x = planted;\n`;

// [layer folder, import that breaks a rule, rule that must fire]
const VIOLATIONS: Array<[string, string, string]> = [
  ['src/core/models', '../../app/App', 'import/no-restricted-paths'],
  ['src/core', '../worker/runner', 'import/no-restricted-paths'],
  ['src/core', '../cli/main', 'import/no-restricted-paths'],
  ['src/core/metrics', '../../../test/fixtures', 'import/no-restricted-paths'],
  ['src/app', '../core/tf', 'import/no-restricted-paths'],
  ['src/app/prune', '../../core/pruners', 'import/no-restricted-paths'],
  ['src/app', '@tensorflow/tfjs-core', 'no-restricted-imports'],
  ['src/shared', '../core/rng', 'import/no-restricted-paths'],
  ['src/shared', '../worker/runner', 'import/no-restricted-paths'],
  ['src/shared', '../app/App', 'import/no-restricted-paths'],
  ['src/shared', '../cli/main', 'import/no-restricted-paths'],
  ['src/shared', '@tensorflow/tfjs', 'no-restricted-imports'],
  ['src/worker', '../app/shell/workerClient', 'import/no-restricted-paths'],
  ['src/worker', '../cli/main', 'import/no-restricted-paths'],
  ['src/cli', '../app/App', 'import/no-restricted-paths'],
  ['src/cli', '../worker/runner', 'import/no-restricted-paths'],
  ['src/worker', '../../test/fixtures', 'import/no-restricted-paths'],
  ['src/app', '../../e2e/cifar-files', 'import/no-restricted-paths'],
];

// [layer folder, an import the layers allow]
const ALLOWED: Array<[string, string]> = [
  ['src/core/models', '../../shared/config'],
  ['src/app', '../shared/protocol'],
  ['src/worker', '../core/tf'],
  ['src/cli', '../core/job'],
  ['src/shared', './config'],
];

describe('eslint layer rules catch planted violations', () => {
  it.each(VIOLATIONS)('%s importing %s: %s', async (dir, spec, rule) => {
    expect(await rulesHit(`${dir}/__planted__.ts`, use(spec))).toContain(rule);
  });

  it.each(ALLOWED)('%s importing %s passes', async (dir, spec) => {
    expect(await rulesHit(`${dir}/__planted__.ts`, use(spec))).toEqual([]);
  });
});

describe('eslint size limits', () => {
  it('a file over 400 lines is an error, 400 lines is not', async () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
    expect(await rulesHit('src/worker/__planted__.ts', lines(401))).toContain('max-lines');
    expect(await rulesHit('src/worker/__planted__.ts', lines(400))).toEqual([]);
  });

  it('a function over 80 lines of code is an error, 80 is not', async () => {
    const fn = (n: number) => `export function f(): number {\n  let a = 0;\n${'  a += 1;\n'.repeat(n - 4)}  return a;\n}\n`;
    expect(await rulesHit('src/app/__planted__.ts', fn(81))).toContain('max-lines-per-function');
    expect(await rulesHit('src/app/__planted__.ts', fn(80))).toEqual([]);
  });
});
