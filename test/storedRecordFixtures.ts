// Stored records made by hand, as the page writes them to IndexedDB: the starting point of the
// stored-record tests and the fuzz suite's mutations (every value in range).
import { DEFAULT_CONFIG } from '../src/shared/config';
import type { TrainResult } from '../src/shared/protocol';
import type { StoredCell } from '../src/shared/storedRecords';
import { DEFAULT_TRAIN_SETTINGS, sweepKey, sweepPlanOf } from '../src/shared/trainSettings';
import { planId } from '../src/shared/sweep';
import { cellRecord } from '../src/app/sweep/sweepStore';
import { DEFAULT_TRANSFER } from '../src/shared/transfer';

/** A stored MLP cell as the page writes it (magnitude at density 0.1 on synthetic data). */
export function mlpCell(over: Partial<TrainResult> = {}, weights = 'init'): StoredCell {
  const plan = sweepPlanOf({ ...DEFAULT_CONFIG, model: 'mlp', dataset: 'synthetic' }, DEFAULT_TRAIN_SETTINGS);
  const result: TrainResult = {
    planId: planId(plan),
    cell: { index: 0, method: 'mag', density: 0.1, seed: 0 },
    testAccuracy: 0.42,
    testLoss: 1.7,
    trainLoss: 1.9,
    kept: 26_620,
    total: 266_200,
    epochs: [{ epoch: 1, step: 30, trainLoss: 1.9, lr: 0.1, testAccuracy: 0.42, testLoss: 1.7, seconds: 2 }],
    pruneSeconds: 0.1,
    trainSeconds: 2,
    backend: 'wasm',
    ...over,
  };
  return cellRecord(sweepKey(plan, 'wasm', weights), result, 1_700_000_000_000);
}

/** A finished Transfer run of the pretrained MLP as the page keeps it: `total` is the backbone's
 * prunable count (the classifier is replaced). */
export function transferOutcome(total = 265_200) {
  const cell = {
    method: 'snip',
    density: 0.1,
    kept: Math.round(0.1 * total),
    total,
    zeroShotAccuracy: 0.31,
    fineTunedAccuracy: 0.5,
    pruneSeconds: 1,
    fineTuneSeconds: 3,
  };
  return {
    weights: { model: 'mlp', choice: 'pretrained:mlp-mnist', label: 'MLP trained on MNIST', sha256: null },
    dataset: 'Fashion-MNIST',
    settings: { ...DEFAULT_TRANSFER, methods: ['snip', 'rand'], densities: [0.1] },
    dense: { zeroShotAccuracy: 0.7, fineTunedAccuracy: 0.72 },
    cells: [cell, { ...cell, method: 'rand', fineTunedAccuracy: null }],
    seconds: 12,
  };
}
