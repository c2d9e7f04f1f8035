// What the lab's WebGPU programs share: the part of tfjs-backend-webgpu's program interface they
// use (a flat dispatch, `fn main(index : i32)`, uniforms after tfjs's own) and its limits.
import type { tf } from '../tf';

export type Uniform = { type: 'float32' | 'int32'; data: number[] };

export interface WebGpuBackendLike {
  runWebGPUProgram(program: object, inputs: tf.TensorInfo[], dtype: 'float32', uniforms: Uniform[]): tf.TensorInfo;
}

/** Invocations per workgroup of an elementwise program. */
export const ELEMENT_WORKGROUP = 128;
/** WebGPU's guaranteed workgroups per dimension: larger tensors keep tfjs's operations. */
export const MAX_WORKGROUPS = 65535;

export const sizeOf = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Workgroups of a flat dispatch over a tensor of this shape, one element per invocation. */
export const workgroupsFor = (shape: number[]): number => Math.ceil(sizeOf(shape) / ELEMENT_WORKGROUP);

/** Whether an elementwise pass over a tensor of this shape is one dispatch. */
export const elementsFit = (shape: number[]): boolean => workgroupsFor(shape) <= MAX_WORKGROUPS;

/**
 * A program over a flat dispatch: `workgroups` workgroups of `workgroup` invocations (by default
 * one invocation per output element). The uniforms passed to runWebGPUProgram must match
 * `uniforms` in number and order: WebGPU answers a mismatch with zeros, not an error.
 */
export abstract class FlatProgram {
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize: [number, number, number];
  readonly size = true;

  constructor(
    readonly outputShape: number[],
    readonly variableNames: string[],
    readonly shaderKey: string,
    readonly uniforms: string,
    workgroup = ELEMENT_WORKGROUP,
    workgroups = workgroupsFor(outputShape),
  ) {
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    this.dispatch = [workgroups, 1, 1];
    this.workgroupSize = [workgroup, 1, 1];
  }

  abstract getUserCode(): string;
}
