// Run history: every finished run as a compact record (configuration, what
// the charts draw, time), validated when read back so a corrupted record is dropped, never drawn.
// Pure; src/app/historyStore.ts keeps the records in IndexedDB.
import type { RunConfig } from '../../shared/config';
import type { MethodId } from '../../shared/methods';
import { StoredRunSchema, checkStored, runKey, weightsLabel, type Checked, type StoredRun } from '../../shared/storedRecords';
import type { RunView } from '../common/runView';

export const HistoryRecordSchema = StoredRunSchema;
export type HistoryRecord = StoredRun;

/** A finished run as a record, stating the weights it started from (null unless every method has its final result). */
export function recordOf(view: RunView, savedAt: number, weights: string): HistoryRecord | null {
  if (view.status !== 'done' || view.methods.some((m) => !m.summary || m.summary.exactPending)) return null;
  return {
    id: savedAt,
    savedAt,
    config: view.config,
    weights,
    wallMs: (view.endedAt ?? savedAt) - view.startedAt,
    dense: view.denseNtk ? { eigenvalues: view.denseNtk.eigenvalues, trace: view.denseNtk.trace } : null,
    methods: view.methods.map((m) => ({
      method: m.method,
      summary: m.summary!,
      ntk: m.ntk ? { eigenvalues: m.ntk.eigenvalues, trace: m.ntk.trace } : null,
      rounds: m.rounds.map((r) => ({
        round: r.round,
        kept: r.keptFraction,
        ...(r.ntkTrace !== undefined ? { ntkTrace: r.ntkTrace } : {}),
      })),
    })),
  };
}

/** A stored value read back: the record, or null when it does not parse (corrupted, old format, impossible numbers). */
export function parseRecord(raw: unknown): HistoryRecord | null {
  const p = checkRecord(raw);
  return p.ok ? p.value : null;
}

/** A stored value read back, or one line saying why it is refused. */
export function checkRecord(raw: unknown): Checked<HistoryRecord> {
  return checkStored(StoredRunSchema, 'a stored run', raw);
}

/** The key of a run: a newer run of the same configuration on the same weights replaces the older record. */
export function configKey(r: { config: RunConfig; weights?: string }): string {
  return runKey(r.config, r.weights);
}

/** One line naming a record: model, data, density, methods, rounds, seed. */
export function recordLabel(r: HistoryRecord): string {
  const c = r.config;
  const weights = r.weights ? weightsLabel(r.weights, c.seed) : 'weights not recorded';
  return `${c.model} · ${c.dataset} · ${(c.density * 100).toPrecision(3)}% kept · ${c.methods.join(', ')} · ${c.rounds} rounds · seed ${c.seed} · ${weights}`;
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
      ...(m.ntk
        ? { ntk: { ...m.ntk, condition: NaN, traceByLayer: [], samples: m.ntk.eigenvalues.length, ms: 0 }, ntkSource: 'exact' as const }
        : {}),
    })),
  };
}
