// The official ablations of a pruned network (seeded): reshuffle each layer's mask (same number
// kept per layer, random positions), or reinitialise the weights after pruning (same masks).
// The third sanity check, inversion, acts on the scores, so it runs when pruning
// (pruners/inversion.ts; runSweepCell and `px-lab train` pass it on) and is nothing here.
import { initStateDict, type StateDict } from '../models/state';
import type { Model } from '../models/types';
import { Rng } from '../rng';
import type { Ablation, MaskMap } from './types';

export function reshuffleMasks(model: Model, masks: MaskMap, seed: number): MaskMap {
  const out: MaskMap = new Map();
  for (const l of model.prunable) {
    const m = masks.get(l.weight);
    if (!m) continue;
    const perm = Rng.derive(seed, `reshuffle-mask:${l.weight}`).permutation(m.length);
    out.set(
      l.weight,
      Float32Array.from(perm, (j) => m[j]),
    );
  }
  return out;
}

/** A fresh initialisation (the model's kaiming-normal init) from a seed independent of the original's. */
export function reinitialised(model: Model, seed: number): StateDict {
  return initStateDict(model, Rng.derive(seed, 'reinit').nextU32());
}

export function applyAblation(
  model: Model,
  stateDict: StateDict,
  masks: MaskMap | undefined,
  ablation: Ablation,
  seed: number,
): { stateDict: StateDict; masks: MaskMap | undefined } {
  switch (ablation) {
    case 'none':
      return { stateDict, masks };
    case 'reshuffle-masks':
      if (!masks) throw new Error('the reshuffle-masks ablation needs masks (a pruned network)');
      return { stateDict, masks: reshuffleMasks(model, masks, seed) };
    case 'reinit':
      return { stateDict: reinitialised(model, seed), masks };
    case 'invert-scores':
      return { stateDict, masks };
  }
}
