// The sweep's finished cells as the page sees them: read from IndexedDB for the current settings
// (on open, after a reload, when a setting changes), added as cells finish, cleared on request.
import { useCallback, useEffect, useState } from 'react';
import type { TrainResult } from '../../shared/protocol';
import { planCells, SweepResultSchema, type SweepPlan, type SweepResult } from '../../shared/train';
import { cellId } from '../../shared/trainSettings';
import { clearCells, loadCells, saveCell, storageAvailable } from './sweepStore';

export interface StoredCells {
  /** The stored results of this plan's cells; null while they are being read. */
  current: TrainResult[] | null;
  add(r: TrainResult): void;
  clear(): Promise<void>;
}

export function useStoredCells(key: string | null, plan: SweepPlan): StoredCells {
  const [stored, setStored] = useState<{ key: string; results: TrainResult[] } | null>(null);
  useEffect(() => {
    if (!key) return;
    // no IndexedDB (some private modes): nothing stored, nothing kept
    if (!storageAvailable()) return void setStored({ key, results: [] });
    let alive = true;
    const ids = new Set(planCells(plan).map(cellId));
    loadCells(key).then(
      (rs) => alive && setStored({ key, results: rs.filter((r) => ids.has(cellId(r.cell))) }),
      () => alive && setStored({ key, results: [] }),
    );
    return () => {
      alive = false;
    };
  }, [key, plan]);
  const add = useCallback(
    (r: TrainResult) => {
      if (!key) return;
      if (storageAvailable()) void saveCell(key, r).catch(() => undefined);
      setStored((s) => (s && s.key === key ? { key, results: [...s.results.filter((x) => cellId(x.cell) !== cellId(r.cell)), r] } : s));
    },
    [key],
  );
  const clear = useCallback(async () => {
    if (!key) return;
    if (storageAvailable()) await clearCells(key);
    setStored({ key, results: [] });
  }, [key]);
  return { current: stored && stored.key === key ? stored.results : null, add, clear };
}

/** A merged sweep file picked or dropped on the page. */
export function useSweepFile(): { file: { name: string; sweep: SweepResult } | null; error: string | null; read(f: File): Promise<void> } {
  const [file, setFile] = useState<{ name: string; sweep: SweepResult } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const read = useCallback(async (f: File) => {
    setError(null);
    try {
      const parsed = SweepResultSchema.safeParse(JSON.parse(await f.text()));
      if (!parsed.success)
        throw new Error(
          `not a px-lab sweep file (${parsed.error.issues
            .slice(0, 2)
            .map((i) => `${i.path.join('.')}: ${i.message}`)
            .join('; ')})`,
        );
      setFile({ name: f.name, sweep: parsed.data });
    } catch (e) {
      setError(`${f.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }, []);
  return { file, error, read };
}
