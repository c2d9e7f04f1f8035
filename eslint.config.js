// Lint: the layer rules of src/ (which folder may import which) and the size limits. Run by
// `npm run lint`, which `npm test` runs first; test/lint-rules.test.ts proves each layer rule
// catches a planted violation.
import importPlugin from 'eslint-plugin-import';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Layer rules: files in `target` must not import from `from` (resolved paths, not import strings). */
const LAYERS = [
  {
    target: './src/core',
    from: ['./src/app', './src/worker', './src/cli'],
    message: 'src/core is pure TS + tfjs: it must not import the page, the worker or the CLI.',
  },
  {
    target: './src/app',
    from: ['./src/core'],
    message: 'src/app must not import src/core: the page reaches core only through the worker (src/worker via src/shared/protocol).',
  },
  {
    target: './src/shared',
    from: ['./src/core', './src/worker', './src/app', './src/cli'],
    message: 'src/shared holds plain data, schemas and the protocol: it imports no other layer.',
  },
  { target: './src/worker', from: ['./src/app', './src/cli'], message: 'src/worker must not import the page or the CLI.' },
  {
    target: './src/cli',
    from: ['./src/app', './src/worker'],
    message: 'src/cli runs core in Node: it must not import the page or the worker.',
  },
  {
    target: './src',
    from: ['./test', './e2e', './bench'],
    message: 'src never imports tests, e2e or benchmarks (test helpers live in test/).',
  },
];

/** tfjs is the worker's and core's: the page and the shared layer never load it. */
const NO_TFJS = {
  patterns: [{ group: ['@tensorflow/*'], message: 'tfjs belongs to src/core and src/worker (the page and src/shared never load it).' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'public/**', 'test-results/**', 'playwright-report/**'] },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } } },
    plugins: { import: importPlugin, '@typescript-eslint': tseslint.plugin, 'react-hooks': reactHooks },
    settings: {
      'import/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] } },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'import/no-restricted-paths': ['error', { zones: LAYERS }],
      // every line counts for a file ("no source file over 400 lines"); a function's code only
      'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
  { files: ['src/app/**/*.{ts,tsx}', 'src/shared/**/*.ts'], rules: { 'no-restricted-imports': ['error', NO_TFJS] } },
  { files: ['src/app/**/*.{ts,tsx}'], rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' } },
  // a test's describe() is one long callback by nature; test files keep the file limit only
  { files: ['src/**/*.test.ts'], rules: { 'max-lines-per-function': 'off' } },
);
