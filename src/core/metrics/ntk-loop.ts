// The NTK test oracle: J built row by row, one backward pass per (input i, logit k), exactly as
// the reference code does with one autograd.grad per output; Θ = J Jᵀ summed in float64 on the
// host. Slow (n·C forward+backward passes) but independent of the structured computation: it
// uses the model's own masked forward (StandardOps) and the conv's filter gradient.
import { StandardOps } from '../models/ops';
import type { ParamMap } from '../models/state';
import { tf, type Tensor } from '../tf';
import { addGramColumns, checkNtkRequest, traceOf, type NtkMatrix, type NtkMatrixOptions, type NtkRequest } from './ntk-common';

export interface NtkLoopTiming {
  /** Time spent in the n·C backward passes (including reading J back). */
  backwardMs: number;
  /** Time spent forming Θ = J Jᵀ on the host. */
  gramMs: number;
}

/** Θ by one backward pass per row of J (the oracle). */
export async function ntkMatrixLoop(req: NtkRequest, opts: NtkMatrixOptions = {}): Promise<NtkMatrix & { timing: NtkLoopTiming }> {
  const n = checkNtkRequest(req);
  const { model, params, masks } = req;
  const classes = model.classes;
  const size = n * classes;
  const layers = model.prunable;
  const offsets: number[] = [];
  let cols = 0;
  for (const l of layers) {
    offsets.push(cols);
    cols += l.numel;
  }
  const J = new Float32Array(size * cols);
  const weights = layers.map((l) => params[l.weight]);
  const t0 = performance.now();
  const [, h, w, c] = req.x.shape;
  for (let i = 0; i < n; i++) {
    const xi = tf.slice(req.x, [i, 0, 0, 0], [1, h, w, c]);
    try {
      for (let k = 0; k < classes; k++) {
        // eval mode: each sample's logits depend on that sample only, so a batch of one is exact
        const grads = tf.tidy(() =>
          tf.grads((...ws: Tensor[]) => {
            const p: ParamMap = { ...params };
            layers.forEach((l, j) => (p[l.weight] = ws[j]));
            const logits = model.forward(xi, new StandardOps({ params: p, masks, bn: 'eval' }));
            return tf.sum(tf.slice(logits, [0, k], [1, 1])) as tf.Scalar;
          })(weights),
        );
        const row = (i * classes + k) * cols;
        for (let j = 0; j < layers.length; j++) {
          J.set((await grads[j].data()) as Float32Array, row + offsets[j]);
          grads[j].dispose();
        }
      }
    } finally {
      xi.dispose();
    }
  }
  const t1 = performance.now();
  const theta = new Float64Array(size * size);
  const traceByLayer: Record<string, number> = {};
  const layerMatrices: Record<string, Float64Array> | undefined = opts.keepLayerMatrices ? {} : undefined;
  layers.forEach((l, j) => {
    const part = new Float64Array(size * size);
    addGramColumns(J, size, cols, offsets[j], offsets[j] + l.numel, part);
    for (let e = 0; e < part.length; e++) theta[e] += part[e];
    traceByLayer[l.weight] = traceOf(part, size);
    if (layerMatrices) layerMatrices[l.weight] = part;
  });
  const t2 = performance.now();
  return { n, classes, size, theta, traceByLayer, layerMatrices, timing: { backwardMs: t1 - t0, gramMs: t2 - t1 } };
}
