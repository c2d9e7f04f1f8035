// How the worker client words a worker failure, and the AbortError it rejects superseded calls with.
import type { BackendName } from '../../shared/protocol';
import type { WorkerFault } from '../../shared/workerApi';

const BACKEND_LABEL: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'wasm', cpu: 'cpu' };

export function abortError(message = 'superseded'): Error {
  const e = new Error(message);
  e.name = 'AbortError';
  return e;
}

/** What failed and where the client restarts, for the notices ("<what> (...); restarting on <where>"). */
export function faultWords(f: WorkerFault): { what: string; where: string } {
  const label = BACKEND_LABEL[f.backend];
  const what =
    f.kind === 'device-lost'
      ? `The ${label} device was lost`
      : f.kind === 'backend-error'
        ? `The ${label} backend failed`
        : f.kind === 'silent'
          ? 'The compute worker stopped responding'
          : `The compute worker crashed on ${label}`;
  return { what, where: f.kind === 'silent' ? 'a new worker' : 'the next backend' };
}
