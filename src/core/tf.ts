// The one place the core imports TensorFlow.js from. Everything in src/core uses the
// functional API (tf.add(a, b)), never chained methods, so it does not depend on which
// copy of tfjs-core registered the Tensor prototype.
//
// Backends other than cpu (and webgl, which the union package registers) are loaded when chosen
// (backend.ts: loadBackend). The page's worker bundles src/core/tfjs-lean.ts in place of the
// union package (vite.config.ts): tfjs-core with gradients and cpu, no layers, converter, data.
import * as tf from '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
export type Tensor1D = tf.Tensor1D;
export type Tensor2D = tf.Tensor2D;
export type Tensor4D = tf.Tensor4D;

/**
 * Sum of same-shape tensors as a tree of pairwise adds. tf.addN binds every input to one shader
 * on WebGPU and fails past 8 storage buffers per stage (e.g. summing 22 layers' norms).
 */
export function addAll(ts: tf.Tensor[]): tf.Tensor {
  if (!ts.length) throw new Error('addAll of no tensors');
  let level = ts;
  while (level.length > 1) {
    const next: tf.Tensor[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? tf.add(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}

interface TapeState {
  gradientDepth: number;
  activeTape: Array<{ saved?: tf.Tensor[] }> | null;
}

/**
 * Frees what a failed gradient computation left behind. tfjs keeps a clone of every tensor its
 * backward pass needs and frees them only when the backward pass succeeds; when it throws (e.g.
 * "gradient function not found"), the clones stay on the tape forever (46–68 tensors per failed
 * SynFlow round). Gradients are synchronous, so once an error has surfaced no gradient is in
 * flight and a tape left at depth 0 belongs to nobody.
 */
export function releaseOrphanedTape(): void {
  const state = (tf.engine() as unknown as { state: TapeState }).state;
  if (state.gradientDepth !== 0 || !state.activeTape) return;
  for (const node of state.activeTape) for (const t of node.saved ?? []) t.dispose();
  state.activeTape = null;
}
