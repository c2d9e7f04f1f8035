// Run history in IndexedDB (through `idb`; the pattern of sweepStore.ts, in its own database so
// the two never need a joint upgrade). A record that no longer parses is deleted and counted,
// so the page can say so; one record per configuration (the newest).
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { configKey, parseRecord, type HistoryRecord } from './history';

const DB_NAME = 'px-lab-history';
const STORE = 'runs';
/** Records kept at most (the oldest go first). */
export const HISTORY_LIMIT = 50;

interface HistoryDb extends DBSchema {
  runs: { key: number; value: HistoryRecord };
}

let db: Promise<IDBPDatabase<HistoryDb>> | null = null;

function open(): Promise<IDBPDatabase<HistoryDb>> {
  if (!db) {
    db = openDB<HistoryDb>(DB_NAME, 1, {
      upgrade(d) {
        d.createObjectStore(STORE, { keyPath: 'id' });
      },
    });
    db.catch(() => (db = null));
  }
  return db;
}

/** Every readable record, newest first, and how many unreadable ones were dropped. */
export async function listRuns(): Promise<{ records: HistoryRecord[]; dropped: number }> {
  const d = await open();
  const tx = d.transaction(STORE, 'readwrite');
  const records: HistoryRecord[] = [];
  let dropped = 0;
  for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
    const r = parseRecord(cursor.value);
    if (r) records.push(r);
    else {
      dropped++;
      await cursor.delete();
    }
  }
  await tx.done;
  return { records: records.sort((a, b) => b.savedAt - a.savedAt), dropped };
}

/**
 * Keep a finished run: a run of a configuration already kept updates that record under its id
 * (so a pin on it, which is in the URL, survives re-running it); keeps the newest HISTORY_LIMIT.
 */
export async function saveRun(record: HistoryRecord): Promise<void> {
  const d = await open();
  const tx = d.transaction(STORE, 'readwrite');
  const all = await tx.store.getAll();
  const same = all.find((r) => parseRecord(r) && configKey(r.config) === configKey(record.config));
  await tx.store.put(same ? { ...record, id: same.id } : record);
  const rest = all.filter((r) => parseRecord(r) && configKey(r.config) !== configKey(record.config)).sort((a, b) => b.savedAt - a.savedAt);
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
