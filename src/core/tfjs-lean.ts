// What the page's worker bundles in place of the '@tensorflow/tfjs' union package (an alias in
// vite.config.ts): tfjs-core with every gradient and the chained ops, and the cpu backend. The
// union also pulls in layers, converter and data (unused here) and the webgl backend, which the
// worker loads only when it tries webgl. Node keeps the union package (its CommonJS build: the
// ESM files of tfjs-core use extensionless imports that Node cannot resolve).
export * from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-cpu';
