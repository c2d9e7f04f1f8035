// The built app's weight and first paint: main-thread JavaScript (the entry in dist/index.html
// and the chunks it imports statically, what the page must load before it can paint), the
// worker's chunks, gzipped sizes; first paint and first contentful paint of the page served by
// `vite preview` on localhost in headless Chromium (best of --loads). Alone:
//
//   npx vite build && npx tsx bench/suites/bundle.ts [--port 4181] [--loads 5]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { withServedChromium } from './serve';

const dist = process.env.PXLAB_DIST ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');

export interface BundleFigures {
  /** Main-thread JavaScript loaded before the page runs (entry + static imports). */
  mainBytes: number;
  mainGzip: number;
  /** Other JavaScript of the page (loaded on demand) and the worker's. */
  lazyBytes: number;
  workerBytes: number;
  workerGzip: number;
  wasmBytes: number;
  files: Array<{ file: string; bytes: number; gzip: number; kind: 'main' | 'lazy' | 'worker' | 'wasm' | 'other' }>;
}

const staticImports = (code: string): string[] =>
  [...code.matchAll(/(?:^|[;\n}])\s*(?:import|export)\s*(?:[^'"()]*?from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g)].map((m) => m[1]);
const dynamicImports = (code: string): string[] => [...code.matchAll(/import\(\s*["'](\.{1,2}\/[^"']+\.js)["']\s*\)/g)].map((m) => m[1]);

/** Files reachable from `entries` (paths under dist/) by the given kinds of import. */
function reach(entries: string[], follow: (code: string) => string[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...entries];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const spec of follow(readFileSync(join(dist, f), 'utf8'))) todo.push(posix.join(posix.dirname(f), spec));
  }
  return seen;
}

export function bundleFigures(): BundleFigures {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  // "./assets/x.js" (the relative base that lets the build run under a sub-path) names assets/x.js
  const entries = [...html.matchAll(/<script[^>]*type="module"[^>]*src="\/?([^"]+)"/g)].map((m) => posix.normalize(m[1]));
  const main = reach(entries, staticImports);
  const workerEntries = readdirSync(join(dist, 'assets'))
    .filter((n) => /worker.*\.js$/.test(n))
    .map((n) => `assets/${n}`);
  const worker = reach(workerEntries, (code) => [...staticImports(code), ...dynamicImports(code)]);
  const files: BundleFigures['files'] = [];
  for (const name of readdirSync(join(dist, 'assets'))) {
    const file = `assets/${name}`;
    const body = readFileSync(join(dist, file));
    const kind = main.has(file)
      ? 'main'
      : /\.wasm$/.test(name)
        ? 'wasm'
        : worker.has(file)
          ? 'worker'
          : /\.js$/.test(name)
            ? 'lazy'
            : 'other';
    files.push({ file, bytes: statSync(join(dist, file)).size, gzip: gzipSync(body).length, kind });
  }
  const sum = (k: BundleFigures['files'][number]['kind'], f: 'bytes' | 'gzip') =>
    files.filter((x) => x.kind === k).reduce((a, x) => a + x[f], 0);
  return {
    mainBytes: sum('main', 'bytes'),
    mainGzip: sum('main', 'gzip'),
    lazyBytes: sum('lazy', 'bytes'),
    workerBytes: sum('worker', 'bytes'),
    workerGzip: sum('worker', 'gzip'),
    wasmBytes: sum('wasm', 'bytes'),
    files,
  };
}

/** Best first paint / first contentful paint (ms) over `loads` fresh page loads. */
export async function firstPaint(port: number, loads: number): Promise<{ firstPaintMs: number; firstContentfulPaintMs: number }> {
  return withServedChromium(port, async (browser, url) => {
    let fp = Infinity;
    let fcp = Infinity;
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      // tsx (esbuild, keepNames) wraps functions in __name(); the page has no such helper
      await page.addInitScript('globalThis.__name = (f) => f;');
      await page.goto(url);
      const t = await page.evaluate(async () => {
        const get = (n: string) => performance.getEntriesByName(n)[0]?.startTime;
        for (let k = 0; k < 200 && get('first-contentful-paint') === undefined; k++) await new Promise((r) => setTimeout(r, 25));
        return { fp: get('first-paint') ?? NaN, fcp: get('first-contentful-paint') ?? NaN };
      });
      fp = Math.min(fp, t.fp);
      fcp = Math.min(fcp, t.fcp);
      await context.close();
    }
    return { firstPaintMs: fp, firstContentfulPaintMs: fcp };
  });
}

export const kB = (b: number) => `${(b / 1000).toFixed(0)} kB`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '4181' }, loads: { type: 'string', default: '5' } },
    strict: false,
  });
  const b = bundleFigures();
  for (const f of b.files.sort((x, y) => y.bytes - x.bytes))
    console.log(`${f.kind.padEnd(6)} ${kB(f.bytes).padStart(9)} ${kB(f.gzip).padStart(8)} gz  ${f.file}`);
  console.log(
    `main thread ${kB(b.mainBytes)} (${kB(b.mainGzip)} gzipped); lazy page chunks ${kB(b.lazyBytes)}; worker ${kB(b.workerBytes)} (${kB(b.workerGzip)} gzipped); wasm ${kB(b.wasmBytes)}`,
  );
  const p = await firstPaint(Number(values.port), Number(values.loads));
  console.log(
    `first paint ${p.firstPaintMs.toFixed(0)} ms, first contentful paint ${p.firstContentfulPaintMs.toFixed(0)} ms (best of ${values.loads}, localhost)`,
  );
}
