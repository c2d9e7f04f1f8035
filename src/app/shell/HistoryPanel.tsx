// Run history: the finished runs kept in this browser (IndexedDB), newest first; pin one as the
// reference drawn under the current charts; clear them all. A record that could not be read is
// set aside, and the panel says why; so does a run the browser refused to store.
import { duration } from '../common/format';
import { recordLabel, type HistoryRecord } from './history';
import { quarantineNotice } from '../common/storeNotices';

interface Props {
  records: HistoryRecord[];
  quarantined: string[];
  writeError: string | null;
  pinned: number;
  onPin: (id: number) => void;
  onClear: () => void;
  available: boolean;
}

export function HistoryPanel({ records, quarantined, writeError, pinned, onPin, onClear, available }: Props) {
  const setAside = quarantineNotice('run', quarantined);
  return (
    <section className="history" aria-labelledby="history-title">
      <h2 id="history-title" className="side-title">
        Run history
      </h2>
      {!available ? <small className="hint">This browser keeps no history (no IndexedDB, e.g. a private window).</small> : null}
      {setAside ? (
        <small className="hint warn" role="status" data-testid="history-dropped">
          {setAside}
        </small>
      ) : null}
      {writeError ? (
        <small className="hint warn" role="alert" data-testid="history-write-error">
          {writeError}
        </small>
      ) : null}
      {available && !records.length ? (
        <small className="hint">Finished runs are kept here; pin one to draw it under the current charts.</small>
      ) : null}
      <ul className="history-list">
        {records.slice(0, 12).map((r) => (
          <li key={r.id} data-history-id={r.id} className={r.id === pinned ? 'pinned' : undefined}>
            <span className="history-label">{recordLabel(r)}</span>
            <small className="hint">
              {new Date(r.savedAt).toLocaleString()} · {duration(r.wallMs)}
            </small>
            <button type="button" className="small" aria-pressed={r.id === pinned} onClick={() => onPin(r.id === pinned ? 0 : r.id)}>
              {r.id === pinned ? 'Unpin' : 'Pin as reference'}
            </button>
          </li>
        ))}
      </ul>
      {records.length ? (
        <button type="button" className="small" onClick={onClear}>
          Clear history
        </button>
      ) : null}
    </section>
  );
}
