// Per-channel mean/std applied after scaling pixels to [0, 1], as torchvision's Normalize does.
// CIFAR-10: the official PX code's values (iurada/px-ntk-pruning, datasets/CIFAR10/dataset.py:
// mean (0.491, 0.482, 0.447), std (0.247, 0.243, 0.262)). The official code has no MNIST or
// Fashion-MNIST loader, so those use torchvision's customary constants.
export interface ChannelStats {
  mean: readonly number[];
  std: readonly number[];
  /** Where the numbers come from. */
  source: string;
}

export const NORMALIZATION = {
  mnist: { mean: [0.1307], std: [0.3081], source: 'torchvision MNIST convention (0.1307, 0.3081)' },
  'fashion-mnist': { mean: [0.286], std: [0.353], source: 'torchvision Fashion-MNIST convention (0.2860, 0.3530)' },
  cifar10: {
    mean: [0.491, 0.482, 0.447],
    std: [0.247, 0.243, 0.262],
    source: 'official PX code, datasets/CIFAR10/dataset.py',
  },
} as const satisfies Record<string, ChannelStats>;

/** A 256-entry table per channel: byte → (byte/255 − mean)/std, so batches are one lookup per value. */
export function normalizationTables(stats: ChannelStats): Float32Array[] {
  return stats.mean.map((m, c) => {
    const s = stats.std[c];
    if (!(s > 0)) throw new Error(`normalisation std of channel ${c} must be positive (got ${s})`);
    const t = new Float32Array(256);
    for (let v = 0; v < 256; v++) t[v] = (v / 255 - m) / s;
    return t;
  });
}
