// Seeded synthetic classification data of any shape: each class has a random mean image, each
// example is that mean plus Gaussian noise, so the classes are learnable but not trivial.
import { Rng } from '../rng';
import { gatherBatch, type LabDataset, type Split } from './dataset';

export interface SyntheticOptions {
  shape: [number, number, number];
  classes?: number;
  train?: number;
  test?: number;
  seed?: number;
  /** Noise standard deviation relative to the class-mean spread (default 1). */
  noise?: number;
}

export function syntheticDataset(opts: SyntheticOptions): LabDataset {
  const classes = opts.classes ?? 10;
  const counts: Record<Split, number> = { train: opts.train ?? 1000, test: opts.test ?? 200 };
  const seed = opts.seed ?? 0;
  const [c, h, w] = opts.shape;
  const checks = [
    [c, 'C', 1],
    [h, 'H', 1],
    [w, 'W', 1],
    [classes, 'classes', 1],
    [counts.train, 'train size', 0],
    [counts.test, 'test size', 0],
  ] as const;
  for (const [v, what, min] of checks) {
    if (!Number.isInteger(v) || v < min) throw new Error(`synthetic data: ${what} must be an integer ≥ ${min} (got ${v})`);
  }
  const per = c * h * w;
  const noise = opts.noise ?? 1;
  const means = new Rng(Rng.derive(seed, 'synthetic:means').nextU32()).fillNormal(new Float32Array(classes * per));
  const labels: Record<Split, Int32Array> = {
    // balanced, interleaved so that every prefix is close to balanced
    train: Int32Array.from({ length: counts.train }, (_, i) => i % classes),
    test: Int32Array.from({ length: counts.test }, (_, i) => i % classes),
  };
  return {
    name: 'synthetic',
    label: `Synthetic ${c}×${h}×${w}, ${classes} classes (seed ${seed}), ${counts.train} train / ${counts.test} test`,
    shape: [c, h, w],
    classes,
    size: (split) => counts[split],
    labels: (split) => labels[split],
    batch: (split, indices) =>
      gatherBatch(indices, [c, h, w], (i, x, offset) => {
        if (!(i >= 0 && i < counts[split])) throw new RangeError(`example ${i} outside 0..${counts[split] - 1}`);
        const cls = labels[split][i];
        // every example has its own stream: the same index gives the same image in any batch
        const rng = Rng.derive(seed, `synthetic:${split}:${i}`);
        for (let k = 0; k < per; k++) x[offset + k] = means[cls * per + k] + noise * rng.normal();
        return cls;
      }),
  };
}
