// The lab's wasm ReLU (threads share the elements) against tfjs's own Relu and its gradient
// (dy · step(x)) on the wasm backend: the same bits, zeros and NaN included; a first-order
// forward pass takes it, a pass to be differentiated twice (GraSP) keeps tf.relu.
import { describe, expect, it } from 'vitest';
import { StandardOps } from '../src/core/models/ops';
import { Rng } from '../src/core/rng';
import { tf, type Tensor } from '../src/core/tf';
import { wasmRelu } from '../src/core/wasm-kernels';
import { restoreBackendAfter } from './backendScope';

const SHAPE = [3, 7, 5, 9];

function inputs(): { x: Float32Array; dy: Float32Array } {
  const rng = new Rng(3);
  const x = rng.fillNormal(new Float32Array(SHAPE.reduce((a, b) => a * b, 1)));
  // exact zeros of both signs, a NaN, values an ulp either side of zero
  x.set([0, -0, NaN, 1e-45, -1e-45, Infinity, -Infinity], 11);
  const dy = rng.fillNormal(new Float32Array(x.length));
  return { x, dy };
}

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer.slice(0)));
/** Equal as numbers (NaN equal to NaN; +0 and −0 equal: a zero's sign never reaches a result). */
const sameNumbers = (a: Float32Array, b: Float32Array) => a.every((v, i) => Object.is(v, b[i]) || v === b[i]);

describe('wasm ReLU kernel', () => {
  restoreBackendAfter('wasm');

  it('forward and gradient equal tf.relu and its gradient', async () => {
    const { x, dy } = inputs();
    const xt = tf.tensor(x, SHAPE);
    const dyt = tf.tensor(dy, SHAPE);
    const before = tf.memory().numTensors;
    const grad = (f: (t: Tensor) => Tensor) => tf.tidy(() => tf.grad((t: Tensor) => tf.sum(tf.mul(f(t), dyt)))(xt));
    const [oursY, tfjsY] = [tf.tidy(() => wasmRelu(xt)!), tf.tidy(() => tf.relu(xt))];
    const [oursG, tfjsG] = [grad((t) => wasmRelu(t)!), grad((t) => tf.relu(t))];
    const [y1, y2, g1, g2] = (await Promise.all([oursY, tfjsY, oursG, tfjsG].map((t) => t.data()))) as Float32Array[];
    expect(sameNumbers(y1, y2)).toBe(true);
    expect(sameNumbers(g1, g2)).toBe(true);
    // away from the planted zeros, bit for bit
    expect(bits(y1.slice(20))).toEqual(bits(y2.slice(20)));
    expect(bits(g1.slice(20))).toEqual(bits(g2.slice(20)));
    expect(Number.isNaN(y1[13]) && Number.isNaN(g1[13])).toBe(true);
    [oursY, tfjsY, oursG, tfjsG].forEach((t) => t.dispose());
    expect(tf.memory().numTensors).toBe(before);
    xt.dispose();
    dyt.dispose();
  });

  it('first-order passes use it; passes differentiated again keep tf.relu', () => {
    const x = tf.tensor([-1, 2, -3, 4], [2, 2]);
    // the kernel each pass runs, as the gradient tape records it
    const taped = (firstOrder: boolean) => {
      const ops = new StandardOps({ params: {}, bn: 'train', firstOrder });
      let name = '';
      tf.tidy(() => {
        const { value } = tf.valueAndGrad((t: Tensor) => {
          const y = ops.relu(t);
          name = (tf.engine().state.activeTape ?? []).at(-1)?.kernelName ?? '';
          return tf.sum(y);
        })(x);
        return value;
      });
      return name;
    };
    expect(taped(true)).toBe('PxRelu');
    expect(taped(false)).toBe('Relu');
    x.dispose();
  });
});
