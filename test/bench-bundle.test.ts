// The bench's main-thread bundle figure counts the entry the built index.html names, written
// relative ("./assets/…", the base that lets the build run under a sub-path) or absolute.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

function fakeDist(src: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pxlab-dist-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), `<script type="module" crossorigin src="${src}"></script>`);
  writeFileSync(join(dir, 'assets', 'index-a.js'), `import{x}from"./dep-b.js";console.log(x,${'"pad",'.repeat(2000)}0)`);
  writeFileSync(join(dir, 'assets', 'dep-b.js'), 'export const x=1;');
  writeFileSync(join(dir, 'assets', 'lazy-c.js'), 'export const y=2;');
  return dir;
}

describe('bench: main-thread bundle', () => {
  for (const src of ['./assets/index-a.js', '/assets/index-a.js']) {
    it(`entry ${src}: the entry and its static imports are main, the rest lazy`, async () => {
      vi.resetModules();
      vi.stubEnv('PXLAB_DIST', fakeDist(src));
      const { bundleFigures } = await import('../bench/suites/bundle');
      const b = bundleFigures();
      const kinds = Object.fromEntries(b.files.map((f) => [f.file, f.kind]));
      expect(kinds).toEqual({ 'assets/index-a.js': 'main', 'assets/dep-b.js': 'main', 'assets/lazy-c.js': 'lazy' });
      expect(b.mainBytes).toBeGreaterThan(10_000);
      vi.unstubAllEnvs();
    });
  }
});
