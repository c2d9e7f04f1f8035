// Cancellation and failure helpers of the worker's requests (the only ones: core's AbortError and
// throwIfAborted, re-exported, plus what only the worker needs).
import { AbortError } from '../core/abort';
import type { BackendName } from '../shared/protocol';

export function isAbort(e: unknown, signal: AbortSignal): boolean {
  // not any error named AbortError: WebGPU rejects reads with a DOMException of that name when
  // its device is destroyed, which is a backend failure to restart from, not a cancellation
  return signal.aborted || e instanceof AbortError;
}

/** An error from inside a GPU backend (the page then restarts the worker on the next backend). */
export function backendFailure(e: unknown, backend: BackendName): boolean {
  if (backend !== 'webgl' && backend !== 'webgpu') return false;
  const m = e instanceof Error ? e.message : String(e);
  return (
    /shader|webgl|webgpu|gpu|texture|context lost|device lost|destroyed|out of memory|buffer size/i.test(m) ||
    (e instanceof Error && e.name === 'AbortError')
  );
}

// the one check between steps, core's (core cannot import the worker)
export { AbortError, throwIfAborted } from '../core/abort';

/** Resolves with p, or rejects with an AbortError as soon as the signal aborts. */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new AbortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
