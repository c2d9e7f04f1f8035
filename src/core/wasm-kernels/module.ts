// Running kernels.c inside the tfjs wasm backend's own memory: the module imports that memory
// (a plain one in Node's SIMD build, a shared one in the browser's threaded build, hence two
// builds), so a kernel reads its inputs where tfjs keeps them and writes straight into tensors
// tfjs allocated: no copies. The module has no data, globals or stack of its own (checked when it
// is built): it touches only the memory it is handed pointers to.
import type { tf } from '../tf';
import { KERNELS_WASM_BASE64, KERNELS_WASM_SHARED_BASE64 } from './kernels.wasm';
import { KernelThreads, runAlone, type KernelCall, type KernelHelperInit, type Kernels } from './threads';

// WebAssembly, typed here as far as it is used: core is checked without the DOM lib and node types
interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasmApi = () => (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface WasmBackendLike {
  wasm: {
    /** the threaded build's memory (made in JS and shared with its workers) */
    wasmMemory?: WasmMemory;
    /** the SIMD build's exports, its memory among them */
    asm?: { memory?: WasmMemory };
    _malloc(bytes: number): number;
    _free(pointer: number): void;
  };
  dataIdMap: { get(id: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  disposeData(dataId: object): boolean;
}

const instances = new WeakMap<WasmMemory, Kernels>();
/** Helper threads serving the kernels in a (shared) memory, once they are all ready. */
const threadsOf = new WeakMap<WasmMemory, KernelThreads>();

const tfjsMemory = (backend: unknown): WasmMemory | undefined => {
  const wasm = (backend as Partial<WasmBackendLike>).wasm;
  return wasm?.wasmMemory ?? wasm?.asm?.memory;
};

const failed = new WeakSet<WasmMemory>();

/** Whether the kernels can run in this backend's memory: a tfjs wasm backend of a known layout
 * whose memory the module instantiates against (tried once per memory; a failure means the
 * portable path, never an error). */
export function canRunIn(backend: unknown): boolean {
  const memory = tfjsMemory(backend);
  if (!memory || failed.has(memory) || typeof (backend as Partial<WasmBackendLike>).dataIdMap?.get !== 'function') return false;
  try {
    kernelsIn(memory);
    return true;
  } catch {
    failed.add(memory);
    return false;
  }
}

const isShared = (memory: WasmMemory) => typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;

/** The kernels instantiated against `memory` (once per memory and thread). */
export function kernelsIn(memory: unknown): Kernels {
  const m = memory as WasmMemory;
  let k = instances.get(m);
  if (!k) {
    const bytes = Uint8Array.from(atob(isShared(m) ? KERNELS_WASM_SHARED_BASE64 : KERNELS_WASM_BASE64), (c: string) => c.charCodeAt(0));
    const api = wasmApi();
    k = new api.Instance(new api.Module(bytes), { env: { memory: m } }).exports as unknown as Kernels;
    instances.set(m, k);
  }
  return k;
}

/**
 * Helper threads for the kernels of a threaded wasm backend (shared memory): the inits to hand
 * `helpers` new threads (each runs serveKernelCalls(kernelsIn(init.memory), init)), and `start`,
 * to call once all of them have instantiated the kernels. Null where the memory is not shared
 * (Node, an unisolated page) or the kernels cannot run: they then run on the calling thread.
 */
export function kernelThreadsFor(backend: unknown, helpers: number): { inits: KernelHelperInit[]; start(): void } | null {
  const memory = tfjsMemory(backend);
  if (helpers < 1 || !memory || !isShared(memory) || !canRunIn(backend)) return null;
  const threads = new KernelThreads(helpers);
  return {
    inits: Array.from({ length: helpers }, (_, h) => threads.helperInit(memory, h)),
    start: () => threadsOf.set(memory, threads),
  };
}

/** How many threads run the kernels in this backend's memory. */
export const kernelThreadCount = (backend: unknown): number => {
  const memory = tfjsMemory(backend);
  return memory ? (threadsOf.get(memory)?.helpers ?? 0) + 1 : 1;
};

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Pointers handed to a kernel call: the inputs', the outputs' and the scratch's. */
export interface KernelPointers {
  inputs: number[];
  outputs: number[];
  scratch: number;
}

/**
 * Runs kernel calls on tensors of the wasm backend: allocates the outputs (zeroed where the
 * kernels accumulate into them) and `scratchBytes` of scratch, then runs `calls(pointers)` in
 * order, each split between the kernel threads where it allows.
 */
export function runIn(
  backend: unknown,
  inputs: tf.TensorInfo[],
  outShapes: number[][],
  opts: { scratchBytes?: number; zeroed?: boolean },
  calls: (p: KernelPointers) => KernelCall[],
): tf.TensorInfo[] {
  const b = backend as WasmBackendLike;
  const memory = tfjsMemory(b)!;
  const kernels = kernelsIn(memory);
  const threads = threadsOf.get(memory);
  const outs = outShapes.map((shape) => b.makeOutput(shape, 'float32'));
  const scratch = opts.scratchBytes ? b.wasm._malloc(opts.scratchBytes) : 0;
  try {
    // a null pointer would shift every argument after it
    if (opts.scratchBytes && scratch === 0) throw new Error(`no memory for ${opts.scratchBytes} bytes of kernel scratch`);
    const at = (t: tf.TensorInfo) => b.dataIdMap.get(t.dataId)!.memoryOffset;
    // a fresh view: allocating may have grown the memory
    if (opts.zeroed) for (const o of outs) new Float32Array(memory.buffer, at(o), sizeOf(o.shape)).fill(0);
    for (const call of calls({ inputs: inputs.map(at), outputs: outs.map(at), scratch })) {
      if (threads) threads.run(kernels, call);
      else runAlone(kernels, call);
    }
  } catch (e) {
    for (const o of outs) b.disposeData(o.dataId);
    throw e;
  } finally {
    if (scratch) b.wasm._free(scratch);
  }
  return outs;
}
