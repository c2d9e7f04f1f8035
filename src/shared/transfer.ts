// Transfer settings and results as plain data (no tfjs): what `px-lab transfer` writes, what the
// page's Transfer mode shows. The protocol is the official transfer_classification.py's (docs/transfer.md).
import { z } from 'zod';

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
  rounds: z.number().int().min(1).max(10000),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  headSplit: z.enum(HEAD_SPLITS),
  /** PX's class-balanced subset of the downstream training split: examples per class. */
  examplesPerClass: z.number().int().min(1),
  /** SNIP/GraSP/NTK-SAP: one seeded batch of this many downstream training examples. */
  pruneBatchSize: z.number().int().min(1),
  /** 0 = zero-shot only. */
  fineTuneEpochs: z.number().int().min(0).max(1000),
  /** Use only the first N downstream training examples (head, pruning, fine-tuning); 0 = all. */
  trainExamples: z.number().int().min(0).default(0),
  /** Evaluate on the first N downstream test examples only; 0 = all (the official protocol). */
  testExamples: z.number().int().min(0).default(0),
});
export type TransferSettings = z.infer<typeof TransferSettingsSchema>;

export const DEFAULT_TRANSFER: TransferSettings = {
  methods: ['px-2024', 'snip', 'synflow', 'rand'],
  densities: [0.1, 0.01],
  rounds: 100,
  seed: 0,
  headSplit: 'train',
  examplesPerClass: 10,
  pruneBatchSize: 128,
  fineTuneEpochs: 0,
  trainExamples: 0,
  testExamples: 0,
};

export interface TransferCell {
  method: string;
  density: number;
  kept: number;
  total: number;
  /** Downstream test accuracy of the pruned backbone with the dense head. */
  zeroShotAccuracy: number;
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
  /** The dense backbone with the head: the line every pruned backbone is compared with. */
  dense: { zeroShotAccuracy: number; fineTunedAccuracy: number | null };
  cells: TransferCell[];
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
}

export type TransferEvent =
  | { type: 'transfer-stage'; requestId: number; stage: string; method?: string; density?: number }
  | { type: 'transfer-dense'; requestId: number; zeroShotAccuracy: number; fineTunedAccuracy: number | null; headSamples: number }
  | { type: 'transfer-cell'; requestId: number; cell: TransferCell }
  | { type: 'transfer-error'; requestId: number; message: string };

/** What a finished Transfer request gives the page (the CLI's result without the file fields). */
export interface TransferOutcome {
  weights: WeightsInfo;
  dataset: string;
  settings: TransferSettings;
  dense: TransferResult['dense'];
  cells: TransferCell[];
  seconds: number;
}
