// The score/mask file the CLI writes and the page exports: for every prunable weight
// `<mod>.weight` (scores, PyTorch layout) and `<mod>.weight_mask` (F32 0/1), loadable into the
// official code's masked layers.
import type { TensorToWrite } from '../shared/safetensors';
import type { Model } from '../core/models';

export function maskName(weight: string): string {
  return `${weight}_mask`;
}

export function scoreMaskTensors(model: Model, scores: Map<string, Float32Array> | null, masks: Map<string, Float32Array>): TensorToWrite[] {
  const out: TensorToWrite[] = [];
  for (const l of model.prunable) {
    if (scores) out.push({ name: l.weight, shape: l.torchShape, data: scores.get(l.weight)! });
    out.push({ name: maskName(l.weight), shape: l.torchShape, data: masks.get(l.weight)! });
  }
  return out;
}
