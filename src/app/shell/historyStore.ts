// Run history in IndexedDB (through `idb`; the pattern of sweepStore.ts, in its own database so
// the two never need a joint upgrade). A record that no longer parses, or holds an impossible
// number, is moved to a quarantine store (kept, never shown) and its reason reported, so the page
// can say so; one record per configuration and weights (the newest).
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { checkRecord, configKey, parseRecord, type HistoryRecord } from './history';

const DB_NAME = 'px-lab-history';
const STORE = 'runs';
/** Records kept at most (the oldest go first). */
export const HISTORY_LIMIT = 50;

/** A record set aside: what was read and why it was refused. */
export interface Quarantined {
  raw: unknown;
  reason: string;
  at: number;
}

interface HistoryDb extends DBSchema {
  runs: { key: number; value: HistoryRecord };
  quarantine: { key: number; value: Quarantined };
}

let db: Promise<IDBPDatabase<HistoryDb>> | null = null;

function open(): Promise<IDBPDatabase<HistoryDb>> {
  if (!db) {
    db = openDB<HistoryDb>(DB_NAME, 2, {
      upgrade(d, from) {
        if (from < 1) d.createObjectStore(STORE, { keyPath: 'id' });
        if (from < 2) d.createObjectStore('quarantine', { autoIncrement: true });
      },
    });
    db.catch(() => (db = null));
  }
  return db;
}

/** Every valid record, newest first, and why each refused one was set aside. */
export async function listRuns(): Promise<{ records: HistoryRecord[]; quarantined: string[] }> {
  const d = await open();
  const tx = d.transaction([STORE, 'quarantine'], 'readwrite');
  const records: HistoryRecord[] = [];
  const quarantined: string[] = [];
  for (let cursor = await tx.objectStore(STORE).openCursor(); cursor; cursor = await cursor.continue()) {
    const r = checkRecord(cursor.value);
    if (r.ok) records.push(r.value);
    else {
      quarantined.push(r.reason);
      await tx.objectStore('quarantine').add({ raw: cursor.value, reason: r.reason, at: Date.now() });
      await cursor.delete();
    }
  }
  await tx.done;
  return { records: records.sort((a, b) => b.savedAt - a.savedAt), quarantined };
}

/**
 * Keep a finished run: a run of a configuration already kept updates that record under its id
 * (so a pin on it, which is in the URL, survives re-running it); keeps the newest HISTORY_LIMIT.
 */
export async function saveRun(record: HistoryRecord): Promise<void> {
  const d = await open();
  const tx = d.transaction(STORE, 'readwrite');
  const all = await tx.store.getAll();
  const same = all.find((r) => parseRecord(r) && configKey(r) === configKey(record));
  await tx.store.put(same ? { ...record, id: same.id } : record);
  const rest = all.filter((r) => parseRecord(r) && configKey(r) !== configKey(record)).sort((a, b) => b.savedAt - a.savedAt);
  for (const r of rest.slice(HISTORY_LIMIT - 1)) await tx.store.delete(r.id);
  await tx.done;
}

export async function clearRuns(): Promise<void> {
  const d = await open();
  await d.clear(STORE);
}

/** Tests (e2e): write a raw value, e.g. a corrupted record. */
export async function putRaw(value: unknown): Promise<void> {
  const d = await open();
  await d.put(STORE, value as HistoryRecord);
}
