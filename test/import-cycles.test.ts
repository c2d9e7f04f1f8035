// No import circle anywhere in src/: a walk over every relative import and re-export (type-only
// ones too: a circle of types is still a circle to read through), and a planted circle that the
// walk must find.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));
const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\b[^'";]*?['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

function resolveImport(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  for (const p of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')])
    if (/\.tsx?$/.test(p) && existsSync(p) && statSync(p).isFile()) return p;
  return null;
}

/** Every circle of imports among `files` (each once, as the files in order, the first repeated last). */
export function importCycles(files: string[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const deps = [...text.matchAll(IMPORT_RE)].map((m) => resolveImport(f, m[1] ?? m[2])).filter((d): d is string => d !== null);
    graph.set(f, [...new Set(deps)]);
  }
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === 'open') cycles.push([...stack.slice(stack.indexOf(d)), d]);
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return cycles;
}

describe('imports', () => {
  it('src/ has no import circle', () => {
    const cycles = importCycles(sources(SRC)).map((c) => c.map((f) => relative(SRC, f)).join(' → '));
    expect(cycles).toEqual([]);
  });

  it('finds a planted circle (a → b → c → a), type-only imports and re-exports included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pxlab-cycles-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import { b } from './b';\nexport const a = b;\n");
      writeFileSync(join(dir, 'b.tsx'), "export { c as b } from './c';\n");
      writeFileSync(join(dir, 'c.ts'), "import type { A } from './a';\nexport const c = 1 as unknown as A;\n");
      writeFileSync(join(dir, 'd.ts'), "import { a } from './a';\nexport const d = a;\n");
      const cycles = importCycles(sources(dir)).map((c) => c.map((f) => relative(dir, f)));
      expect(cycles).toEqual([['a.ts', 'b.tsx', 'c.ts', 'a.ts']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
