// Side by side: the current run (A) and a run from this browser's history (B, the pinned one
// unless another is chosen): what differs in their configurations, then per method each number
// of the summary table for A and B and the difference B − A.
import type { MethodSummary } from '../../shared/protocol';
import { METHOD_INFO } from '../../shared/methods';
import type { UrlState } from '../../shared/urlState';
import { compact, pct } from '../common/format';
import { recordLabel, type HistoryRecord } from '../shell/history';
import { COMPARED, compareRows, configDiff, type Compared } from './metricsView';
import type { RunView } from '../common/runView';

const LABEL: Record<Compared, string> = {
  keptFraction: 'Kept',
  effectiveDensity: 'Effective density',
  ntkTraceRatio: 'NTK trace / dense',
  condition: 'Condition',
  collapsedLayers: 'Collapsed layers',
};

function fmt(k: Compared, v: number | undefined): string {
  if (v === undefined) return '–';
  return k === 'keptFraction' || k === 'effectiveDensity' ? pct(v) : k === 'collapsedLayers' ? String(v) : compact(v);
}

function fmtDiff(k: Compared, d: number | undefined): string {
  if (d === undefined) return '–';
  if (d === 0) return '0';
  const sign = d > 0 ? '+' : '−';
  const a = Math.abs(d);
  // percentage points with two decimals, or two significant digits when smaller (never "−0.00 pt")
  const points = a * 100 >= 0.01 ? (a * 100).toFixed(2) : (a * 100).toPrecision(2);
  return `${sign}${k === 'keptFraction' || k === 'effectiveDensity' ? `${points} pt` : k === 'collapsedLayers' ? String(a) : compact(a)}`;
}

interface Props {
  state: UrlState;
  set: (patch: Partial<UrlState>) => void;
  view: RunView | null;
  records: HistoryRecord[];
}

export function CompareView({ state, set, view, records }: Props) {
  const chosen = state.compare || state.pin;
  const other = records.find((r) => r.id === chosen) ?? null;
  const current: MethodSummary[] = view?.status === 'done' ? view.methods.flatMap((m) => (m.summary ? [m.summary] : [])) : [];
  const rows = other
    ? compareRows(
        current,
        other.methods.map((m) => m.summary),
      )
    : [];
  const diffs = other && view ? configDiff(view.config, other.config) : [];
  return (
    <section className="card compare" aria-labelledby="compare-title" data-chart="compare">
      <h2 id="compare-title">Compare two runs</h2>
      <p className="explain">
        A is the run on screen; B a finished run from the history (run another seed or setting, then compare). Differences are B − A.
      </p>
      <label className="field inline">
        <span>B</span>
        <select value={chosen} onChange={(e) => set({ compare: Number(e.target.value) })}>
          <option value={0}>{records.length ? '— choose a run from the history —' : '— no finished run in the history yet —'}</option>
          {records.map((r) => (
            <option key={r.id} value={r.id}>
              {r.id === state.pin ? '📌 ' : ''}
              {recordLabel(r)}
            </option>
          ))}
        </select>
      </label>
      {!view || view.status !== 'done' ? <p className="hint">A appears when the current run is done.</p> : null}
      {other && view?.status === 'done' ? (
        <>
          <p className="hint" data-testid="compare-config">
            {diffs.length ? `Differs in: ${diffs.join('; ')}` : 'Same configuration (e.g. other weights, or the same run again).'}
          </p>
          <div className="table-wrap">
            <table className="summary compare-table" aria-label="Current run (A) against the chosen run (B)">
              <thead>
                <tr>
                  <th scope="col">Method · number</th>
                  <th scope="col">A</th>
                  <th scope="col">B</th>
                  <th scope="col">B − A</th>
                </tr>
              </thead>
              {rows.map((r) => (
                <tbody key={r.method} data-method={r.method}>
                  <tr className="group">
                    <th scope="rowgroup" colSpan={4}>
                      <span className="swatch" style={{ background: METHOD_INFO[r.method].color }} aria-hidden="true" />
                      {METHOD_INFO[r.method].label}
                      {!r.a ? <span className="tag">only in B</span> : !r.b ? <span className="tag">only in A</span> : null}
                    </th>
                  </tr>
                  {COMPARED.map((k) => (
                    <tr key={k} data-number={k}>
                      <th scope="row" className="sub-row">
                        {LABEL[k]}
                      </th>
                      <td data-side="a">{fmt(k, r.a?.[k])}</td>
                      <td data-side="b">{fmt(k, r.b?.[k])}</td>
                      <td data-side="diff">{fmtDiff(k, r.diff[k])}</td>
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
