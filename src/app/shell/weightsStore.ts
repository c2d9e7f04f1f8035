// Imported weight files in IndexedDB (through `idb`, a database of their own), keyed by sha256,
// so a reload or a shared link finds them again. A record that is not what was stored (wrong
// fields, or bytes whose sha256 is not its key) is deleted and reported, never used.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { StoredWeightsSchema, checkStored } from '../../shared/storedRecords';

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

/**
 * The stored file with this sha256 for `model`; `{ dropped }` when its record was corrupt (now
 * deleted) or is another model's file (kept, not used).
 */
export async function loadStoredWeights(sha256: string, model: string): Promise<{ record: StoredWeights | null; dropped?: string }> {
  const d = await open();
  const rec = (await d.get(STORE, sha256)) as Partial<StoredWeights> | undefined;
  if (!rec) return { record: null };
  const checked = checkStored(
    StoredWeightsSchema,
    `the stored weights file ${typeof rec.name === 'string' ? rec.name.slice(0, 60) : ''}`,
    rec,
  );
  const intact = checked.ok && checked.value.sha256 === sha256 && (await sha256Hex(checked.value.bytes)) === sha256;
  if (intact && checked.value.model !== model)
    return {
      record: null,
      dropped: `${checked.value.name} is a ${checked.value.model} file, not ${model}: not used (load a ${model} file).`,
    };
  if (intact) return { record: checked.value };
  await d.delete(STORE, sha256);
  const why = checked.ok ? `its bytes no longer match sha256 ${sha256.slice(0, 12)}…` : checked.reason;
  return { record: null, dropped: `A stored weights file was damaged (${why}) and was removed; load the file again.` };
}
