// The sweep's finished cells as the page sees them: read from IndexedDB for the current settings
// (on open, after a reload, when a setting changes), added as cells finish, cleared on request.
import { useCallback, useEffect, useState } from 'react';
import type { TrainResult } from '../shared/protocol';
import { planCells, SweepResultSchema, type SweepPlan, type SweepResult } from '../shared/train';
import { cellId } from '../shared/trainSettings';
import { clearCells, loadCells, saveCell, storageAvailable } from './sweepStore';
import { quarantineNotice, writeFailure } from './storeNotices';

export interface StoredCells {
  /** The stored results of this plan's cells; null while they are being read. */
  current: TrainResult[] | null;
  /** Stored cells set aside on reading, and cells the browser refused to store (kept in memory), in one line each. */
  notices: string[];
  /** Cells shown but not stored (the browser refused the write). */
  unsaved: number;
  add(r: TrainResult): void;
  clear(): Promise<void>;
}

export function useStoredCells(key: string | null, plan: SweepPlan): StoredCells {
  const [stored, setStored] = useState<{ key: string; results: TrainResult[] } | null>(null);
  const [setAside, setSetAside] = useState<string | null>(null);
  const [writeError, setWriteError] = useState<string | null>(null);
  const [unsaved, setUnsaved] = useState<{ key: string | null; ids: string[] }>({ key: null, ids: [] });
  useEffect(() => {
    if (!key) return;
    // no IndexedDB (some private modes): nothing stored, nothing kept
    if (!storageAvailable()) return void setStored({ key, results: [] });
    let alive = true;
    const ids = new Set(planCells(plan).map(cellId));
    loadCells(key).then(
      (rs) => {
        if (!alive) return;
        setStored({ key, results: rs.results.filter((r) => ids.has(cellId(r.cell))) });
        if (rs.quarantined.length) setSetAside(quarantineNotice('sweep cell', rs.quarantined));
      },
      () => alive && setStored({ key, results: [] }),
    );
    return () => {
      alive = false;
    };
  }, [key, plan]);
  const add = useCallback(
    (r: TrainResult) => {
      if (!key) return;
      // a refused write keeps the cell on the page (below) and says so
      const refused = (e: unknown) => {
        setWriteError(writeFailure(`sweep cell ${cellId(r.cell)}`, e));
        setUnsaved((u) => ({ key, ids: [...(u.key === key ? u.ids : []), cellId(r.cell)] }));
      };
      if (storageAvailable()) void saveCell(key, r).then(() => setWriteError(null), refused);
      setStored((s) => (s && s.key === key ? { key, results: [...s.results.filter((x) => cellId(x.cell) !== cellId(r.cell)), r] } : s));
    },
    [key],
  );
  const clear = useCallback(async () => {
    if (!key) return;
    if (storageAvailable()) await clearCells(key);
    setStored({ key, results: [] });
  }, [key]);
  const notices = [setAside, writeError].filter((n): n is string => !!n);
  return { current: stored && stored.key === key ? stored.results : null, notices, unsaved: unsaved.key === key ? unsaved.ids.length : 0, add, clear };
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
