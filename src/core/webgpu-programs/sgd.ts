// SGD's step as WebGPU programs run through tfjs-backend-webgpu's own program interface
// (backend.runWebGPUProgram), registered as the webgpu kernel of the step the wasm backend runs
// in kernels.c: two dispatches per parameter (the momentum buffer, then the parameter) where tfjs's
// operations take six. The formula is the portable update's (src/core/train/sgd.ts); a GPU may
// fuse a multiply and an add, so the numbers can differ from it in the last bit, well inside the
// training fixtures' tolerance (e2e/fixtures.webgpu.spec.ts).
import type { SgdStepAttrs } from '../labKernels';
import type { tf } from '../tf';
import { FlatProgram, type WebGpuBackendLike } from './program';

/** One output of the step: the new momentum buffer or the new parameter. */
class SgdProgram extends FlatProgram {
  constructor(
    outputShape: number[],
    private readonly output: 'buffer' | 'param',
    private readonly a: SgdStepAttrs,
  ) {
    const momentum = a.momentum !== 0;
    // the parameter's program reads the new buffer; the buffer's reads the old one (not on the first step)
    const withBuffer = output === 'param' ? momentum : !a.first;
    super(
      outputShape,
      ['P', 'G', ...(withBuffer ? ['B'] : [])],
      `pxSgd_${output}_${a.weightDecay !== 0}_${momentum}_${a.first}_${a.nesterov}`,
      'lr : f32, momentum : f32, weightDecay : f32,',
    );
  }

  getUserCode(): string {
    const a = this.a;
    const grad = a.weightDecay !== 0 ? 'G[index] + P[index] * uniforms.weightDecay' : 'G[index]';
    let value: string;
    if (this.output === 'buffer') value = a.first ? 'g' : 'B[index] * uniforms.momentum + g';
    else {
      const step = a.momentum === 0 ? 'g' : a.nesterov ? 'g + B[index] * uniforms.momentum' : 'B[index]';
      value = `P[index] - (${step}) * uniforms.lr`;
    }
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let g = ${grad};
          setOutputAtIndex(index, ${value});
        }
      }`;
  }
}

/** [p', buf'] ([p'] without momentum) by the programs above (the parameter fits: elementsFit). */
export function webgpuSgdStep(
  backend: unknown,
  inputs: { p: tf.TensorInfo; grad: tf.TensorInfo; buf?: tf.TensorInfo },
  a: SgdStepAttrs,
): tf.TensorInfo[] {
  const { p, grad, buf } = inputs;
  const program = (output: 'buffer' | 'param') => new SgdProgram(p.shape, output, a);
  const b = backend as WebGpuBackendLike;
  const uniforms = [a.lr, a.momentum, a.weightDecay].map((v) => ({ type: 'float32' as const, data: [v] }));
  if (a.momentum === 0) return [b.runWebGPUProgram(program('param'), [p, grad], 'float32', uniforms)];
  const nextBuf = b.runWebGPUProgram(program('buffer'), [p, grad, ...(buf && !a.first ? [buf] : [])], 'float32', uniforms);
  return [b.runWebGPUProgram(program('param'), [p, grad, nextBuf], 'float32', uniforms), nextBuf];
}
