// A kernel helper thread for test/wasm-kernels.threads.test.ts (Node worker_threads), as
// src/worker/kernelHelper.worker.ts is one in the page.
import { parentPort, workerData } from 'node:worker_threads';
import { kernelsIn } from '../../src/core/wasm-kernels/module';
import { serveKernelCalls, type KernelHelperInit } from '../../src/core/wasm-kernels/threads';

const init = workerData as KernelHelperInit;
const kernels = kernelsIn(init.memory);
parentPort!.postMessage('ready');
serveKernelCalls(kernels, init);
