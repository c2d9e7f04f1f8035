// The sweep's finished cells as the page sees them: read from IndexedDB for the current settings
// (on open, after a reload, when a setting changes), added as cells finish, cleared on request.
import { useCallback, useEffect, useState } from 'react';
import type { TrainResult } from '../../shared/protocol';
import { parseMergedSweep, storedCellsOfPlan } from '../../shared/sweep';
import type { SweepPlan, SweepResult } from '../../shared/train';
import { cellId } from '../../shared/trainSettings';
import { clearCells, loadCells, saveCell, storageAvailable } from './sweepStore';
import { quarantineNotice, writeFailure } from '../common/storeNotices';

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
    loadCells(key).then(
      (rs) => {
        if (!alive) return;
        setStored({ key, results: storedCellsOfPlan(plan, rs.results) });
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
  return {
    current: stored && stored.key === key ? stored.results : null,
    notices,
    unsaved: unsaved.key === key ? unsaved.ids.length : 0,
    add,
    clear,
  };
}

/** A merged sweep file picked or dropped on the page. */
export function useSweepFile(): { file: { name: string; sweep: SweepResult } | null; error: string | null; read(f: File): Promise<void> } {
  const [file, setFile] = useState<{ name: string; sweep: SweepResult } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const read = useCallback(async (f: File) => {
    setError(null);
    let json: unknown;
    try {
      json = JSON.parse(await f.text());
    } catch {
      setFile(null);
      return setError(`${f.name}: not JSON (truncated or not a px-lab sweep file)`);
    }
    try {
      // the CLI's merge checks: values in range, this plan's id on every cell, each cell once
      setFile({ name: f.name, sweep: parseMergedSweep(json, f.name) });
    } catch (e) {
      setFile(null);
      setError(`Not shown: ${e instanceof Error ? e.message : String(e)}`);
    }
  }, []);
  return { file, error, read };
}
