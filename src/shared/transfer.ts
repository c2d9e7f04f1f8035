// Transfer settings and results as plain data (no tfjs): what `px-lab transfer` writes, what the
// page's Transfer mode shows. The protocol is the official transfer_classification.py's (docs/transfer.md).
import { z } from 'zod';
import { FIELD_FACTS as F, numberSchema } from './fields';
import { spreadOf, type SeedSpread } from './seedSpread';
import type { RequestEnd } from './requestEnd';

/** Downstream split the ridge head is fitted on: the lab's default is the training split; the
 * official code fits it on the test split (the one it then reports accuracy on). */
export const HEAD_SPLITS = ['train', 'test'] as const;
export type HeadSplit = (typeof HEAD_SPLITS)[number];

/** The official fine-tuning optimiser (transfer_classification.py, ImageNet10): SGD lr 5e-5,
 * momentum 0.9, weight decay 1e-4, BN frozen (model.eval()), head frozen, MSE to one-hot. */
export const FINE_TUNE = { lr: 5e-5, momentum: 0.9, weightDecay: 1e-4, batchSize: 128 } as const;

export const TransferSettingsSchema = z.object({
  methods: z.array(z.string()).min(1),
  densities: z.array(z.number().gt(0).max(1)).min(1),
  /** Rounds of the iterative methods (PX, SynFlow, …); one-shot methods use 1. */
  rounds: numberSchema(F.rounds, 'run'),
  seed: numberSchema(F.seed, 'run'),
  /** Pruning seeds: every method × density is pruned once per seed (its PX subset, SNIP batch,
   * random mask), so each cell has a spread; absent: the one `seed`. The backbone (and a
   * `--weights random` init) stays the one of `seed`. */
  seeds: z.array(numberSchema(F.seed, 'run')).min(1).max(10).optional(),
  headSplit: z.enum(HEAD_SPLITS),
  /** PX's class-balanced subset of the downstream training split: examples per class. */
  examplesPerClass: numberSchema(F.examplesPerClass, 'run'),
  /** SNIP/GraSP/NTK-SAP: one seeded batch of this many downstream training examples. */
  pruneBatchSize: numberSchema(F.pruneBatch, 'run'),
  /** Before refitting the probe, recompute each pruned backbone's BatchNorm running statistics
   * on the downstream training split (the zero-shot number always keeps the dense statistics). */
  recalibrateBn: z.boolean().default(false),
  /** 0 = zero-shot only. */
  fineTuneEpochs: z.number().int().min(0).max(1000),
  /** Use only the first N downstream training examples (head, pruning, fine-tuning); 0 = all. */
  trainExamples: z.number().int().min(0).default(0),
  /** Evaluate on the first N downstream test examples only; 0 = all (the official protocol). */
  testExamples: z.number().int().min(0).default(0),
});
export type TransferSettings = z.infer<typeof TransferSettingsSchema>;

export const DEFAULT_TRANSFER: TransferSettings = {
  methods: ['px-2024', 'px-official', 'snip', 'synflow', 'rand'],
  densities: [0.1, 0.01],
  rounds: 100,
  seed: 0,
  headSplit: 'train',
  recalibrateBn: false,
  examplesPerClass: 10,
  pruneBatchSize: 128,
  fineTuneEpochs: 0,
  trainExamples: 0,
  testExamples: 0,
};

/** `px-lab transfer`'s pruning seeds: a spread per cell. */
export const DEFAULT_TRANSFER_SEEDS = [0, 1, 2];

/** The seeds a transfer prunes with. */
export function transferSeeds(s: Pick<TransferSettings, 'seed' | 'seeds'>): number[] {
  return s.seeds ?? [s.seed];
}

export interface TransferCell {
  method: string;
  density: number;
  /** The pruning seed of this cell (absent in results written before seeds: `settings.seed`). */
  seed?: number;
  kept: number;
  total: number;
  /** Downstream test accuracy of the pruned backbone with the dense head (the official protocol). */
  zeroShotAccuracy: number;
  /** Downstream test accuracy of the pruned backbone with a ridge head refitted on its own
   * features of the head split (a linear probe: it measures the features, not the dense head). */
  probeAccuracy: number;
  /** After fine-tuning (null without). */
  fineTunedAccuracy: number | null;
  pruneSeconds: number;
  fineTuneSeconds: number;
}

export interface TransferResult {
  kind: 'px-lab-transfer';
  arch: unknown;
  /** Where the backbone's weights came from (file name, checkpoint id, or "random init (seed S)"). */
  weights: string;
  weightsSha256: string | null;
  dataset: string;
  settings: TransferSettings;
  head: { split: HeadSplit; samples: number; features: number; alpha: number };
  /** The dense backbone with the head: the line every pruned backbone is compared with (its probe
   * is the dense head itself: same features, same solver). */
  dense: { zeroShotAccuracy: number; fineTunedAccuracy: number | null };
  cells: TransferCell[];
  /** Per (method, density) over seeds: each seed's zero-shot and probe accuracy, their mean, std, range. */
  summary?: TransferSummary[];
  backend: string;
  seconds: number;
}

// ---- the page ↔ worker messages of the Transfer mode (LabWorkerApi.transfer) ----

/** The weights the worker holds for a model, as the page shows them. */
export interface WeightsInfo {
  model: string;
  /** The URL's weights value ("init", "pretrained:<id>", "file:<sha256>:<name>"). */
  choice: string;
  label: string;
  sha256: string | null;
}

export interface TransferRequest {
  id: number;
  model: string;
  downstream: 'mnist' | 'fashion-mnist';
  settings: TransferSettings;
  /** A shipped checkpoint to start from ("pretrained:<id>"), loaded for this run only; absent: the weights in use. */
  weights?: string;
}

export type TransferEvent =
  | { type: 'transfer-stage'; requestId: number; stage: string; method?: string; density?: number }
  | { type: 'transfer-dense'; requestId: number; zeroShotAccuracy: number; fineTunedAccuracy: number | null; headSamples: number }
  | { type: 'transfer-cell'; requestId: number; cell: TransferCell }
  | RequestEnd;

/** What a finished Transfer request gives the page (the CLI's result without the file fields). */
export interface TransferOutcome {
  weights: WeightsInfo;
  dataset: string;
  settings: TransferSettings;
  dense: TransferResult['dense'];
  cells: TransferCell[];
  seconds: number;
}

/** Per (method, density) over seeds: the spread of zero-shot and probe accuracy, and each seed's values. */
export interface TransferSummary {
  method: string;
  density: number;
  seeds: number[];
  zeroShot: SeedSpread & { values: number[] };
  probe: SeedSpread & { values: number[] };
}

/** The cells summarised per (method, density), in first-seen order; non-finite values counted as failed, never averaged in. */
export function summariseTransfer(cells: readonly TransferCell[], seed = 0): TransferSummary[] {
  const groups = new Map<string, TransferCell[]>();
  for (const c of cells) groups.set(`${c.method}@${c.density}`, [...(groups.get(`${c.method}@${c.density}`) ?? []), c]);
  return [...groups.values()].flatMap((g) => {
    const zero = g.map((c) => c.zeroShotAccuracy);
    const probe = g.map((c) => c.probeAccuracy);
    const zs = spreadOf(zero);
    const ps = spreadOf(probe);
    if (!zs || !ps) return [];
    return [
      {
        method: g[0].method,
        density: g[0].density,
        seeds: g.map((c) => c.seed ?? seed),
        zeroShot: { ...zs, values: zero },
        probe: { ...ps, values: probe },
      },
    ];
  });
}

/** The result as CSV: one row per cell (each seed) after the dense row (its probe is its head: the
 * same number), with its (method, density)'s mean and std over seeds; fine_tuned_accuracy empty
 * without fine-tuning. */
export function transferCsv(r: Pick<TransferResult, 'dense' | 'cells' | 'head'> & { settings?: Pick<TransferSettings, 'seed'> }): string {
  const rows = [
    'method,density,seed,kept,total,head_split,zero_shot_accuracy,probe_accuracy,fine_tuned_accuracy,prune_seconds,zero_shot_mean,zero_shot_std,probe_mean,probe_std,n_seeds',
  ];
  const ft = (v: number | null) => (v === null ? '' : v);
  const seed = r.settings?.seed ?? 0;
  const d = r.dense.zeroShotAccuracy;
  rows.push(['dense', 1, '', '', '', r.head.split, d, d, ft(r.dense.fineTunedAccuracy), 0, d, 0, d, 0, ''].join(','));
  const summary = new Map(summariseTransfer(r.cells, seed).map((s) => [`${s.method}@${s.density}`, s]));
  for (const c of r.cells) {
    const s = summary.get(`${c.method}@${c.density}`);
    rows.push(
      [
        c.method,
        c.density,
        c.seed ?? seed,
        c.kept,
        c.total,
        r.head.split,
        c.zeroShotAccuracy,
        c.probeAccuracy,
        ft(c.fineTunedAccuracy),
        c.pruneSeconds.toFixed(2),
        s?.zeroShot.mean ?? '',
        s?.zeroShot.std ?? '',
        s?.probe.mean ?? '',
        s?.probe.std ?? '',
        s?.zeroShot.n ?? '',
      ].join(','),
    );
  }
  return `${rows.join('\n')}\n`;
}
