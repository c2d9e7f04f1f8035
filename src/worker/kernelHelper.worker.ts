// A helper thread of the lab's wasm kernels: instantiates them against tfjs's shared memory,
// says so, then serves the compute worker's kernel calls until it is terminated with it.
import { kernelsIn } from '../core/wasm-kernels/module';
import { serveKernelCalls, type KernelHelperInit } from '../core/wasm-kernels/threads';

self.onmessage = (e: MessageEvent<KernelHelperInit>) => {
  let kernels;
  try {
    kernels = kernelsIn(e.data.memory);
  } catch (err) {
    self.postMessage(`the kernels could not start here: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  self.postMessage('ready');
  serveKernelCalls(kernels, e.data);
};
self.onmessageerror = () => self.postMessage('the shared memory could not be received');
