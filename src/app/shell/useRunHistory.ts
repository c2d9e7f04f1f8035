// The run history: every finished run kept in IndexedDB (when the browser has it), listed for the
// History panel; the pinned one is overlaid on the charts.
import { useCallback, useEffect, useRef, useState } from 'react';
import { recordOf, type HistoryRecord } from './history';
import { clearRuns, listRuns, saveRun } from './historyStore';
import type { RunView } from '../common/runView';
import { storageAvailable } from '../sweep/sweepStore';

export interface RunHistory {
  records: HistoryRecord[];
  /** Stored records that could not be read back. */
  dropped: number;
  available: boolean;
  /** Forget every stored run; `then` runs once they are gone. */
  clear(then: () => void): void;
}

export function useRunHistory(view: RunView | null): RunHistory {
  const [runHistory, setRunHistory] = useState<{ records: HistoryRecord[]; dropped: number }>({ records: [], dropped: 0 });
  const hasStore = storageAvailable();
  const refreshHistory = useCallback(() => {
    if (hasStore)
      listRuns().then(
        (h) => setRunHistory((prev) => ({ records: h.records, dropped: prev.dropped + h.dropped })),
        () => undefined,
      );
  }, [hasStore]);
  useEffect(refreshHistory, [refreshHistory]);
  const savedRun = useRef(0);
  useEffect(() => {
    if (!hasStore || !view || view.status !== 'done' || savedRun.current === view.id) return;
    savedRun.current = view.id;
    const record = recordOf(view, Date.now());
    if (record) saveRun(record).then(refreshHistory, () => undefined);
  }, [view, hasStore, refreshHistory]);
  const clear = (then: () => void) => {
    clearRuns().then(
      () => {
        then();
        setRunHistory({ records: [], dropped: 0 });
      },
      () => undefined,
    );
  };
  return { ...runHistory, available: hasStore, clear };
}
