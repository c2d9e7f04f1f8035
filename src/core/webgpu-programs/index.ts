// The lab's WebGPU programs, run as tfjs kernels of the webgpu backend (so tf.profile, tf.memory
// and tidy see them like any other).
import { tf, type Tensor } from '../tf';
import { SGD_KERNEL, type SgdStepAttrs } from '../wasm-kernels';
import { sgdFits, webgpuSgdStep } from './sgd';

let registered = false;

function register(): void {
  if (registered) return;
  tf.registerKernel({
    kernelName: SGD_KERNEL,
    backendName: 'webgpu',
    kernelFunc: (({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: unknown }) =>
      webgpuSgdStep(backend, inputs as { p: tf.TensorInfo; grad: tf.TensorInfo; buf?: tf.TensorInfo }, attrs as SgdStepAttrs)) as never,
  });
  registered = true;
}

/** One SGD step of a parameter by the lab's programs on webgpu ([p', buf'], or [p'] without
 * momentum), or null on another backend or for a parameter too large for one dispatch. */
export function webgpuSgd(p: Tensor, grad: Tensor, buf: Tensor | undefined, attrs: SgdStepAttrs): Tensor[] | null {
  if (tf.getBackend() !== 'webgpu' || p.dtype !== 'float32' || !sgdFits(p.shape)) return null;
  register();
  return tf.engine().runKernel(SGD_KERNEL, { p, grad, ...(buf ? { buf } : {}) }, attrs as unknown as tf.NamedAttrMap) as Tensor[];
}
