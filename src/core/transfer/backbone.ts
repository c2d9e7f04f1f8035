// A pretrained network as a transfer backbone: its classifier (the last prunable layer, a linear
// layer with a bias) is replaced by a head and is never pruned, as the official transfer code
// swaps `model.fc` for a plain nn.Linear that the masked-parameter generators do not see.
import { throwIfAborted } from '../abort';
import type { LabDataset, Split } from '../data/dataset';
import { uploadMasks } from '../metrics/arrays';
import { nchwTensor } from '../models/input';
import { StandardOps } from '../models/ops';
import { disposeMap, toParamMap, type StateDict } from '../models/state';
import type { Model, PrunableLayer } from '../models/types';
import { tf, type Tensor } from '../tf';
import type { RidgeHead } from './ridge';

/** The classifier a head replaces: the model's last prunable layer (linear, with a bias). */
export function headLayer(model: Model): PrunableLayer {
  const l = model.prunable[model.prunable.length - 1];
  if (!l || l.kind !== 'linear' || !model.params.some((p) => p.name === `${l.module}.bias`))
    throw new Error(`${model.label}: the last layer is not a linear classifier with a bias, so it cannot take a ridge head`);
  return l;
}

/** The same network with the classifier left out of the prunable layers (pruners, masks, training). */
export function backboneModel(model: Model): Model {
  const head = headLayer(model);
  const macs = { ...model.macsPerLayer };
  delete macs[head.module];
  return { ...model, label: `${model.label} backbone`, prunable: model.prunable.filter((l) => l !== head), macsPerLayer: macs };
}

/** A copy of `sd` whose classifier holds the head (float32, PyTorch layout). */
export function withHead(model: Model, sd: StateDict, head: RidgeHead): StateDict {
  const l = headLayer(model);
  if (l.torchShape[0] !== head.classes || l.torchShape[1] !== head.features)
    throw new Error(`head is ${head.classes}×${head.features}, ${l.module} is ${l.torchShape.join('×')}`);
  const out = new Map(sd);
  out.set(l.weight, Float32Array.from(head.weight));
  out.set(`${l.module}.bias`, Float32Array.from(head.bias));
  return out;
}

/** Features of the backbone (eval-mode BN), dense or with `masks` (keyed by the backbone's
 * prunable weights, PyTorch layout): the classifier's input for every example of a split. */
export async function extractFeatures(
  model: Model,
  sd: StateDict,
  ds: LabDataset,
  split: Split,
  batchSize = 500,
  signal?: AbortSignal,
  masks?: Map<string, Float32Array>,
): Promise<{ x: Float32Array; n: number; d: number; y: Int32Array }> {
  const head = headLayer(model);
  const d = head.torchShape[1];
  const n = ds.size(split);
  const x = new Float32Array(n * d);
  const params = toParamMap(model, sd);
  const m = masks ? uploadMasks(backboneModel(model), masks) : undefined;
  try {
    for (let s = 0; s < n; s += batchSize) {
      throwIfAborted(signal);
      const idx = Int32Array.from({ length: Math.min(batchSize, n - s) }, (_, k) => s + k);
      const b = ds.batch(split, idx);
      const feats = tf.tidy(() => {
        let f: Tensor | null = null;
        const ops = new StandardOps({
          params,
          masks: m,
          bn: 'eval',
          onLayerInput: (layer, t) => {
            if (layer === head.module) f = t;
          },
        });
        model.forward(nchwTensor(b.x, b.shape), ops);
        if (!f) throw new Error(`${model.label}: the forward pass never reached ${head.module}`);
        return f as Tensor;
      });
      x.set((await feats.data()) as Float32Array, s * d);
      feats.dispose();
    }
  } finally {
    disposeMap(params);
    if (m) disposeMap(m);
  }
  return { x, n, d, y: ds.labels(split) };
}
