// Threads for the lab's own wasm kernels. XNNPACK runs tfjs's kernels on its pthread pool; the
// lab's kernels (convolution gradients, BatchNorm) get as many threads from helper workers of
// this worker, sharing tfjs's memory (core/wasm-kernels/threads.ts). Every number is the same on
// any thread count; a helper that fails to start leaves the kernels on this thread.
import { kernelThreadsFor } from '../core/wasm-kernels';
import { tf } from '../core/tf';

const HELPER_START_MS = 10_000;

/** Starts `threads - 1` helpers for the kernels of the active (wasm) backend; resolves to the
 * number of threads the kernels run on. */
export async function startKernelThreads(threads: number): Promise<number> {
  const plan = threads > 1 ? kernelThreadsFor(tf.backend(), threads - 1) : null;
  if (!plan) return 1;
  const helpers: Worker[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    // a helper that cannot be made, or cannot take the shared memory, leaves the kernels here
    const ready = plan.inits.map((init, h) => {
      const w = new Worker(new URL('./kernelHelper.worker.ts', import.meta.url), { type: 'module', name: `px-lab-kernels-${h + 1}` });
      helpers.push(w);
      const started = new Promise<void>((resolve, fail) => {
        w.onmessage = (e: MessageEvent<string>) => (e.data === 'ready' ? resolve() : fail(new Error(e.data)));
        w.onerror = (e) => fail(new Error(e.message));
      });
      w.postMessage(init);
      return started;
    });
    await Promise.race([
      Promise.all(ready),
      new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error('kernel helpers did not start')), HELPER_START_MS))),
    ]);
  } catch {
    for (const w of helpers) w.terminate();
    return 1;
  } finally {
    clearTimeout(timer);
  }
  plan.start();
  return threads;
}
