// Counts, on tfjs-backend-webgpu (4.22), the compute dispatches, the GPU → CPU reads and the queue
// submits. Dispatches are counted at the WebGPU API itself (GPUComputePassEncoder.dispatchWorkgroups,
// whichever backend code issues them); reads at the backend's getBufferData, the one place it
// maps a staging buffer to copy a tensor to the CPU (read, readSync and data() all end there);
// submits at its submitQueue. Works in a page and in Node with Dawn (the `webgpu` package).
import { tf } from '../../src/core/tf';
import type { DispatchCounter, GpuCounts } from './dispatchRound';

interface WebGPUBackendLike {
  getBufferData(buffer: unknown): Promise<ArrayBuffer>;
  submitQueue(): void;
}

type Proto = { dispatchWorkgroups: (...a: number[]) => void };

export function installDispatchCounter(): DispatchCounter {
  const counts: GpuCounts = { dispatches: 0, reads: 0, submits: 0 };
  const encoder = (globalThis as unknown as { GPUComputePassEncoder?: { prototype: Proto } }).GPUComputePassEncoder;
  if (!encoder) throw new Error('GPUComputePassEncoder is not defined: no WebGPU here');
  const dispatch = encoder.prototype.dispatchWorkgroups;
  encoder.prototype.dispatchWorkgroups = function (this: unknown, ...a: number[]) {
    counts.dispatches++;
    return dispatch.apply(this, a);
  };
  if (tf.getBackend() !== 'webgpu') throw new Error(`backend is ${tf.getBackend()}, not webgpu`);
  const be = tf.backend() as unknown as WebGPUBackendLike;
  const getBufferData = be.getBufferData.bind(be);
  be.getBufferData = (buffer) => {
    counts.reads++;
    return getBufferData(buffer);
  };
  const submitQueue = be.submitQueue.bind(be);
  be.submitQueue = () => {
    counts.submits++;
    submitQueue();
  };
  return {
    reset() {
      counts.dispatches = counts.reads = counts.submits = 0;
    },
    read: () => ({ ...counts }),
  };
}
