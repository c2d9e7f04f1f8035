// How many threads the wasm backend gets in the page, and why not more.
//
// tfjs-backend-wasm 4.22 loads its threaded SIMD build when SharedArrayBuffer can be posted
// (the page is cross-origin isolated), pre-creates 8 pthread workers, and then sizes XNNPACK's
// pool as min(setThreadsCount(n), 8, hardwareConcurrency / 2) (backend.cc: `num_cores =
// emscripten_num_logical_cores() / 2`, read from navigator.hardwareConcurrency at module start).
// So on a 2-core laptop or CI machine it reports 1 thread whatever setThreadsCount asked for.
// We want one thread per logical core: while the module starts, the worker's navigator reports
// twice the wanted count (withReportedCores), and setThreadsCount asks for exactly that count.

/** tfjs pre-creates this many pthread workers (PTHREAD_POOL_SIZE); more would need new workers. */
export const WASM_MAX_THREADS = 8;

export interface WasmThreadPlan {
  /** Threads to ask for (setThreadsCount). */
  threads: number;
  /** Why only one thread, in words for the page; absent when threads > 1 or one core. */
  reason?: string;
}

export const NOT_ISOLATED_REASON =
  'not cross-origin isolated: the server must send Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp for wasm threads';

/**
 * Threads for the wasm backend: one per logical core (at most WASM_MAX_THREADS) when the page
 * is cross-origin isolated; `requested` (tests, benchmarks) overrides within those bounds.
 */
export function planWasmThreads(opts: { isolated: boolean; hardwareConcurrency?: number; requested?: number }): WasmThreadPlan {
  if (!opts.isolated) return { threads: 1, reason: NOT_ISOLATED_REASON };
  const cores = Math.max(1, Math.floor(opts.hardwareConcurrency || 1));
  if (opts.requested !== undefined) {
    const threads = Math.max(1, Math.min(WASM_MAX_THREADS, Math.floor(opts.requested)));
    return threads === 1 ? { threads, reason: 'one thread requested' } : { threads };
  }
  const threads = Math.min(WASM_MAX_THREADS, cores);
  return threads === 1 ? { threads, reason: 'the browser reports one logical core' } : { threads };
}

/**
 * Run `start` (the wasm backend's initialisation) while navigator.hardwareConcurrency reports
 * 2 × threads, so tfjs's "half the logical cores" cap lets the pool have `threads` threads.
 * The real value is restored afterwards, also when `start` fails.
 */
export async function withReportedCores<T>(
  threads: number,
  start: () => Promise<T>,
  nav: object | undefined = (globalThis as { navigator?: object }).navigator,
): Promise<T> {
  if (!nav || threads <= 1) return start();
  const own = Object.getOwnPropertyDescriptor(nav, 'hardwareConcurrency');
  Object.defineProperty(nav, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
  try {
    return await start();
  } finally {
    if (own) Object.defineProperty(nav, 'hardwareConcurrency', own);
    else delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}
