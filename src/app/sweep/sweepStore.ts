// Finished sweep cells in IndexedDB (through `idb`), so a cancelled or reloaded sweep keeps them.
// A cell is stored under its sweep's key (everything that decides its numbers but the grid:
// model, data, pruning and training settings, backend, weights; see sweepKey) and its (method,
// density, seed), and states the weights it used: a later sweep with the same settings and an
// overlapping grid reuses what is there. A stored cell that does not parse or holds an impossible
// number is moved to a quarantine store (kept, never shown) and its reason returned.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { TrainResult } from '../../shared/protocol';
import { StoredCellSchema, checkStored, sweepKeyFields, type StoredCell } from '../../shared/storedRecords';
import { cellId } from '../../shared/trainSettings';

const DB_NAME = 'px-lab';
const STORE = 'sweep-cells';

interface LabDb extends DBSchema {
  'sweep-cells': { key: string; value: StoredCell; indexes: { sweep: string } };
  quarantine: { key: number; value: { raw: unknown; reason: string; at: number } };
}

let db: Promise<IDBPDatabase<LabDb>> | null = null;

function open(): Promise<IDBPDatabase<LabDb>> {
  if (!db) {
    db = openDB<LabDb>(DB_NAME, 2, {
      upgrade(d, from) {
        if (from < 1) d.createObjectStore(STORE, { keyPath: 'id' }).createIndex('sweep', 'sweep');
        if (from < 2) d.createObjectStore('quarantine', { autoIncrement: true });
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

/** The record a finished cell is stored as (it states the weights its sweep ran from). */
export function cellRecord(sweep: string, result: TrainResult, savedAt: number): StoredCell {
  const weights = sweepKeyFields(sweep).weights ?? undefined;
  return { id: `${sweep}|${cellId(result.cell)}`, sweep, ...(weights ? { weights } : {}), result, savedAt };
}

/** Store a finished cell; rejects when the record would not read back (never stores an impossible result) or the browser refuses. */
export async function saveCell(sweep: string, result: TrainResult): Promise<void> {
  const rec = checkStored(StoredCellSchema, `cell ${cellId(result.cell)}`, cellRecord(sweep, result, Date.now()));
  if (!rec.ok) throw new Error(rec.reason);
  const d = await open();
  await d.put(STORE, rec.value);
}

/** Every valid stored cell of a sweep, and why each refused one was set aside. */
export async function loadCells(sweep: string): Promise<{ results: TrainResult[]; quarantined: string[] }> {
  const d = await open();
  const tx = d.transaction([STORE, 'quarantine'], 'readwrite');
  const results: TrainResult[] = [];
  const quarantined: string[] = [];
  const index = tx.objectStore(STORE).index('sweep');
  for (let cursor = await index.openCursor(sweep); cursor; cursor = await cursor.continue()) {
    const r = checkStored(StoredCellSchema, 'a stored sweep cell', cursor.value);
    if (r.ok) results.push(r.value.result);
    else {
      quarantined.push(r.reason);
      await tx.objectStore('quarantine').add({ raw: cursor.value, reason: r.reason, at: Date.now() });
      await cursor.delete();
    }
  }
  await tx.done;
  return { results, quarantined };
}

export async function clearCells(sweep: string): Promise<void> {
  const d = await open();
  const tx = d.transaction(STORE, 'readwrite');
  for (const key of await tx.store.index('sweep').getAllKeys(sweep)) await tx.store.delete(key);
  await tx.done;
}
