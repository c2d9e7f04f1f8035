// The shipped results archive (results/archive/archive.json, docs/archive.md) on the page: Vite
// emits the file next to the build's assets (a relative URL, so it works under any base path) and
// the Sweep tab fetches it the first time it opens, so the main bundle carries only its URL. Its
// rows for the sweep's settings are drawn behind the user's own (archiveRowsFor).
import { useEffect, useMemo, useState } from 'react';
import archiveUrl from '../../../results/archive/archive.json?url';
import {
  archiveCaption,
  archiveDifference,
  archiveRowsFor,
  parseArchive,
  type ArchiveRow,
  type ResultsArchive,
} from '../../shared/archive';
import type { SweepPlan } from '../../shared/train';

type ArchiveLoad = { kind: 'loading' } | { kind: 'ready'; archive: ResultsArchive } | { kind: 'error'; message: string };

let loading: Promise<ArchiveLoad> | null = null;

/** The archive, fetched and checked once per page; a failure is one line, never a throw. */
function loadArchive(): Promise<ArchiveLoad> {
  loading ??= fetch(archiveUrl)
    .then(async (r): Promise<ArchiveLoad> => {
      if (!r.ok) throw new Error(`The results archive could not be loaded (HTTP ${r.status}).`);
      const text = await r.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error('The results archive is unreadable (not JSON).');
      }
      return { kind: 'ready', archive: parseArchive(json) };
    })
    .catch((e: unknown) => ({ kind: 'error', message: e instanceof Error ? e.message : String(e) }));
  return loading;
}

/** What the Sweep chart draws from the archive and the one line said about it. */
export interface ArchiveView {
  /** The archive's rows for the plan's settings: empty while loading, on a failure, or where no sweep matches. */
  rows: ArchiveRow[];
  /** "archive: 3 seeds, commit …, date" / "no archived sweep with these settings" / the failure; null while loading. */
  line: string | null;
  /** The line is a failure to read the archive. */
  failed: boolean;
}

export const NO_ARCHIVED_SWEEP = 'no archived sweep with these settings';

/** The archive's rows for `plan` once `open` has been true (the Sweep tab shown). */
export function useArchive(plan: SweepPlan, open: boolean): ArchiveView {
  const [load, setLoad] = useState<ArchiveLoad>({ kind: 'loading' });
  const wanted = open || load.kind !== 'loading';
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    void loadArchive().then((l) => live && setLoad(l));
    return () => {
      live = false;
    };
  }, [wanted]);
  return useMemo(() => {
    if (load.kind === 'loading') return { rows: [], line: null, failed: false };
    if (load.kind === 'error') return { rows: [], line: load.message, failed: true };
    const rows = archiveRowsFor(load.archive, plan);
    if (rows.length) return { rows, line: archiveCaption(load.archive, rows), failed: false };
    // say what to change to see one, where the archive has this model and data
    const apart = archiveDifference(load.archive, plan);
    return { rows, line: apart ? `${NO_ARCHIVED_SWEEP}: the archive's ${apart}` : NO_ARCHIVED_SWEEP, failed: false };
  }, [load, plan]);
}
