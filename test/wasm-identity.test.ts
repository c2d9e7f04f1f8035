// On wasm, Identity (which tfjs runs on every tensor it keeps for a gradient) shares its input's
// memory instead of copying it: the clone reads the same values after the original is gone, the
// memory is freed with the last of them, and gradients are unchanged.
import { describe, expect, it } from 'vitest';
import { tf } from '../src/core/tf';
import { restoreBackendAfter } from './backendScope';

describe('wasm Identity shares memory', () => {
  restoreBackendAfter('wasm');

  it('a clone shares the data, outlives the original, and frees it last', async () => {
    const backend = tf.backend();
    const ids = () => backend.numDataIds();
    const start = ids();
    const x = tf.tensor([1, 2, 3, 4]);
    const y = tf.clone(x);
    expect(ids()).toBe(start + 1); // a copy would make a second buffer
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3, 4]);
    expect(ids()).toBe(start + 1);
    y.dispose();
    expect(ids()).toBe(start);
  });

  it('strings still clone', async () => {
    const s = tf.tensor(['a', 'b']);
    const c = tf.clone(s);
    s.dispose();
    expect(await c.data()).toEqual(['a', 'b']);
    c.dispose();
  });

  it('gradients through saved inputs are unchanged, and nothing leaks', () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor([0.5, -1.5, 2]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.mul(t, t), t)))(x); // 3x²
    expect(Array.from(g.dataSync())).toEqual([0.75, 6.75, 12]);
    x.dispose();
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
