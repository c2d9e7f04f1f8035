// Training-mode BatchNorm and ReLU as WebGPU programs, registered as the webgpu kernels of the
// lab's wasm kernels of the same names (src/core/wasm-kernels): the same formulas as kernels.c
// (PyTorch's CPU ones), in float32. Per BN layer: statistics in 3 dispatches, the forward in 1,
// the backward in 3, where tfjs's operations take about 30; a running statistic in 1 instead of
// 3; the ReLU gradient in 1 instead of 2.
// A per-channel sum is one workgroup per channel: each invocation sums a strided share of the
// rows, then the workgroup adds the shares as a tree (sums of 256 short sums, not one long one).
import type { tf } from '../tf';
import { elementsFit, FlatProgram, MAX_WORKGROUPS, sizeOf, type Uniform, type WebGpuBackendLike } from './program';

const REDUCE_WORKGROUP = 256;

/** What a per-channel sum adds up, over the rows m of NHWC seen as [rows, C]. */
const SUM_TERMS = {
  mean: { inputs: ['x'], term: 'x[i]', scale: '1.0 / f32(uniforms.rows)' },
  variance: { inputs: ['x', 'mean'], term: '(x[i] - mean[c]) * (x[i] - mean[c])', scale: '1.0 / f32(uniforms.rows)' },
  dbeta: { inputs: ['dy'], term: 'dy[i]', scale: '1.0' },
  dgamma: { inputs: ['dy', 'x', 'mean', 'invStd'], term: '(x[i] - mean[c]) * dy[i]', scale: 'invStd[c]' },
} as const;
type SumKind = keyof typeof SUM_TERMS;

/** out[c] = scale · Σ_m term(m, c): one workgroup per channel. */
class ChannelSumProgram extends FlatProgram {
  constructor(
    channels: number,
    private readonly kind: SumKind,
  ) {
    super([channels], [...SUM_TERMS[kind].inputs], `pxBnSum_${kind}`, 'rows : i32, channels : i32,', REDUCE_WORKGROUP, channels);
  }

  getUserCode(): string {
    const { term, scale } = SUM_TERMS[this.kind];
    return `
      var<workgroup> shares : array<f32, ${REDUCE_WORKGROUP}>;
      fn main(index : i32) {
        let c = index / ${REDUCE_WORKGROUP};
        var acc = 0.0;
        for (var m = i32(localId.x); m < uniforms.rows; m = m + ${REDUCE_WORKGROUP}) {
          let i = m * uniforms.channels + c;
          acc = acc + ${term};
        }
        shares[localId.x] = acc;
        workgroupBarrier();
        for (var stride = ${REDUCE_WORKGROUP / 2}u; stride > 0u; stride = stride / 2u) {
          if (localId.x < stride) {
            shares[localId.x] = shares[localId.x] + shares[localId.x + stride];
          }
          workgroupBarrier();
        }
        if (localId.x == 0u && c < uniforms.size) {
          setOutputAtIndex(c, shares[0] * ${scale});
        }
      }`;
  }
}

/** What an elementwise pass computes at flat index `index` (channel c = index mod C). */
const ELEMENT_VALUES = {
  // 1/√(variance + ε) over the C channels
  invStd: { inputs: ['variance'], value: '1.0 / sqrt(variance[index] + uniforms.eps)' },
  // y = x·α + (β − mean·α), α = invStd·γ: PyTorch's CPU formula, as bn_factors and bn_forward
  forward: {
    inputs: ['x', 'gamma', 'beta', 'mean', 'invStd'],
    value: 'x[index] * (invStd[c] * gamma[c]) + (beta[c] - mean[c] * (invStd[c] * gamma[c]))',
  },
  // dx = (dy − Σdy/M − (x − mean)·k)·invStd·γ, k = dγ·invStd/M (dγ = Σ(x − mean)·dy·invStd)
  backwardDx: {
    inputs: ['dy', 'x', 'gamma', 'mean', 'invStd', 'dgamma', 'dbeta'],
    value:
      '(dy[index] - dbeta[c] / f32(uniforms.rows) - (x[index] - mean[c]) * (dgamma[c] * invStd[c] / f32(uniforms.rows))) * invStd[c] * gamma[c]',
  },
  // a running statistic: old·keep + batch·take (BatchNorm's running mean and variance)
  running: { inputs: ['old', 'batch'], value: 'old[index] * uniforms.keep + batch[index] * uniforms.take' },
  // tfjs's Relu (NaN stays NaN) and its gradient read from the output, as relu and relu_grad;
  // NaN tested by its bits (tfjs's isnan): a compiler may take y != y to be false
  relu: { inputs: ['x'], value: 'select(x[index], 0.0, x[index] < 0.0)' },
  reluGrad: { inputs: ['dy', 'y'], value: 'dy[index] * select(select(0.0, y[index], isnan(y[index])), 1.0, y[index] > 0.0)' },
} as const;
type ElementKind = keyof typeof ELEMENT_VALUES;

/** One output element per invocation. */
class ElementProgram extends FlatProgram {
  constructor(
    outputShape: number[],
    private readonly kind: ElementKind,
  ) {
    super(
      outputShape,
      [...ELEMENT_VALUES[kind].inputs],
      `pxElement_${kind}`,
      'rows : i32, channels : i32, eps : f32, keep : f32, take : f32,',
    );
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let c = index % uniforms.channels;
          setOutputAtIndex(index, ${ELEMENT_VALUES[this.kind].value});
        }
      }`;
  }
}

/** Whether NHWC tensors of this shape run through the programs above (a workgroup per channel). */
export const batchNormFits = (shape: number[]): boolean => elementsFit(shape) && shape[shape.length - 1] <= MAX_WORKGROUPS;

function runner(backend: unknown, shape: number[], eps = 0, keep = 0, take = 0) {
  const b = backend as WebGpuBackendLike;
  const channels = shape[shape.length - 1];
  const uniforms: Uniform[] = [
    { type: 'int32', data: [sizeOf(shape) / channels] },
    { type: 'int32', data: [channels] },
  ];
  return {
    sum: (kind: SumKind, inputs: tf.TensorInfo[]) => b.runWebGPUProgram(new ChannelSumProgram(channels, kind), inputs, 'float32', uniforms),
    element: (kind: ElementKind, outShape: number[], inputs: tf.TensorInfo[]) =>
      b.runWebGPUProgram(new ElementProgram(outShape, kind), inputs, 'float32', [
        ...uniforms,
        ...[eps, keep, take].map((v) => ({ type: 'float32' as const, data: [v] })),
      ]),
  };
}

type Inputs = Record<string, tf.TensorInfo>;

/** [mean, biased variance, 1/√(variance + ε)] per channel of NHWC x. */
export function batchMomentsPrograms(backend: unknown, { x }: Inputs, eps: number): tf.TensorInfo[] {
  const run = runner(backend, x.shape, eps);
  const mean = run.sum('mean', [x]);
  const variance = run.sum('variance', [x, mean]);
  // ε is read by the last program only
  return [mean, variance, run.element('invStd', variance.shape, [variance])];
}

export function batchNormForwardProgram(backend: unknown, { x, gamma, beta, mean, invStd }: Inputs): tf.TensorInfo {
  return runner(backend, x.shape).element('forward', x.shape, [x, gamma, beta, mean, invStd]);
}

/** [dx, dγ, dβ]. */
export function batchNormBackwardPrograms(backend: unknown, { dy, x, gamma, mean, invStd }: Inputs): tf.TensorInfo[] {
  const run = runner(backend, x.shape);
  const dbeta = run.sum('dbeta', [dy]);
  const dgamma = run.sum('dgamma', [dy, x, mean, invStd]);
  return [run.element('backwardDx', x.shape, [dy, x, gamma, mean, invStd, dgamma, dbeta]), dgamma, dbeta];
}

/** old·keep + batch·take, elementwise (same shapes). */
export function runningStatProgram(backend: unknown, { old, batch }: Inputs, keep: number, take: number): tf.TensorInfo {
  return runner(backend, [sizeOf(old.shape)], 0, keep, take).element('running', old.shape, [old, batch]);
}

export function reluProgram(backend: unknown, { x }: Inputs): tf.TensorInfo {
  return runner(backend, [sizeOf(x.shape)]).element('relu', x.shape, [x]);
}

export function reluGradProgram(backend: unknown, { dy, y }: Inputs): tf.TensorInfo {
  return runner(backend, [sizeOf(y.shape)]).element('reluGrad', y.shape, [dy, y]);
}
