// The lab's WebGPU programs, run as tfjs kernels of the webgpu backend (so tf.profile, tf.memory
// and tidy see them like any other), under the names the wasm backend runs kernels.c by.
import {
  BN_BACKWARD_KERNEL,
  BN_FORWARD_KERNEL,
  BN_MOMENTS_KERNEL,
  BN_RUNNING_KERNEL,
  RELU_GRAD_KERNEL,
  RELU_KERNEL,
  SGD_KERNEL,
  registerLabGradients,
  runLabKernel as run,
  type BatchMoments,
  type SgdStepAttrs,
} from '../labKernels';
import { tf, type Tensor, type Tensor4D } from '../tf';
import {
  batchMomentsPrograms,
  batchNormBackwardPrograms,
  batchNormFits,
  batchNormForwardProgram,
  reluGradProgram,
  reluProgram,
  runningStatProgram,
} from './batchnorm';
import { elementsFit } from './program';
import { webgpuSgdStep } from './sgd';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: unknown };
type Inputs = Record<string, tf.TensorInfo>;

const PROGRAMS: Record<string, (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]> = {
  [SGD_KERNEL]: ({ inputs, backend, attrs }) =>
    webgpuSgdStep(backend, inputs as Parameters<typeof webgpuSgdStep>[1], attrs as SgdStepAttrs),
  [BN_MOMENTS_KERNEL]: ({ inputs, backend, attrs }) => batchMomentsPrograms(backend, inputs as Inputs, (attrs as { eps: number }).eps),
  [BN_FORWARD_KERNEL]: ({ inputs, backend }) => batchNormForwardProgram(backend, inputs as Inputs),
  [BN_BACKWARD_KERNEL]: ({ inputs, backend }) => batchNormBackwardPrograms(backend, inputs as Inputs),
  [BN_RUNNING_KERNEL]: ({ inputs, backend, attrs }) => {
    const { keep, take } = attrs as { keep: number; take: number };
    return runningStatProgram(backend, inputs as Inputs, keep, take);
  },
  [RELU_KERNEL]: ({ inputs, backend }) => reluProgram(backend, inputs as Inputs),
  [RELU_GRAD_KERNEL]: ({ inputs, backend }) => reluGradProgram(backend, inputs as Inputs),
};

let registered = false;

/** Whether the active backend is webgpu and these float32 tensors suit the programs (registered
 * on first use). */
function onWebgpu(...ts: Tensor[]): boolean {
  if (tf.getBackend() !== 'webgpu' || !ts.every((t) => t.dtype === 'float32')) return false;
  if (!registered) {
    for (const [kernelName, f] of Object.entries(PROGRAMS))
      tf.registerKernel({ kernelName, backendName: 'webgpu', kernelFunc: f as never });
    registerLabGradients();
    registered = true;
  }
  return true;
}

/** One SGD step of a parameter by the lab's programs on webgpu ([p', buf'], or [p'] without
 * momentum), or null on another backend or for a parameter too large for one dispatch. */
export function webgpuSgd(p: Tensor, grad: Tensor, buf: Tensor | undefined, attrs: SgdStepAttrs): Tensor[] | null {
  if (!elementsFit(p.shape) || !onWebgpu(p, grad)) return null;
  return run(SGD_KERNEL, { p, grad, ...(buf ? { buf } : {}) }, attrs) as Tensor[];
}

/** Training-mode BatchNorm's statistics [mean, biased variance, 1/√(variance + ε)] by the lab's
 * programs on webgpu, or null (another backend, or too large a tensor). */
export function webgpuBatchMoments(x: Tensor4D, eps: number): BatchMoments | null {
  if (!batchNormFits(x.shape) || !onWebgpu(x)) return null;
  const [mean, variance, invStd] = run(BN_MOMENTS_KERNEL, { x }, { eps }) as Tensor[];
  return { mean, variance, invStd };
}

/** A BatchNorm running statistic old·keep + batch·take by the lab's program on webgpu, or null. */
export function webgpuRunningStat(old: Tensor, batch: Tensor, keep: number, take: number): Tensor | null {
  if (!elementsFit(old.shape) || !onWebgpu(old, batch)) return null;
  return run(BN_RUNNING_KERNEL, { old, batch }, { keep, take }) as Tensor;
}

/** ReLU by the lab's program on webgpu (its gradient one dispatch), or null; first order only. */
export function webgpuRelu<T extends Tensor>(x: T): T | null {
  if (!elementsFit(x.shape) || !onWebgpu(x)) return null;
  return run(RELU_KERNEL, { x }) as T;
}
