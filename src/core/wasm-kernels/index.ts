// The lab's own wasm SIMD kernels (kernels.c), run as tfjs kernels of the wasm backend so that
// tf.profile, tf.memory and tidy see them like any other. Each copies its inputs out of the tfjs
// heap into this module's memory, computes, and copies its output into a tensor tfjs allocated:
// copies that are small next to the arithmetic.
import { tf, type Tensor, type Tensor4D } from '../tf';
import type { ConvGeometry } from '../conv';
import { KERNELS_WASM_BASE64 } from './kernels.wasm';

/** tfjs kernel names (registered for the wasm backend only). */
export const FILTER_GRAD_KERNEL = 'PxConv2DBackpropFilter';
export const INPUT_GRAD_KERNEL = 'PxConv2DBackpropInput';
export const CONV_KERNEL = 'PxConv2D';

// Below this the module's linker-placed stack and globals live; buffers start here.
const BASE = 1 << 20;
const PAGE = 1 << 16;

// WebAssembly, typed here as far as it is used: core is checked without the DOM lib and node types
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasmApi = () => (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A kernel of kernels.c: pointers to its inputs, its outputs, its scratch (if any), then numbers. */
type Kernel = (...args: number[]) => void;

type KernelName = 'conv_forward' | 'filter_grad' | 'input_grad' | 'bn_moments' | 'bn_forward' | 'bn_backward';

interface Module {
  memory: WasmMemory;
  kernels: Record<KernelName, Kernel>;
}

let module: Module | null = null;

function loadModule(): Module {
  if (module) return module;
  const bytes = Uint8Array.from(atob(KERNELS_WASM_BASE64), (c: string) => c.charCodeAt(0));
  const api = wasmApi();
  const memory = new api.Memory({ initial: BASE / PAGE + 1 });
  const { exports } = new api.Instance(new api.Module(bytes), { env: { memory } });
  module = { memory, kernels: exports as unknown as Record<KernelName, Kernel> };
  return module;
}

interface WasmBackendLike {
  wasm: { HEAPF32: Float32Array };
  dataIdMap: { get(id: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** A wasm-backend tensor's floats, as a view of the tfjs heap (no copy). */
function floatsOf(backend: WasmBackendLike, t: tf.TensorInfo): Float32Array {
  const offset = backend.dataIdMap.get(t.dataId)!.memoryOffset / 4;
  return backend.wasm.HEAPF32.subarray(offset, offset + sizeOf(t.shape));
}

/**
 * Lays out [inputs | outputs (zeroed) | scratch] in the module's memory (each start 8-byte
 * aligned), copies the inputs in, runs the kernel with their pointers and `numbers`, and copies
 * each output into a new tfjs tensor.
 */
function runIn(
  backend: unknown,
  name: KernelName,
  inputs: tf.TensorInfo[],
  outShapes: number[][],
  scratchFloats: number,
  numbers: number[],
): tf.TensorInfo[] {
  const b = backend as WasmBackendLike;
  const m = loadModule();
  const starts: number[] = [];
  let at = BASE / 4;
  for (const size of [...inputs.map((t) => sizeOf(t.shape)), ...outShapes.map(sizeOf), scratchFloats]) {
    starts.push(at);
    at += size + (size % 2);
  }
  if (at * 4 > m.memory.buffer.byteLength) m.memory.grow(Math.ceil((at * 4 - m.memory.buffer.byteLength) / PAGE));
  const heap = new Float32Array(m.memory.buffer);
  inputs.forEach((t, i) => heap.set(floatsOf(b, t), starts[i]));
  const outStarts = starts.slice(inputs.length, inputs.length + outShapes.length);
  heap.fill(0, outStarts[0], starts[starts.length - 1]);
  const pointers = (scratchFloats ? starts : starts.slice(0, -1)).map((s) => s * 4);
  m.kernels[name](...pointers, ...numbers);
  return outShapes.map((shape, i) => {
    const out = b.makeOutput(shape, 'float32');
    // makeOutput may grow the tfjs heap: floatsOf reads HEAPF32 after it
    floatsOf(b, out).set(heap.subarray(outStarts[i], outStarts[i] + sizeOf(shape)));
    return out;
  });
}

interface ConvAttrs {
  /** [N,H,W,Ci] of the convolution's input x */
  xShape: number[];
  /** [KH,KW,Ci,Co] of its filter */
  filterShape: number[];
  stride: number;
  pad: number;
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: unknown };

/** The kernels' dimension arguments: N,H,W,Ci, Ho,Wo,Co, KH,KW, stride, pad. */
function convDims(attrs: ConvAttrs, dyShape: number[]): number[] {
  const [n, h, w, ci] = attrs.xShape;
  const [kh, kw] = attrs.filterShape;
  return [n, h, w, ci, dyShape[1], dyShape[2], dyShape[3], kh, kw, attrs.stride, attrs.pad];
}

function convKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, filter } = inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as ConvAttrs & { yShape: number[] };
  const [n, h, w, ci] = a.xShape;
  const padded = n * (h + 2 * a.pad) * (w + 2 * a.pad) * ci;
  return runIn(backend, 'conv_forward', [x, filter], [a.yShape], padded, convDims(a, a.yShape))[0];
}

function filterGradKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as ConvAttrs;
  return runIn(backend, 'filter_grad', [x, dy], [a.filterShape], 0, convDims(a, dy.shape))[0];
}

function inputGradKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as ConvAttrs;
  return runIn(backend, 'input_grad', [dy, filter], [a.xShape], sizeOf(a.filterShape), convDims(a, dy.shape))[0];
}

/** NHWC as rows × channels: [N·H·W, C]. */
const rowsAndChannels = (shape: number[]) => [sizeOf(shape.slice(0, -1)), shape[shape.length - 1]];

function bnMomentsKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const { x } = inputs as { x: tf.TensorInfo };
  const [rows, c] = rowsAndChannels(x.shape);
  // outputs: mean, biased variance, 1/√(variance + ε); scratch: 2·C doubles
  return runIn(backend, 'bn_moments', [x], [[c], [c], [c]], 4 * c, [rows, c, (attrs as { eps: number }).eps]);
}

function bnForwardKernel({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const { x, gamma, beta, mean, invStd } = inputs as Record<string, tf.TensorInfo>;
  const [rows, c] = rowsAndChannels(x.shape);
  return runIn(backend, 'bn_forward', [x, gamma, beta, mean, invStd], [x.shape], 2 * c, [rows, c])[0];
}

function bnBackwardKernel({ inputs, backend }: KernelArgs): tf.TensorInfo[] {
  const { dy, x, gamma, mean, invStd } = inputs as Record<string, tf.TensorInfo>;
  const [rows, c] = rowsAndChannels(x.shape);
  // scratch: 2·C doubles, then 2·C floats (bn_backward's acc and kg)
  const [dx, dgamma, dbeta] = runIn(backend, 'bn_backward', [dy, x, gamma, mean, invStd], [x.shape, [c], [c]], 6 * c, [rows, c]);
  return [dx, dgamma, dbeta];
}

const BN_MOMENTS_KERNEL = 'PxBatchNormMoments';
const BN_FORWARD_KERNEL = 'PxBatchNormForward';
const BN_BACKWARD_KERNEL = 'PxBatchNormBackward';

const TFJS_KERNELS: Record<string, (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]> = {
  [CONV_KERNEL]: convKernel,
  [FILTER_GRAD_KERNEL]: filterGradKernel,
  [INPUT_GRAD_KERNEL]: inputGradKernel,
  [BN_MOMENTS_KERNEL]: bnMomentsKernel,
  [BN_FORWARD_KERNEL]: bnForwardKernel,
  [BN_BACKWARD_KERNEL]: bnBackwardKernel,
};

let registered = false;

function runKernel(name: string, inputs: tf.NamedTensorMap, attrs: object = {}): tf.Tensor | tf.Tensor[] {
  if (!registered) {
    for (const [kernelName, f] of Object.entries(TFJS_KERNELS))
      tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: f as tf.KernelFunc });
    registered = true;
  }
  return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];
}

const onWasm = (...ts: tf.Tensor[]) => tf.getBackend() === 'wasm' && ts.every((t) => t.dtype === 'float32');

/** Threads of the wasm backend (XNNPACK's pool; 1 in Node). */
function backendThreads(): number {
  const b = tf.backend() as unknown as { wasm?: { tfjs?: { getThreadsCount?: () => number } } };
  return b.wasm?.tfjs?.getThreadsCount?.() ?? 1;
}

/**
 * conv2d (NHWC, symmetric zero padding) through the lab's SIMD kernel (output channels a
 * multiple of 4), else null. Only where XNNPACK runs on one thread: there the kernel is 10–20%
 * faster than XNNPACK's (ResNet-20's layers in Node); with a thread pool XNNPACK's forward scales
 * and this single-threaded kernel would not.
 */
export function wasmConv2d(x: Tensor4D, w: Tensor4D, g: ConvGeometry): Tensor4D | null {
  if (!onWasm(x, w) || w.shape[3] % 4 !== 0 || backendThreads() > 1) return null;
  const [n, h, wd] = x.shape;
  const [kh, kw, , co] = w.shape;
  const yShape = [n, Math.floor((h + 2 * g.pad - kh) / g.stride) + 1, Math.floor((wd + 2 * g.pad - kw) / g.stride) + 1, co];
  const attrs = { xShape: x.shape, filterShape: w.shape, stride: g.stride, pad: g.pad, yShape };
  return runKernel(CONV_KERNEL, { x, filter: w }, attrs) as Tensor4D;
}

/**
 * dL/dw of conv2d through the lab's SIMD kernel when the active backend is wasm and the shapes
 * suit it (float32, output channels a multiple of 4); null otherwise, and the caller takes the
 * portable path.
 */
export function wasmFilterGrad(x: Tensor4D, dy: Tensor4D, filterShape: number[], g: ConvGeometry): Tensor4D | null {
  if (!onWasm(x, dy) || dy.shape[3] % 4 !== 0) return null;
  const attrs: ConvAttrs = { xShape: x.shape, filterShape, stride: g.stride, pad: g.pad };
  return runKernel(FILTER_GRAD_KERNEL, { x, dy }, attrs) as Tensor4D;
}

/** dL/dx of conv2d through the lab's SIMD kernel (input channels a multiple of 4), else null. */
export function wasmInputGrad(dy: Tensor4D, w: Tensor4D, xShape: number[], g: ConvGeometry): Tensor4D | null {
  if (!onWasm(dy, w) || xShape[3] % 4 !== 0) return null;
  const attrs: ConvAttrs = { xShape, filterShape: w.shape, stride: g.stride, pad: g.pad };
  return runKernel(INPUT_GRAD_KERNEL, { dy, filter: w }, attrs) as Tensor4D;
}

/** Per-channel batch statistics of NHWC x. */
export interface BatchMoments {
  mean: Tensor;
  /** biased, as BatchNorm normalises with */
  variance: Tensor;
  /** 1/√(variance + ε) */
  invStd: Tensor;
}

/** Training-mode BatchNorm's statistics through the lab's kernel (sums in double), or null off wasm. */
export function wasmBatchMoments(x: Tensor4D, eps: number): BatchMoments | null {
  if (!onWasm(x)) return null;
  const [mean, variance, invStd] = runKernel(BN_MOMENTS_KERNEL, { x }, { eps }) as Tensor[];
  return { mean, variance, invStd };
}

/** y = x·α + (β − mean·α), α = γ·invStd: PyTorch's CPU formula (wasm only: after wasmBatchMoments). */
export function wasmBatchNormForward(x: Tensor4D, gamma: Tensor, beta: Tensor, mean: Tensor, invStd: Tensor): Tensor4D {
  return runKernel(BN_FORWARD_KERNEL, { x, gamma, beta, mean, invStd }) as Tensor4D;
}

/** [dx, dγ, dβ] of training-mode BatchNorm from its input and statistics (wasm only). */
export function wasmBatchNormBackward(dy: Tensor, x: Tensor, gamma: Tensor, mean: Tensor, invStd: Tensor): Tensor[] {
  return runKernel(BN_BACKWARD_KERNEL, { dy, x, gamma, mean, invStd }) as Tensor[];
}
