// The lab's own tfjs kernels: one name per kernel, run by the wasm backend (src/core/wasm-kernels,
// kernels.c) and, where a program exists, by the webgpu backend (src/core/webgpu-programs), and
// the gradients registered for them (backend-independent, as tfjs's own).
import { tf, type Tensor, type Tensor4D } from './tf';

export const FILTER_GRAD_KERNEL = 'PxConv2DBackpropFilter';
export const INPUT_GRAD_KERNEL = 'PxConv2DBackpropInput';
export const SGD_KERNEL = 'PxSgdUpdate';
export const RELU_KERNEL = 'PxRelu';
export const RELU_GRAD_KERNEL = 'PxReluGrad';
export const BN_MOMENTS_KERNEL = 'PxBatchNormMoments';
export const BN_FORWARD_KERNEL = 'PxBatchNormForward';
export const BN_BACKWARD_KERNEL = 'PxBatchNormBackward';
export const BN_RUNNING_KERNEL = 'PxBatchNormRunning';

/** SGD's hyper-parameters and where the step is. */
export interface SgdStepAttrs {
  lr: number;
  momentum: number;
  weightDecay: number;
  nesterov: boolean;
  /** No momentum buffer yet (it starts as the step's gradient). */
  first: boolean;
}

let gradientsRegistered = false;

/** Registers the lab kernels' gradients (once): ReLU's, first order only (the gradient's own
 * gradient is not registered). */
export function registerLabGradients(): void {
  if (gradientsRegistered) return;
  tf.registerGradient({
    kernelName: RELU_KERNEL,
    outputsToSave: [true],
    gradFunc: (dy, saved) => ({
      x: () => tf.engine().runKernel(RELU_GRAD_KERNEL, { dy: dy as Tensor, y: saved[0] }) as Tensor,
    }),
  });
  gradientsRegistered = true;
}

/** Runs a lab kernel on the active backend (the caller registered it there). */
export const runLabKernel = (name: string, inputs: tf.NamedTensorMap, attrs: object = {}) =>
  tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as Tensor | Tensor[];

/** Per-channel batch statistics of NHWC x. */
export interface BatchMoments {
  mean: Tensor;
  /** biased, as BatchNorm normalises with */
  variance: Tensor;
  /** 1/√(variance + ε) */
  invStd: Tensor;
}

/** y = x·α + (β − mean·α), α = γ·invStd (PyTorch's CPU formula), by the active backend's lab
 * kernel: registered by the statistics' kernel that computed mean and invStd. */
export function labBatchNormForward(x: Tensor4D, gamma: Tensor, beta: Tensor, mean: Tensor, invStd: Tensor): Tensor4D {
  return runLabKernel(BN_FORWARD_KERNEL, { x, gamma, beta, mean, invStd }) as Tensor4D;
}

/** [dx, dγ, dβ] of training-mode BatchNorm from its input and statistics (as labBatchNormForward). */
export function labBatchNormBackward(dy: Tensor, x: Tensor, gamma: Tensor, mean: Tensor, invStd: Tensor): Tensor[] {
  return runLabKernel(BN_BACKWARD_KERNEL, { dy, x, gamma, mean, invStd }) as Tensor[];
}
