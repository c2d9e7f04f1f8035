// What the page reads back from IndexedDB, checked before anything is shown: run history, sweep
// cells, transfer results and imported weight files. A record that does not parse, or holds an
// impossible number (an accuracy outside [0, 1], more weights kept than the model has, a
// non-finite loss, another model's count), is refused with one line saying why; the stores set it
// aside and the page says so. Every stored result names the weights it started from (the URL's
// `weights`: "init" with the record's seed, "pretrained:<id>" or "file:<sha256>:<name>").
import { z } from 'zod';
import { RunConfigSchema, type RunConfig } from './config';
import { METHOD_NAMES } from './methods';
import { MODEL_NAMES } from './models';
import type { MethodSummary } from './protocol';
import { WEIGHTS_PATTERN, parseWeightsChoice } from './pretrained';
import { SweepCellResultSchema, type SweepCellResult } from './train';
import { cellId } from './trainSettings';
import { TransferSettingsSchema } from './transfer';
import type { ZooName } from './models';

/** Prunable weights of each zoo model (checked against core's models by storedRecords.test.ts). */
export const PRUNABLE_WEIGHTS: Readonly<Record<ZooName, number>> = {
  mlp: 266_200,
  convnet: 94_304,
  resnet20: 270_896,
  wide_resnet20: 1_081_440,
  vgg16_bn: 14_715_584,
};

const finite = z.number();
const nonNegative = z.number().min(0);
const fraction = z.number().min(0, 'is below 0').max(1, 'is above 1');
const count = z.number().int('is not a whole number').min(0, 'is below 0');
const savedAt = z.number().int().positive();

/** The weights a stored result started from, as the URL names them. */
export const WeightsRefSchema = z.string().regex(WEIGHTS_PATTERN, 'is not init, pretrained:<id> or file:<sha256>:<name>');

/** "random init (seed 3)", "pretrained mlp-mnist", "m.safetensors (sha256 0123456789ab…)". */
export function weightsLabel(weights: string, seed: number): string {
  const c = parseWeightsChoice(weights);
  if (c.kind === 'pretrained') return `pretrained ${c.id}`;
  if (c.kind === 'file') return `${c.name} (sha256 ${c.sha256.slice(0, 12)}…)`;
  return `random init (seed ${seed})`;
}

/** Prunable weights of each zoo model's backbone: the model's less its classifier, which transfer
 * replaces (checked against core's backbone models by storedRecords.test.ts). */
export const BACKBONE_PRUNABLE_WEIGHTS: Readonly<Record<ZooName, number>> = {
  mlp: 265_200,
  convnet: 93_024,
  resnet20: 270_256,
  wide_resnet20: 1_080_160,
  vgg16_bn: 14_710_464,
};

/** kept ≤ total, and total is the model's count (`backbone`: its backbone's, as transfer prunes) when the model is known. */
function checkCounts(
  ctx: z.RefinementCtx,
  kept: number,
  total: number,
  model: string | null,
  path: (string | number)[],
  backbone = false,
): void {
  if (kept > total) ctx.addIssue({ code: 'custom', path, message: `kept ${kept} is more than the ${total} weights counted` });
  const counts = backbone ? BACKBONE_PRUNABLE_WEIGHTS : PRUNABLE_WEIGHTS;
  const expected = model && model in counts ? counts[model as ZooName] : null;
  const whose = backbone ? `${model}'s backbone` : `${model}'s`;
  if (expected !== null && total !== expected)
    ctx.addIssue({ code: 'custom', path, message: `${total} weights is not ${whose} count (${expected}): another model's result` });
}

/** A trained cell's result with every number possible: the shared schema (`--merge` uses it too), range-checked. */
export const CheckedCellResultSchema = SweepCellResultSchema;

/** What a sweep key (src/shared/trainSettings.ts sweepKey) says: model and weights. */
export function sweepKeyFields(key: string): { arch: string | null; weights: string | null } {
  try {
    const k = JSON.parse(key) as { arch?: unknown; weights?: unknown };
    return { arch: typeof k.arch === 'string' ? k.arch : null, weights: typeof k.weights === 'string' ? k.weights : null };
  } catch {
    return { arch: null, weights: null };
  }
}

/** A stored sweep cell: under its sweep's key (which names the model and the weights) and its cell. */
export const StoredCellSchema = z
  .object({
    id: z.string(),
    sweep: z.string(),
    /** Older records do not state it; their key does. */
    weights: WeightsRefSchema.optional(),
    result: CheckedCellResultSchema,
    savedAt,
  })
  .superRefine((c, ctx) => {
    if (c.id !== `${c.sweep}|${cellId(c.result.cell)}`) ctx.addIssue({ code: 'custom', path: ['id'], message: 'its key is not its cell' });
    const key = sweepKeyFields(c.sweep);
    if (!key.weights || !WEIGHTS_PATTERN.test(key.weights))
      ctx.addIssue({ code: 'custom', path: ['sweep'], message: 'its sweep key names no weights' });
    else if (c.weights !== undefined && c.weights !== key.weights)
      ctx.addIssue({ code: 'custom', path: ['weights'], message: `it states weights ${c.weights} under a sweep of ${key.weights}` });
    checkCounts(ctx, c.result.kept, c.result.total, key.arch, ['result', 'total']);
  });
export type StoredCell = z.infer<typeof StoredCellSchema>;

const SpectrumSchema = z.object({ eigenvalues: z.array(finite), trace: finite });
const SummaryCheck = z.object({
  method: z.enum(METHOD_NAMES),
  source: z.enum(['path', 'exact']),
  density: z.number().gt(0).max(1),
  keptFraction: fraction,
  kept: count,
  total: z.number().int().positive(),
  collapsedLayers: count,
  ms: nonNegative,
});

/** A pruning run kept in the history: configuration, what the charts draw, the weights it used. */
export const StoredRunSchema = z
  .object({
    /** savedAt, in ms since the epoch: also the record's key. */
    id: savedAt,
    savedAt,
    config: RunConfigSchema,
    /** Older records do not state it (shown as "weights not recorded"). */
    weights: WeightsRefSchema.optional(),
    wallMs: nonNegative,
    dense: SpectrumSchema.nullable(),
    methods: z.array(
      z.object({
        method: z.enum(METHOD_NAMES),
        summary: z.custom<MethodSummary>(
          (v) => SummaryCheck.safeParse(v).success,
          'summary: not a finished method summary with numbers in range',
        ),
        ntk: SpectrumSchema.nullable(),
        /** kept: the fraction of prunable weights kept after each round. */
        rounds: z.array(z.object({ round: count, kept: fraction, ntkTrace: finite.optional() })),
      }),
    ),
  })
  .superRefine((r, ctx) => {
    r.methods.forEach((m, i) => {
      if (m.summary.method !== m.method)
        ctx.addIssue({ code: 'custom', path: ['methods', i], message: `a ${m.summary.method} summary under ${m.method}` });
      checkCounts(ctx, m.summary.kept, m.summary.total, r.config.model, ['methods', i, 'summary']);
      if (Math.abs(m.summary.keptFraction * m.summary.total - m.summary.kept) > 0.5)
        ctx.addIssue({ code: 'custom', path: ['methods', i], message: 'its kept fraction is not kept / total' });
    });
  });
export type StoredRun = z.infer<typeof StoredRunSchema>;

/** The history's identity of a run: its configuration and its weights (a run on a file never replaces one on the init). */
export function runKey(config: RunConfig, weights: string | undefined): string {
  return JSON.stringify({ config, weights: weights ?? 'unrecorded' });
}

/** An imported weights file kept by the page; `model` must be the model it is loaded for. */
export const StoredWeightsSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'is not a sha256'),
  name: z.string().min(1).max(200),
  model: z.enum(MODEL_NAMES),
  bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength > 8, 'holds no safetensors file'),
  savedAt,
});
export type StoredWeightsRecord = z.infer<typeof StoredWeightsSchema>;

const TransferCellSchema = z.object({
  method: z.string().min(1),
  density: z.number().gt(0).max(1),
  kept: count,
  total: z.number().int().positive(),
  zeroShotAccuracy: fraction,
  fineTunedAccuracy: fraction.nullable(),
  pruneSeconds: nonNegative,
  fineTuneSeconds: nonNegative,
});

/** A finished Transfer run as the page keeps and shows it. */
export const TransferOutcomeCheckSchema = z
  .object({
    weights: z.object({
      model: z.enum(MODEL_NAMES),
      choice: z.string(),
      label: z.string(),
      sha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .nullable(),
    }),
    dataset: z.string(),
    settings: TransferSettingsSchema,
    dense: z.object({ zeroShotAccuracy: fraction, fineTunedAccuracy: fraction.nullable() }),
    cells: z.array(TransferCellSchema),
    seconds: nonNegative,
  })
  .superRefine((o, ctx) => o.cells.forEach((c, i) => checkCounts(ctx, c.kept, c.total, o.weights.model, ['cells', i], true)));

/** One line for a refused record: "<what>: <where> <why>" (at most two reasons). */
export function refusal(what: string, error: z.ZodError): string {
  const reasons = error.issues.slice(0, 2).map((i) => {
    const where = i.path.filter((p) => typeof p === 'string' || typeof p === 'number').join('.');
    return `${where ? `${where} ` : ''}${i.message}`.replace(/\s+/g, ' ');
  });
  return `${what}: ${reasons.join('; ')}`.slice(0, 240);
}

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Parse a stored value with a schema: the value, or one line saying why it is refused. */
export function checkStored<T>(schema: z.ZodType<T>, what: string, raw: unknown): Checked<T> {
  const p = schema.safeParse(raw);
  return p.success ? { ok: true, value: p.data } : { ok: false, reason: refusal(what, p.error) };
}

/** A result worth showing: every number finite and in range (what a store keeps). */
export function isPossibleCell(r: SweepCellResult): boolean {
  return CheckedCellResultSchema.safeParse(r).success;
}
