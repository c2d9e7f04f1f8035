// Running one kernel call on several threads: the calling thread and helper threads that share
// tfjs's (shared) wasm memory and have each instantiated kernels.c against it. A call's range
// (its last two arguments) is cut into one share per thread; every kernel splits along an index
// whose elements it computes independently (output channels, images, rows), so each element's
// arithmetic, and hence every number, is the same for any thread count.
//
// The threads meet in a small control block (a SharedArrayBuffer of its own): the caller writes
// the call, bumps `generation` and wakes the helpers, runs its own share, then waits until
// `pending` is back to zero. Helpers are blocked in Atomics.wait between calls: they cost nothing
// while tfjs's own kernels run.

/** Every kernel of kernels.c, in the order the control block names them. */
export const KERNEL_NAMES = [
  'filter_grad',
  'filter_ci_inner',
  'input_grad',
  'bn_moments',
  'bn_factors',
  'bn_forward',
  'bn_backward_sums',
  'bn_backward_dx',
  'relu',
  'relu_grad',
  'sgd_update',
] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

/** A kernel of kernels.c: pointers, then numbers, then (for a split call) its range. */
export type Kernel = (...args: number[]) => void;
export type Kernels = Record<KernelName, Kernel>;

/** One kernel call; `split`: it ends with a range [lo, hi) of `items` that threads may share,
 * each share's bounds a multiple of `align`; a range of fewer than `minItems` (default 2·align)
 * is not worth waking the helpers for and runs on the calling thread. */
export interface KernelCall {
  kernel: KernelName;
  args: number[];
  split?: { items: number; align: number; minItems?: number };
}

// control block: Int32 slots, then the arguments as Float64
const GENERATION = 0;
const PENDING = 1;
const FAILED = 2;
const KERNEL = 3;
const ARG_COUNT = 4;
const RANGES = 8; // helper h's range at RANGES + 2h, RANGES + 2h + 1
export const MAX_HELPERS = 15;
const ARGS_BYTE = 4 * (RANGES + 2 * MAX_HELPERS) + 8;
const MAX_ARGS = 32;
const CONTROL_BYTES = ARGS_BYTE + 8 * MAX_ARGS;

/** What a helper thread is handed: the memory, the control block and its own index (0-based). */
export interface KernelHelperInit {
  memory: unknown;
  control: SharedArrayBuffer;
  helper: number;
}

/** [lo, hi) of share `i` of `parts` over `items`, bounds on multiples of `align` (the last share ends at `items`). */
export function shareOf(items: number, parts: number, i: number, align: number): [number, number] {
  const cut = (k: number) => (k >= parts ? items : Math.min(items, Math.round((items * k) / parts / align) * align));
  return [cut(i), cut(i + 1)];
}

/** Runs `call` on this thread alone: its whole range. */
export function runAlone(kernels: Kernels, call: KernelCall): void {
  kernels[call.kernel](...call.args, ...(call.split ? [0, call.split.items] : []));
}

/** The caller's side: the control block and how many helpers serve it. */
export class KernelThreads {
  readonly control = new SharedArrayBuffer(CONTROL_BYTES);
  private readonly slots = new Int32Array(this.control);
  private readonly args = new Float64Array(this.control, ARGS_BYTE, MAX_ARGS);

  constructor(readonly helpers: number) {
    if (!Number.isInteger(helpers) || helpers < 1 || helpers > MAX_HELPERS)
      throw new Error(`kernel helpers: 1..${MAX_HELPERS} (got ${helpers})`);
  }

  /** The init message for helper `helper`. */
  helperInit(memory: unknown, helper: number): KernelHelperInit {
    return { memory, control: this.control, helper };
  }

  /** Runs `call` with its range shared between this thread and the helpers. */
  run(kernels: Kernels, call: KernelCall): void {
    const { split } = call;
    const parts = this.helpers + 1;
    if (!split || split.items < Math.max(2 * split.align, split.minItems ?? 0)) return runAlone(kernels, call);
    if (call.args.length > MAX_ARGS) throw new Error(`${call.kernel}: more than ${MAX_ARGS} arguments`);
    const s = this.slots;
    this.args.set(call.args);
    s[KERNEL] = KERNEL_NAMES.indexOf(call.kernel);
    s[ARG_COUNT] = call.args.length;
    for (let h = 0; h < this.helpers; h++) {
      const [lo, hi] = shareOf(split.items, parts, h + 1, split.align);
      s[RANGES + 2 * h] = lo;
      s[RANGES + 2 * h + 1] = hi;
    }
    Atomics.store(s, FAILED, 0);
    Atomics.store(s, PENDING, this.helpers);
    Atomics.add(s, GENERATION, 1);
    Atomics.notify(s, GENERATION);
    const [lo, hi] = shareOf(split.items, parts, 0, split.align);
    try {
      if (hi > lo) kernels[call.kernel](...call.args, lo, hi);
    } finally {
      // the helpers write into tfjs's memory: never return (or throw) while one still runs
      for (let p = Atomics.load(s, PENDING); p !== 0; p = Atomics.load(s, PENDING)) Atomics.wait(s, PENDING, p);
    }
    if (Atomics.load(s, FAILED)) throw new Error(`${call.kernel}: a kernel thread failed`);
  }
}

/** The helper's side: serves calls forever (its thread does nothing else). */
export function serveKernelCalls(kernels: Kernels, init: KernelHelperInit): never {
  const s = new Int32Array(init.control);
  const args = new Float64Array(init.control, ARGS_BYTE, MAX_ARGS);
  // starts from 0, not the current generation: a call made before this thread got here is served
  for (let seen = 0; ;) {
    Atomics.wait(s, GENERATION, seen);
    seen = Atomics.load(s, GENERATION);
    try {
      const lo = s[RANGES + 2 * init.helper];
      const hi = s[RANGES + 2 * init.helper + 1];
      if (hi > lo) kernels[KERNEL_NAMES[s[KERNEL]]](...Array.from(args.subarray(0, s[ARG_COUNT])), lo, hi);
    } catch {
      Atomics.store(s, FAILED, 1);
    }
    if (Atomics.sub(s, PENDING, 1) === 1) Atomics.notify(s, PENDING);
  }
}
