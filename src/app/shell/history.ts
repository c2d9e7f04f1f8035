// Run history: every finished run as a compact record (configuration, what
// the charts draw, time), validated when read back so a corrupted record is dropped, never drawn.
// Pure; src/app/historyStore.ts keeps the records in IndexedDB.
import { z } from 'zod';
import { RunConfigSchema, type RunConfig } from '../../shared/config';
import { METHOD_NAMES, type MethodId } from '../../shared/methods';
import type { MethodSummary } from '../../shared/protocol';
import type { RunView } from '../common/runView';

const finite = z.number().refine(Number.isFinite);
const SpectrumSchema = z.object({ eigenvalues: z.array(z.number()), trace: finite });
const SummaryCheck = z.object({
  method: z.enum(METHOD_NAMES),
  source: z.enum(['path', 'exact']),
  density: finite,
  keptFraction: finite,
  kept: finite,
  total: finite,
  collapsedLayers: finite,
  ms: finite,
});
const SummarySchema = z.custom<MethodSummary>((v) => SummaryCheck.safeParse(v).success);

export const HistoryRecordSchema = z.object({
  /** savedAt, in ms since the epoch: also the record's key. */
  id: z.number().int().positive(),
  savedAt: z.number().int().positive(),
  config: RunConfigSchema,
  wallMs: finite,
  dense: SpectrumSchema.nullable(),
  methods: z.array(
    z.object({
      method: z.enum(METHOD_NAMES),
      summary: SummarySchema,
      ntk: SpectrumSchema.nullable(),
      rounds: z.array(z.object({ round: finite, kept: finite, ntkTrace: finite.optional() })),
    }),
  ),
});
export type HistoryRecord = z.infer<typeof HistoryRecordSchema>;

/** A finished run as a record (null unless every method has its final result). */
export function recordOf(view: RunView, savedAt: number): HistoryRecord | null {
  if (view.status !== 'done' || view.methods.some((m) => !m.summary || m.summary.exactPending)) return null;
  return {
    id: savedAt,
    savedAt,
    config: view.config,
    wallMs: (view.endedAt ?? savedAt) - view.startedAt,
    dense: view.denseNtk ? { eigenvalues: view.denseNtk.eigenvalues, trace: view.denseNtk.trace } : null,
    methods: view.methods.map((m) => ({
      method: m.method,
      summary: m.summary!,
      ntk: m.ntk ? { eigenvalues: m.ntk.eigenvalues, trace: m.ntk.trace } : null,
      rounds: m.rounds.map((r) => ({ round: r.round, kept: r.keptFraction, ...(r.ntkTrace !== undefined ? { ntkTrace: r.ntkTrace } : {}) })),
    })),
  };
}

/** A stored value read back: the record, or null when it does not parse (corrupted, old format). */
export function parseRecord(raw: unknown): HistoryRecord | null {
  const p = HistoryRecordSchema.safeParse(raw);
  return p.success ? p.data : null;
}

/** The configuration key: a newer run of the same configuration replaces the older record. */
export function configKey(config: RunConfig): string {
  return JSON.stringify(config);
}

/** One line naming a record: model, data, density, methods, rounds, seed. */
export function recordLabel(r: HistoryRecord): string {
  const c = r.config;
  return `${c.model} · ${c.dataset} · ${(c.density * 100).toPrecision(3)}% kept · ${c.methods.join(', ')} · ${c.rounds} rounds · seed ${c.seed}`;
}

/** A pinned record as a view the charts can overlay (the parts they read). */
export function pinnedView(r: HistoryRecord): Pick<RunView, 'denseNtk' | 'methods'> {
  return {
    denseNtk: r.dense ? { ...r.dense, condition: NaN, traceByLayer: [], samples: r.dense.eigenvalues.length, ms: 0 } : undefined,
    methods: r.methods.map((m) => ({
      method: m.method as MethodId,
      status: 'done' as const,
      phase: null,
      roundsTotal: m.rounds.length,
      rounds: m.rounds.map(({ kept, ...x }) => ({ ...x, density: kept, keptFraction: kept, elapsedMs: 0 })),
      summary: m.summary,
      ...(m.ntk ? { ntk: { ...m.ntk, condition: NaN, traceByLayer: [], samples: m.ntk.eigenvalues.length, ms: 0 }, ntkSource: 'exact' as const } : {}),
    })),
  };
}
