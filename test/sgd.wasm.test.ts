// SGD's step, on wasm (one lab kernel) and on the cpu backend (tfjs operations), against
// torch.optim.SGD's formula evaluated in float32 by hand (Math.fround after every operation):
// the same bits, over three steps, with and without weight decay, momentum and Nesterov.
import { describe, expect, it } from 'vitest';
import { useBackend } from '../src/core/backend';
import { restoreBackendAfter } from './backendScope';
import { Rng } from '../src/core/rng';
import { tf } from '../src/core/tf';
import { Sgd, type SgdOptions } from '../src/core/train/sgd';

const f = Math.fround;
// above and below the size from which the kernel splits a parameter between threads
const N = 40_000;

/** torch.optim.SGD (dampening 0), one float32 operation at a time. */
function reference(p0: Float32Array, grads: Float32Array[], lr: number, o: SgdOptions): Float32Array {
  const p = Float32Array.from(p0);
  let buf: Float32Array | null = null;
  const [flr, fm, fwd] = [f(lr), f(o.momentum), f(o.weightDecay)];
  for (const grad of grads) {
    const next = new Float32Array(p.length);
    for (let i = 0; i < p.length; i++) {
      let g = o.weightDecay !== 0 ? f(grad[i] + f(p[i] * fwd)) : grad[i];
      if (o.momentum !== 0) {
        const b = buf ? f(f(buf[i] * fm) + g) : g;
        next[i] = b;
        g = o.nesterov ? f(g + f(b * fm)) : b;
      }
      p[i] = f(p[i] - f(g * flr));
    }
    if (o.momentum !== 0) buf = next;
  }
  return p;
}

async function run(p0: Float32Array, grads: Float32Array[], lr: number, o: SgdOptions): Promise<Float32Array> {
  const sgd = new Sgd(o);
  const before = tf.memory().numTensors;
  let p: tf.Tensor = tf.tensor1d(p0);
  for (const g of grads) {
    const gt = tf.tensor1d(g);
    // inside a tidy, as a caller may be: the momentum buffer must outlive it
    const next = tf.tidy(() => sgd.update('w', p, gt, lr));
    p.dispose();
    gt.dispose();
    p = next;
  }
  const out = (await p.data()) as Float32Array;
  p.dispose();
  sgd.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

const OPTIONS: SgdOptions[] = [
  { momentum: 0.9, weightDecay: 1e-4, nesterov: false },
  { momentum: 0.9, weightDecay: 5e-4, nesterov: true },
  { momentum: 0, weightDecay: 1e-4, nesterov: false },
  { momentum: 0.9, weightDecay: 0, nesterov: false },
];

describe('SGD step', () => {
  restoreBackendAfter();

  for (const backend of ['wasm', 'cpu'] as const)
    it(`${backend}: the same bits as torch's formula in float32, three steps, every option, a large and a small parameter`, async () => {
      await useBackend(backend);
      const rng = new Rng(5);
      for (const [n, o] of [N, 300].flatMap((n) => OPTIONS.map((o) => [n, o] as const))) {
        const p0 = rng.fillNormal(new Float32Array(n));
        const grads = [0, 1, 2].map(() => rng.fillNormal(new Float32Array(n)));
        const want = reference(p0, grads, 0.1, o);
        const got = await run(p0, grads, 0.1, o);
        const [a, b] = [new Uint32Array(got.buffer), new Uint32Array(want.buffer)];
        const differ = a.reduce((k, v, i) => k + Number(v !== b[i]), 0);
        expect(differ, `${JSON.stringify(o)}: elements that differ`).toBe(0);
      }
    });
});
