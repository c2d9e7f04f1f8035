// Running kernels.c inside the tfjs wasm backend's own memory: the module imports that memory
// (a plain one in Node's SIMD build, a shared one in the browser's threaded build, hence two
// builds), so a kernel reads its inputs where tfjs keeps them and writes straight into tensors
// tfjs allocated: no copies. The module has no data, globals or stack of its own (checked when it
// is built): it touches only the memory it is handed pointers to.
import type { tf } from '../tf';
import { KERNELS_WASM_BASE64, KERNELS_WASM_SHARED_BASE64 } from './kernels.wasm';

// WebAssembly, typed here as far as it is used: core is checked without the DOM lib and node types
interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasmApi = () => (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A kernel of kernels.c: pointers to its inputs, its outputs, its scratch (if any), then numbers. */
type Kernel = (...args: number[]) => void;

export type KernelName = 'filter_grad' | 'input_grad' | 'bn_moments' | 'bn_forward' | 'bn_backward';

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

const instances = new WeakMap<WasmMemory, Record<KernelName, Kernel>>();

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

function kernelsIn(memory: WasmMemory): Record<KernelName, Kernel> {
  let k = instances.get(memory);
  if (!k) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = Uint8Array.from(atob(shared ? KERNELS_WASM_SHARED_BASE64 : KERNELS_WASM_BASE64), (c: string) => c.charCodeAt(0));
    const api = wasmApi();
    k = new api.Instance(new api.Module(bytes), { env: { memory } }).exports as unknown as Record<KernelName, Kernel>;
    instances.set(memory, k);
  }
  return k;
}

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Runs kernel `name` on tensors of the wasm backend: allocates the outputs (zeroed where the
 * kernel accumulates into them) and `scratchFloats` of scratch, passes the pointers of inputs,
 * outputs and scratch, then `numbers`.
 */
export function runIn(
  backend: unknown,
  name: KernelName,
  inputs: tf.TensorInfo[],
  outShapes: number[][],
  opts: { scratchFloats?: number; zeroed?: boolean; numbers: number[] },
): tf.TensorInfo[] {
  const b = backend as WasmBackendLike;
  const memory = tfjsMemory(b)!;
  const kernel = kernelsIn(memory)[name];
  const outs = outShapes.map((shape) => b.makeOutput(shape, 'float32'));
  const scratch = opts.scratchFloats ? b.wasm._malloc(opts.scratchFloats * 4) : null;
  try {
    // a null pointer would shift every argument after it
    if (scratch === 0) throw new Error(`${name}: no memory for ${opts.scratchFloats} floats of scratch`);
    const at = (t: tf.TensorInfo) => b.dataIdMap.get(t.dataId)!.memoryOffset;
    // a fresh view: allocating may have grown the memory
    if (opts.zeroed) for (const o of outs) new Float32Array(memory.buffer, at(o), sizeOf(o.shape)).fill(0);
    kernel(...inputs.map(at), ...outs.map(at), ...(scratch === null ? [] : [scratch]), ...opts.numbers);
  } catch (e) {
    for (const o of outs) b.disposeData(o.dataId);
    throw e;
  } finally {
    if (scratch) b.wasm._free(scratch);
  }
  return outs;
}
