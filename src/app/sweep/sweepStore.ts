// Finished sweep cells in IndexedDB (through `idb`), so a cancelled or reloaded sweep keeps them.
// A cell is stored under its sweep's key (everything that decides its numbers but the grid:
// model, data, pruning and training settings, backend; see sweepKey) and its (method, density,
// seed): a later sweep with the same settings and an overlapping grid reuses what is there.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { TrainResult } from '../../shared/protocol';
import { SweepCellResultSchema } from '../../shared/train';
import { cellId } from '../../shared/trainSettings';

const DB_NAME = 'px-lab';
const STORE = 'sweep-cells';

interface StoredCell {
  /** `${sweepKey}|${cellId}`. */
  id: string;
  sweep: string;
  result: TrainResult;
  savedAt: number;
}

interface LabDb extends DBSchema {
  'sweep-cells': { key: string; value: StoredCell; indexes: { sweep: string } };
}

let db: Promise<IDBPDatabase<LabDb>> | null = null;

function open(): Promise<IDBPDatabase<LabDb>> {
  if (!db) {
    db = openDB<LabDb>(DB_NAME, 1, {
      upgrade(d) {
        d.createObjectStore(STORE, { keyPath: 'id' }).createIndex('sweep', 'sweep');
      },
    });
    db.catch(() => (db = null));
  }
  return db;
}

/** Whether this browser offers IndexedDB at all (private modes may not). */
export function storageAvailable(): boolean {
  return typeof indexedDB !== 'undefined';
}

export async function saveCell(sweep: string, result: TrainResult): Promise<void> {
  const d = await open();
  await d.put(STORE, { id: `${sweep}|${cellId(result.cell)}`, sweep, result, savedAt: Date.now() });
}

/** Every stored cell of a sweep; entries that no longer parse are left out. */
export async function loadCells(sweep: string): Promise<TrainResult[]> {
  const d = await open();
  const rows = await d.getAllFromIndex(STORE, 'sweep', sweep);
  return rows.flatMap((r) => {
    const p = SweepCellResultSchema.safeParse(r.result);
    return p.success ? [p.data] : [];
  });
}

export async function clearCells(sweep: string): Promise<void> {
  const d = await open();
  const tx = d.transaction(STORE, 'readwrite');
  for (const key of await tx.store.index('sweep').getAllKeys(sweep)) await tx.store.delete(key);
  await tx.done;
}
