// One row per method: kept, effective density, NTK trace ratio to dense, condition number,
// FLOPs, collapsed layers, time.
import { METHOD_INFO } from '../../shared/methods';
import { compact, duration, int, moduleOf, pct } from '../common/format';
import type { MethodView, RunView } from '../common/runView';
import { METRIC_LINES, methodLine } from './explain';
import { bestIn, isCollapsed, tieNotes, type RankedColumn } from './summaryRows';
import { ColumnHeads, TableFrame } from '../common/tableParts';

function pending(m: MethodView): string {
  if (m.status === 'error') return 'error';
  if (m.status === 'cancelled') return 'cancelled';
  return '…';
}

function timeCell(m: MethodView): string {
  const s = m.summary!;
  // the original computation's time: a cached result took no time now, but it did once
  if (s.cached) return `${s.ms < 1 ? '<1 ms' : duration(s.ms)} · cached`;
  if (s.source === 'path' && s.ms < 1) return 'from path';
  return s.ms < 1 ? '<1 ms' : duration(s.ms);
}

/** A ranked cell: ★ on the best uncollapsed method; a collapsed row's value struck through. */
function Ranked({ text, best, collapsed }: { text: string; best: boolean; collapsed: boolean }) {
  if (collapsed)
    return (
      <>
        <s title="The network is cut (collapsed layers): this number says nothing about how it trains">{text}</s>{' '}
        <span className="sub">cut</span>
      </>
    );
  return best ? (
    <strong className="best" title="Best among the methods whose network is not cut">
      ★ {text}
    </strong>
  ) : (
    <>{text}</>
  );
}

/** One method's row: its numbers once it has a summary, its state until then. */
function MethodRow({
  m,
  dense,
  best,
}: {
  m: RunView['methods'][number];
  dense: RunView['denseNtk'];
  best: Record<RankedColumn, string | null>;
}) {
  const info = METHOD_INFO[m.method];
  const s = m.summary;
  const collapsedNames = (m.layers ?? []).filter((l) => l.collapsed).map((l) => moduleOf(l.name));
  const cut = !!s && isCollapsed(s);
  return (
    <tr
      data-method={m.method}
      data-status={m.status}
      data-provisional={s?.exactPending ? 'true' : undefined}
      data-collapsed={cut ? 'true' : undefined}
      className={cut ? 'collapsed' : undefined}
    >
      <th scope="row">
        <span className="swatch" style={{ background: info.color }} aria-hidden="true" />
        <span title={info.description}>{info.label}</span>
        <span className="method-line">{methodLine(m.method)}</span>
        {s?.exactPending ? (
          <span className="tag" title="Read off the recorded pruning path; the exact run to this density is being computed">
            path
          </span>
        ) : null}
        {cut ? (
          <span className="tag warn" title="A layer lost every weight or unit: no input reaches the output">
            collapsed
          </span>
        ) : null}
      </th>
      {s ? (
        <>
          <td data-col="kept">
            {pct(s.keptFraction)} <span className="sub">{compact(s.kept)}</span>
          </td>
          <td data-col="effective">
            <Ranked text={pct(s.effectiveDensity)} best={best.effective === m.method} collapsed={false} />
          </td>
          <td data-col="ntk">
            <Ranked
              text={s.ntkTraceRatio !== undefined ? compact(s.ntkTraceRatio) : m.ntk && dense ? compact(m.ntk.trace / dense.trace) : '–'}
              best={best.ntk === m.method}
              collapsed={cut}
            />
          </td>
          <td data-col="condition">
            <Ranked text={compact(s.condition ?? m.ntk?.condition)} best={best.condition === m.method} collapsed={cut} />
          </td>
          <td data-col="flops">
            {compact(s.flops)}{' '}
            {s.flops !== undefined && s.denseFlops ? <span className="sub">{pct(s.flops / s.denseFlops, 1)}</span> : null}
          </td>
          <td data-col="collapsed" title={collapsedNames.join(', ') || undefined} className={s.collapsedLayers > 0 ? 'warn' : undefined}>
            {s.collapsedLayers}
          </td>
          <td data-col="time">{timeCell(m)}</td>
        </>
      ) : (
        <td colSpan={7} className="pending" title={m.error}>
          {m.status === 'error'
            ? `Error: ${m.error ?? 'failed'}`
            : m.status === 'running'
              ? `running… ${m.rounds.length}/${m.roundsTotal || '?'} rounds`
              : pending(m)}
        </td>
      )}
    </tr>
  );
}

const SUMMARY_COLUMNS = [
  ['Kept', 'Prunable weights kept (fraction and count)'],
  ['Eff. dens.', 'Effective density: weights on at least one complete input→output path of kept weights'],
  ['NTK tr. / dense', 'Trace of the pruned empirical NTK divided by the dense one'],
  ['Cond.', 'Condition number λmax / λmin⁺ of the pruned empirical NTK'],
  ['FLOPs', 'Multiply-accumulates of one forward pass per input (share of dense)'],
  ['Coll.', 'Layers with no weight or no unit left (hover a number for their names)'],
  ['Time', 'Compute time of this result'],
] as const;

/** The dense network's row: the reference every method is measured against. */
function DenseRow({ view }: { view: RunView }) {
  const dense = view.denseNtk;
  const total = view.model?.prunable;
  return (
    <tr className="dense-row" data-method="dense">
      <th scope="row">
        <span className="swatch dashed" aria-hidden="true" />
        Dense
      </th>
      <td>
        100% <span className="sub">{total !== undefined ? compact(total) : ''}</span>
      </td>
      <td>100%</td>
      <td>{dense ? '1' : '…'}</td>
      <td>{dense ? compact(dense.condition) : '…'}</td>
      <td>
        {view.methods.find((m) => m.summary?.denseFlops)?.summary?.denseFlops !== undefined
          ? compact(view.methods.find((m) => m.summary?.denseFlops)!.summary!.denseFlops)
          : '–'}
      </td>
      <td>0</td>
      <td>{dense ? duration(dense.ms) : '…'}</td>
    </tr>
  );
}

/** What the columns mean, ties between methods, and the size of the network and its NTK. */
function SummaryNotes({ notes, total, dense }: { notes: string[]; total: number | undefined; dense: RunView['denseNtk'] }) {
  return (
    <>
      <ul className="metric-notes" aria-label="What the columns mean">
        {METRIC_LINES.map(([k, v]) => (
          <li key={k}>
            <strong>{k}</strong>: {v}
          </li>
        ))}
      </ul>
      {notes.map((n) => (
        <p key={n} className="table-note" data-note="ties">
          {n}
        </p>
      ))}
      {total !== undefined ? (
        <p className="table-note">
          {int(total)} prunable weights · NTK on {dense ? `${dense.eigenvalues.length}×${dense.eigenvalues.length}` : '…'} (inputs ×
          classes)
        </p>
      ) : null}
    </>
  );
}

export function SummaryTable({ view }: { view: RunView }) {
  const dense = view.denseNtk;
  const total = view.model?.prunable;
  const summaries = view.methods.flatMap((m) => (m.summary ? [m.summary] : []));
  const best: Record<RankedColumn, string | null> = {
    ntk: bestIn(summaries, 'ntk'),
    condition: bestIn(summaries, 'condition'),
    effective: bestIn(summaries, 'effective'),
  };
  const notes = tieNotes(summaries, view.config.density, view.config.scope, view.model?.layers.map((l) => l.numel) ?? []);
  return (
    <TableFrame
      className="summary"
      label="Summary per method"
      head={<ColumnHeads columns={SUMMARY_COLUMNS} />}
      after={<SummaryNotes notes={notes} total={total} dense={dense} />}
    >
      {view.methods.map((m) => (
        <MethodRow key={m.method} m={m} dense={dense} best={best} />
      ))}
      <DenseRow view={view} />
    </TableFrame>
  );
}
