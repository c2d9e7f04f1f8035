// Imported weight files in IndexedDB (through `idb`, a database of their own), keyed by sha256,
// so a reload or a shared link finds them again. A record that is not what was stored (wrong
// fields, or bytes whose sha256 is not its key) is deleted and reported, never used.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

const DB_NAME = 'px-lab-weights';
const STORE = 'files';

export interface StoredWeights {
  sha256: string;
  name: string;
  model: string;
  bytes: Uint8Array;
  savedAt: number;
}

interface WeightsDb extends DBSchema {
  files: { key: string; value: StoredWeights };
}

let db: Promise<IDBPDatabase<WeightsDb>> | null = null;

function open(): Promise<IDBPDatabase<WeightsDb>> {
  if (!db) {
    db = openDB<WeightsDb>(DB_NAME, 1, { upgrade: (d) => void d.createObjectStore(STORE, { keyPath: 'sha256' }) });
    db.catch(() => (db = null));
  }
  return db;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function saveWeights(rec: StoredWeights): Promise<void> {
  await (await open()).put(STORE, rec);
}

/** The stored file with this sha256; `{ dropped }` when its record was corrupt (and is now deleted). */
export async function loadStoredWeights(sha256: string): Promise<{ record: StoredWeights | null; dropped?: string }> {
  const d = await open();
  const rec = (await d.get(STORE, sha256)) as Partial<StoredWeights> | undefined;
  if (!rec) return { record: null };
  const ok = rec.bytes instanceof Uint8Array && typeof rec.name === 'string' && typeof rec.model === 'string' && (await sha256Hex(rec.bytes)) === sha256;
  if (ok) return { record: rec as StoredWeights };
  await d.delete(STORE, sha256);
  return {
    record: null,
    dropped: `The stored copy of ${typeof rec.name === 'string' ? rec.name : 'a weights file'} was damaged (its bytes no longer match sha256 ${sha256.slice(0, 12)}…) and was removed; load the file again.`,
  };
}
