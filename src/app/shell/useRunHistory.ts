// The run history: every finished run kept in IndexedDB (when the browser has it), listed for the
// History panel; the pinned one is overlaid on the charts. A record refused on reading is set
// aside with its reason; a write the browser refuses (quota) keeps the run on the page and says so.
import { useCallback, useEffect, useRef, useState } from 'react';
import { configKey, recordOf, type HistoryRecord } from './history';
import { clearRuns, listRuns, saveRun } from './historyStore';
import type { RunView } from '../common/runView';
import { storageAvailable } from '../sweep/sweepStore';
import { writeFailure } from '../common/storeNotices';

export interface RunHistory {
  records: HistoryRecord[];
  /** Why each stored record that could not be used was set aside (this session). */
  quarantined: string[];
  /** The last failed write (the run stays listed until the page is reloaded). */
  writeError: string | null;
  available: boolean;
  /** Forget every stored run; `then` runs once they are gone. */
  clear(then: () => void): void;
}

/** `weights`: the weights the worker ran from (the URL's `weights` form), stated in every record. */
export function useRunHistory(view: RunView | null, weights: string): RunHistory {
  const [runHistory, setRunHistory] = useState<{ records: HistoryRecord[]; quarantined: string[] }>({ records: [], quarantined: [] });
  const [writeError, setWriteError] = useState<string | null>(null);
  const hasStore = storageAvailable();
  const refreshHistory = useCallback(() => {
    if (hasStore)
      listRuns().then(
        (h) => setRunHistory((prev) => ({ records: h.records, quarantined: [...prev.quarantined, ...h.quarantined] })),
        () => undefined,
      );
  }, [hasStore]);
  useEffect(refreshHistory, [refreshHistory]);
  const savedRun = useRef(0);
  useEffect(() => {
    if (!hasStore || !view || view.status !== 'done' || savedRun.current === view.id) return;
    savedRun.current = view.id;
    const record = recordOf(view, Date.now(), weights);
    if (!record) return;
    saveRun(record).then(
      () => {
        setWriteError(null);
        refreshHistory();
      },
      (e: unknown) => {
        setWriteError(writeFailure('this run', e));
        // kept in memory: listed (and pinnable) until the page is reloaded
        setRunHistory((h) => ({ ...h, records: [record, ...h.records.filter((r) => configKey(r) !== configKey(record))] }));
      },
    );
  }, [view, hasStore, refreshHistory, weights]);
  const clear = (then: () => void) => {
    clearRuns().then(
      () => {
        then();
        setRunHistory({ records: [], quarantined: [] });
      },
      () => undefined,
    );
  };
  return { ...runHistory, writeError, available: hasStore, clear };
}
