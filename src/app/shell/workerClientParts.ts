// Parts of the worker client (src/app/shell/workerClient.ts): the request it tracks, the default
// worker and what a (re)started worker is initialised with.
import type { RunConfig } from '../../shared/config';
import type { BackendName, RunSummary } from '../../shared/protocol';
import type { WorkerInit } from '../../shared/workerApi';
import type { RunError } from '../../shared/runError';
import { publicFilesUrl } from './shareLink';
import type { LabClientOptions, RunHandlers } from './workerClientOptions';

/** The client's current request. */
export interface Current {
  id: number;
  config: RunConfig;
  handlers: RunHandlers;
  resolve: (s: RunSummary) => void;
  reject: (e: Error) => void;
  onAbort?: () => void;
  /** The request's error end, if any (the run then resolves null in the worker). */
  error?: RunError;
}

export function defaultWorker(): Worker {
  return new Worker(new URL('../../worker/lab.worker.ts', import.meta.url), { type: 'module', name: 'px-lab-compute' });
}

/** The init of worker generation `gen`, and the name of its Web Lock (where Web Locks exist). */
export function workerInit(
  opts: LabClientOptions,
  excluded: readonly BackendName[],
  gen: number,
): { init: WorkerInit; lifeLock: string | undefined } {
  const lifeLock =
    typeof navigator !== 'undefined' && navigator.locks ? `px-lab-worker-${Math.random().toString(36).slice(2)}-${gen}` : undefined;
  // after a failure the next backend is whatever is left (`only` applies to the first start)
  const base: WorkerInit = excluded.length
    ? { probeTimeoutMs: opts.init?.probeTimeoutMs, exclude: [...(opts.init?.exclude ?? []), ...excluded] }
    : { ...opts.init };
  // the worker fetches data and weights from the page's folder, wherever the site is served
  const publicUrl = typeof document !== 'undefined' ? publicFilesUrl() : undefined;
  const init: WorkerInit = { ...base, ...(publicUrl ? { publicUrl } : {}), ...(lifeLock ? { lifeLock } : {}) };
  return { init, lifeLock };
}
