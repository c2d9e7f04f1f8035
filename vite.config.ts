import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// Cross-origin isolation lets the wasm backend use threads (SharedArrayBuffer).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
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
