import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// Cross-origin isolation lets the wasm backend use threads (SharedArrayBuffer).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** The service worker's file name next to index.html (its scope is the folder the page is served from). */
const COI_SW = 'coi-serviceworker.js';

/**
 * Static hosts send no COOP/COEP headers: coi-serviceworker (npm) registers itself from a
 * classic script in <head>, adds those headers to every response of its scope and reloads the
 * page once, so wasm gets its threads anyway. It does nothing where the server sends them.
 * Loaded by a relative URL, it works under any base path.
 */
function coiServiceWorker(): Plugin {
  const source = () => readFileSync(createRequire(import.meta.url).resolve('coi-serviceworker/coi-serviceworker.min.js'), 'utf8');
  return {
    name: 'px-lab-coi-serviceworker',
    configureServer(server) {
      server.middlewares.use(`/${COI_SW}`, (_req, res) => {
        res.setHeader('Content-Type', 'text/javascript');
        res.end(source());
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: COI_SW, source: source() });
    },
    transformIndexHtml: () => [{ tag: 'script', attrs: { src: `./${COI_SW}` }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  // relative: the built site runs from any folder of any static host (`vite build --base /x/` fixes one)
  base: './',
  plugins: [react(), coiServiceWorker()],
  // the worker's tfjs: core, gradients and cpu; other backends are dynamic imports (src/core/backend.ts)
  resolve: { alias: [{ find: /^@tensorflow\/tfjs$/, replacement: fileURLToPath(new URL('./src/core/tfjs-lean.ts', import.meta.url)) }] },
  server: { headers: isolation },
  preview: { headers: isolation, port: 4173, strictPort: true },
  worker: {
    format: 'es',
    // tfjs copies its threaded-wasm glue into the pthread workers as text (Function.toString);
    // minified, that copy breaks ("e is not defined"; compressed without renaming, the worker
    // still dies: e2e/threads.spec.ts fails), so the worker's chunks are only tree-shaken. The
    // page's own code (React, charts) is minified.
    rolldownOptions: { output: { minify: 'dce-only' } },
  },
  build: {
    target: 'es2022',
    minify: 'oxc',
    chunkSizeWarningLimit: 8000,
  },
});
