// The lab's own tfjs kernels: one name per kernel, run by the wasm backend (src/core/wasm-kernels,
// kernels.c) and, where a program exists, by the webgpu backend (src/core/webgpu-programs), and
// the gradients registered for them (backend-independent, as tfjs's own).
import { tf, type Tensor } from './tf';

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
