// The page never imports tfjs (or src/core, or the worker's code) on the main thread: walk the
// static imports from the page's entry and the worker client.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function resolveLocal(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  for (const c of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`]) if (existsSync(c) && statSync(c).isFile()) return c;
  return null;
}

function walk(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const f = todo.pop()!;
    if (files.has(f)) continue;
    files.add(f);
    const src = readFileSync(f, 'utf8');
    // `import type` is erased by the compiler: it loads nothing
    for (const m of src.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
      const spec = m[1];
      if (spec.startsWith('.')) {
        const r = resolveLocal(f, spec.replace(/\?.*$/, ''));
        if (r && /\.(ts|tsx)$/.test(r)) todo.push(r);
      } else packages.add(spec);
    }
  }
  return { files, packages };
}

it('the walk sees tfjs where it is imported (the worker)', () => {
  const { files, packages } = walk(resolve(root, 'src/worker/lab.worker.ts'));
  expect(files.size).toBeGreaterThan(20);
  expect(packages.has('@tensorflow/tfjs')).toBe(true);
});

it('the page imports no tfjs, no src/core and no worker code', () => {
  for (const entry of ['src/app/main.tsx', 'src/app/shell/workerClient.ts']) {
    const p = resolve(root, entry);
    if (!existsSync(p)) continue;
    const { files, packages } = walk(p);
    expect([...packages].filter((s) => s.startsWith('@tensorflow/'))).toEqual([]);
    const bad = [...files].map((f) => f.slice(root.length + 1)).filter((f) => f.startsWith('src/core/') || f.startsWith('src/worker/'));
    expect(bad).toEqual([]);
  }
});
