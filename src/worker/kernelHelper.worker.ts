// A helper thread of the lab's wasm kernels: instantiates them against tfjs's shared memory,
// says so, then serves the compute worker's kernel calls until it is terminated with it.
import { kernelsIn } from '../core/wasm-kernels/module';
import { serveKernelCalls, type KernelHelperInit } from '../core/wasm-kernels/threads';

self.onmessage = (e: MessageEvent<KernelHelperInit>) => {
  const kernels = kernelsIn(e.data.memory);
  self.postMessage('ready');
  serveKernelCalls(kernels, e.data);
};
