// The score/mask file the CLI writes and the page exports: for every prunable weight
// `<mod>.weight` (scores, PyTorch layout) and `<mod>.weight_mask` (F32 0/1), loadable into the
// official code's masked layers.
import type { TensorToWrite } from '../shared/safetensors';
import { maskName } from '../shared/maskNames';
import type { Model } from '../core/models';
import { masksFromSafeFile, type HostMasks } from '../core/metrics/arrays';
import { readSafetensorsFile } from './common';
import { asCliError } from './args';

/** A masks file (`<module>.weight_mask` entries, as score/prune write) → host masks, with CLI errors. */
export function loadMasks(model: Model, path: string): HostMasks {
  const f = readSafetensorsFile(path, 'masks');
  return asCliError(() => masksFromSafeFile(model, f, path));
}

export function scoreMaskTensors(
  model: Model,
  scores: Map<string, Float32Array> | null,
  masks: Map<string, Float32Array>,
): TensorToWrite[] {
  const out: TensorToWrite[] = [];
  for (const l of model.prunable) {
    if (scores) out.push({ name: l.weight, shape: l.torchShape, data: scores.get(l.weight)! });
    out.push({ name: maskName(l.weight), shape: l.torchShape, data: masks.get(l.weight)! });
  }
  return out;
}

/** The metadata a masks file (score, prune) opens with: the run's settings, what it kept, the arch. */
export function maskFileMetadata(
  model: Model,
  run: { method: string; rounds: number; density: number; scope: string },
  res: { kept: number; total: number },
): Record<string, string> {
  return {
    method: run.method,
    rounds: String(run.rounds),
    density: String(run.density),
    scope: run.scope,
    kept: String(res.kept),
    total: String(res.total),
    arch: JSON.stringify(model.spec),
  };
}
