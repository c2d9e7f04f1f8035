// torch.optim.SGD exactly (dampening 0): for every trainable parameter p with gradient grad,
//   g = grad + wd·p;  buf = g on the first step, else buf = m·buf + g;
//   g = g + m·buf (Nesterov) or g = buf;  p ← p − lr·g.
// Pruned weights have zero loss gradient but still decay, as in the official masked layers.
import { tf, type Tensor } from '../tf';
import { wasmSgdStep } from '../wasm-kernels';
import { webgpuSgd } from '../webgpu-programs';

export interface SgdOptions {
  momentum: number;
  weightDecay: number;
  nesterov: boolean;
}

export class Sgd {
  /** Momentum buffers by parameter name (absent before a parameter's first step). */
  private readonly bufs = new Map<string, Tensor>();

  constructor(readonly opts: SgdOptions) {
    if (opts.nesterov && !(opts.momentum > 0)) throw new Error('Nesterov momentum requires a momentum > 0 (as torch.optim.SGD)');
  }

  /** New value of `p` after one step; keeps the new buffer, disposes the old one. Caller disposes `p`. */
  update(name: string, p: Tensor, grad: Tensor, lr: number): Tensor {
    const { momentum: m, weightDecay: wd, nesterov } = this.opts;
    const old = this.bufs.get(name);
    // on wasm one kernel does the whole step (the same float32 operations, in this order); on
    // webgpu two programs (the buffer, the parameter)
    const attrs = { lr, momentum: m, weightDecay: wd, nesterov, first: !old };
    const fused = wasmSgdStep(p, grad, old, attrs) ?? webgpuSgd(p, grad, old, attrs);
    if (fused) {
      if (fused[1]) {
        old?.dispose();
        // kept, as the portable path keeps it: a caller's tidy must not free the buffer
        this.bufs.set(name, tf.keep(fused[1]));
      }
      return fused[0];
    }
    let buf: Tensor | null = null;
    const next = tf.tidy(() => {
      let g = wd !== 0 ? tf.add(grad, tf.mul(p, wd)) : grad;
      if (m !== 0) {
        buf = tf.keep(old ? tf.add(tf.mul(old, m), g) : tf.clone(g));
        g = nesterov ? tf.add(g, tf.mul(buf, m)) : buf;
      }
      return tf.sub(p, tf.mul(g, lr));
    });
    if (buf) {
      old?.dispose();
      this.bufs.set(name, buf);
    }
    return next;
  }

  dispose(): void {
    for (const b of this.bufs.values()) b.dispose();
    this.bufs.clear();
  }
}
