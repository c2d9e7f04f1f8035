// The lab's own wasm SIMD kernels (kernels.c), run as tfjs kernels of the wasm backend so that
// tf.profile, tf.memory and tidy see them like any other (module.ts runs them in tfjs's memory).
import type { ConvGeometry } from '../convGeometry';
import {
  BN_BACKWARD_KERNEL,
  BN_FORWARD_KERNEL,
  BN_MOMENTS_KERNEL,
  FILTER_GRAD_KERNEL,
  INPUT_GRAD_KERNEL,
  RELU_GRAD_KERNEL,
  RELU_KERNEL,
  SGD_KERNEL,
  registerLabGradients,
  type BatchMoments,
  type SgdStepAttrs,
} from '../labKernels';
import { tf, type Tensor, type Tensor4D } from '../tf';
import { canRunIn, runIn } from './module';

export { kernelThreadCount, kernelThreadsFor } from './module';

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

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

function filterGradKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as ConvAttrs;
  // threads share the input channels, in pairs (the kernel's tile)
  return runIn(backend, [x, dy], [a.filterShape], { zeroed: true }, ({ inputs: [px, pdy], outputs: [pdw] }) => [
    { kernel: 'filter_grad', args: [px, pdy, pdw, ...convDims(a, dy.shape)], split: { items: a.xShape[3], align: 2 } },
  ])[0];
}

function inputGradKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as ConvAttrs;
  const [kh, kw, ci, co] = a.filterShape;
  // scratch: the filter with input channels innermost; threads share the images
  return runIn(backend, [dy, filter], [a.xShape], { scratchBytes: 4 * sizeOf(a.filterShape), zeroed: true }, (p) => [
    { kernel: 'filter_ci_inner', args: [p.inputs[1], p.scratch, kh * kw, ci, co] },
    {
      kernel: 'input_grad',
      args: [p.inputs[0], p.scratch, p.outputs[0], ...convDims(a, dy.shape)],
      split: { items: a.xShape[0], align: 1 },
    },
  ])[0];
}

/** NHWC as rows × channels: [N·H·W, C]. */
const rowsAndChannels = (shape: number[]) => [sizeOf(shape.slice(0, -1)), shape[shape.length - 1]];

// BatchNorm: threads share the channels of a per-channel sum and the rows of an elementwise pass
const BN_CHANNELS = 4;
const BN_ROWS = 16;

function bnMomentsKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const { x } = inputs as { x: tf.TensorInfo };
  const [rows, c] = rowsAndChannels(x.shape);
  // outputs: mean, biased variance, 1/√(variance + ε); scratch: 2·C doubles
  return runIn(backend, [x], [[c], [c], [c]], { scratchBytes: 16 * c }, (p) => [
    {
      kernel: 'bn_moments',
      args: [...p.inputs, ...p.outputs, p.scratch, rows, c, (attrs as { eps: number }).eps],
      split: { items: c, align: BN_CHANNELS },
    },
  ]);
}

function bnForwardKernel({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const { x, gamma, beta, mean, invStd } = inputs as Record<string, tf.TensorInfo>;
  const [rows, c] = rowsAndChannels(x.shape);
  // scratch: the per-channel factors α, β' (2·C floats)
  return runIn(
    backend,
    [x, gamma, beta, mean, invStd],
    [x.shape],
    { scratchBytes: 8 * c },
    ({ inputs: [px, ...stats], outputs: [py], scratch }) => [
      { kernel: 'bn_factors', args: [...stats, scratch, c] },
      { kernel: 'bn_forward', args: [px, scratch, py, rows, c], split: { items: rows, align: BN_ROWS } },
    ],
  )[0];
}

function bnBackwardKernel({ inputs, backend }: KernelArgs): tf.TensorInfo[] {
  const { dy, x, gamma, mean, invStd } = inputs as Record<string, tf.TensorInfo>;
  const [rows, c] = rowsAndChannels(x.shape);
  // scratch: 2·C doubles (sums), then 2·C floats (the factors of dx); outputs dx, dγ, dβ
  return runIn(backend, [dy, x, gamma, mean, invStd], [x.shape, [c], [c]], { scratchBytes: 24 * c }, (p) => {
    const [pdy, px, pgamma, pmean, pinv] = p.inputs;
    const [pdx, pdgamma, pdbeta] = p.outputs;
    const factors = p.scratch + 16 * c;
    return [
      {
        kernel: 'bn_backward_sums',
        args: [pdy, px, pmean, pinv, pdgamma, pdbeta, p.scratch, factors, rows, c],
        split: { items: c, align: BN_CHANNELS },
      },
      { kernel: 'bn_backward_dx', args: [pdy, px, pgamma, pmean, pinv, factors, pdx, rows, c], split: { items: rows, align: BN_ROWS } },
    ];
  });
}

// elementwise kernels (ReLU, SGD): threads share the elements, in SIMD-width runs
const ELEMENT_ALIGN = 16;

function reluKernel({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  const n = sizeOf(x.shape);
  return runIn(backend, [x], [x.shape], {}, ({ inputs: [px], outputs: [py] }) => [
    { kernel: 'relu', args: [px, py, n], split: { items: n, align: ELEMENT_ALIGN } },
  ])[0];
}

function reluGradKernel({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const { dy, y } = inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
  const n = sizeOf(y.shape);
  return runIn(backend, [dy, y], [y.shape], {}, ({ inputs: [pdy, py], outputs: [pdx] }) => [
    { kernel: 'relu_grad', args: [pdy, py, pdx, n], split: { items: n, align: ELEMENT_ALIGN } },
  ])[0];
}

// below this many elements a parameter's update is not worth waking the threads for
const SGD_SPLIT_MIN = 1 << 15;

function sgdKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const { p, grad, buf } = inputs as Record<string, tf.TensorInfo | undefined>;
  const a = attrs as unknown as SgdStepAttrs;
  const n = sizeOf(p!.shape);
  const momentum = a.momentum !== 0;
  const flags = (a.weightDecay !== 0 ? 1 : 0) | (momentum ? 2 : 0) | (a.first ? 4 : 0) | (a.nesterov ? 8 : 0);
  const ins = [p!, grad!, ...(buf && !a.first ? [buf] : [])];
  return runIn(backend, ins, momentum ? [p!.shape, p!.shape] : [p!.shape], {}, ({ inputs: [pp, pg, pb], outputs: [po, pbo] }) => [
    {
      kernel: 'sgd_update',
      args: [pp, pg, pb ?? 0, po, pbo ?? 0, a.lr, a.momentum, a.weightDecay, flags, n],
      split: { items: n, align: ELEMENT_ALIGN, minItems: SGD_SPLIT_MIN },
    },
  ]);
}

const TFJS_KERNELS: Record<string, (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]> = {
  [FILTER_GRAD_KERNEL]: filterGradKernel,
  [INPUT_GRAD_KERNEL]: inputGradKernel,
  [BN_MOMENTS_KERNEL]: bnMomentsKernel,
  [BN_FORWARD_KERNEL]: bnForwardKernel,
  [BN_BACKWARD_KERNEL]: bnBackwardKernel,
  [RELU_KERNEL]: reluKernel,
  [RELU_GRAD_KERNEL]: reluGradKernel,
  [SGD_KERNEL]: sgdKernel,
};

let registered = false;

function runKernel(name: string, inputs: tf.NamedTensorMap, attrs: object = {}): tf.Tensor | tf.Tensor[] {
  if (!registered) {
    for (const [kernelName, f] of Object.entries(TFJS_KERNELS))
      tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: f as tf.KernelFunc });
    registerLabGradients();
    registered = true;
  }
  return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];
}

/** Whether the active backend runs the lab's kernels (wasm, of a layout they can run in). */
export const labKernelsRun = (): boolean => tf.getBackend() === 'wasm' && canRunIn(tf.backend());

const onWasm = (...ts: tf.Tensor[]) => labKernelsRun() && ts.every((t) => t.dtype === 'float32');

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

/** Training-mode BatchNorm's statistics through the lab's kernel (sums in double), or null off wasm. */
export function wasmBatchMoments(x: Tensor4D, eps: number): BatchMoments | null {
  if (!onWasm(x)) return null;
  const [mean, variance, invStd] = runKernel(BN_MOMENTS_KERNEL, { x }, { eps }) as Tensor[];
  return { mean, variance, invStd };
}

/**
 * ReLU through the lab's kernel (threads share the elements) when the active backend is wasm,
 * else null. The same numbers as tf.relu and its gradient; for first-order passes only (its
 * gradient cannot be differentiated again).
 */
export function wasmRelu<T extends Tensor>(x: T): T | null {
  if (!onWasm(x)) return null;
  return runKernel(RELU_KERNEL, { x }) as T;
}

/**
 * One SGD step of a parameter through the lab's kernel on wasm: [p', buf'] ([p'] without
 * momentum), the same numbers as the portable update; null off wasm. `buf`: the momentum buffer,
 * absent on the first step.
 */
export function wasmSgdStep(p: Tensor, grad: Tensor, buf: Tensor | undefined, attrs: SgdStepAttrs): Tensor[] | null {
  if (!onWasm(p, grad, ...(buf ? [buf] : []))) return null;
  return runKernel(SGD_KERNEL, { p, grad, ...(buf ? { buf } : {}) }, attrs) as Tensor[];
}
