// The Transfer panel's parts: the run's view (its state), the header, the status line and the
// table of accuracies per method and density.
import { rankingLine, spreadOf, type SeedSpread } from '../../shared/seedSpread';
import { summariseTransfer, type TransferCell, type TransferOutcome } from '../../shared/transfer';
import { pct } from '../common/format';
import { armLabel } from '../train/trainCharts';

/** The state of a transfer run as the panel shows it. */
export interface View {
  status: 'running' | 'done' | 'error' | 'cancelled';
  stage: string;
  dense: number | null;
  cells: TransferCell[];
  error: string | null;
  outcome: TransferOutcome | null;
}

/** "84.20% ±0.35" over several seeds, the value alone with one. */
const meanStd = (s: Pick<SeedSpread, 'n' | 'mean' | 'std'> | null) =>
  s ? `${pct(s.mean)}${s.n > 1 ? ` ±${(s.std * 100).toFixed(2)}` : ''}` : '–';

/** Per density, the methods' probes ranked only where their seed ranges do not overlap (one line with 1 seed). */
export function TransferRanking({ cells }: { cells: TransferCell[] }) {
  const summary = summariseTransfer(cells);
  const densities = [...new Set(summary.map((s) => s.density))].sort((a, b) => b - a);
  const lines = densities.flatMap((d) => {
    const line = rankingLine(summary.filter((s) => s.density === d).map((s) => ({ ...s.probe, label: armLabel(s.method) })));
    return line ? [{ d, line }] : [];
  });
  if (!lines.length) return null;
  const oneSeed = summary.some((s) => s.probe.n < 2);
  return (
    <div className="hint transfer-ranking" data-testid="transfer-ranking">
      {oneSeed ? (
        <p>Probe: {lines[0].line}.</p>
      ) : (
        lines.map(({ d, line }) => (
          <p key={d} data-density={d}>
            Probe at {Number((d * 100).toPrecision(3))}% remaining: {line}.
          </p>
        ))
      )}
    </div>
  );
}

export function TransferTable({ view, fineTune }: { view: View; fineTune: boolean }) {
  const cells = view.cells;
  return (
    <table className="summary" data-testid="transfer-table">
      <thead>
        <tr>
          <th>method</th>
          <th>remaining</th>
          <th>kept / total</th>
          <th>zero-shot</th>
          <th>probe</th>
          {fineTune ? <th>fine-tuned</th> : null}
        </tr>
      </thead>
      <tbody>
        {view.dense !== null ? (
          <tr data-method="dense" data-density="1" data-accuracy={view.dense} data-probe={view.dense}>
            <td>Dense</td>
            <td>100%</td>
            <td>–</td>
            <td>{pct(view.dense)}</td>
            <td>{pct(view.dense)}</td>
            {fineTune ? <td>{pct(view.outcome?.dense.fineTunedAccuracy)}</td> : null}
          </tr>
        ) : null}
        {summariseTransfer(cells).map((s) => {
          const group = cells.filter((c) => c.method === s.method && c.density === s.density);
          const first = group[0];
          const tuned = spreadOf(group.flatMap((c) => (c.fineTunedAccuracy === null ? [] : [c.fineTunedAccuracy])));
          return (
            <tr
              key={`${s.method}@${s.density}`}
              data-method={s.method}
              data-density={s.density}
              data-accuracy={s.zeroShot.mean}
              data-probe={s.probe.mean}
              data-n={s.probe.n}
              title={s.probe.n > 1 ? `${s.probe.n} seeds; probe range ${pct(s.probe.min)}–${pct(s.probe.max)}` : '1 seed'}
            >
              <td>{armLabel(s.method)}</td>
              <td>{pct(s.density, 1)}</td>
              <td>
                {first.kept.toLocaleString('en-US')} / {first.total.toLocaleString('en-US')}
              </td>
              <td>{meanStd(s.zeroShot)}</td>
              <td>{meanStd(s.probe)}</td>
              {fineTune ? <td>{meanStd(tuned)}</td> : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function TransferHead({ backboneLabel, isDefault }: { backboneLabel: string; isDefault: boolean }) {
  return (
    <header className="card-head">
      <div className="card-titles">
        <h2 id="transfer-title">Transfer after pruning</h2>
        <p className="explain">
          The paper’s protocol: the backbone (<strong data-testid="transfer-weights">{backboneLabel}</strong>
          {isDefault ? ', the default for transfer' : ''}) with its classifier replaced by a ridge head fitted on the downstream data’s
          dense features; each method prunes with downstream data; zero-shot downstream accuracy of each pruned backbone with the dense
          head. Pick another backbone below.
        </p>
        <p className="explain" data-testid="transfer-why">
          Solid: a linear probe (the same ridge solver) refitted on each pruned backbone’s features; dashed: zero-shot with the dense head.
          They differ because pruning shifts the features (mostly their mean) and the dense head does not survive the shift; the probe
          measures what the pruned features still separate.
        </p>
      </div>
    </header>
  );
}

export function TransferStatus({ view, cellsTotal }: { view: View; cellsTotal: number }) {
  return (
    <>
      <p className="hint" role="status" data-testid="transfer-status">
        {view.status === 'running'
          ? `Running — ${view.stage} (${view.cells.length}/${cellsTotal} done)`
          : view.status === 'done'
            ? `Done in ${view.outcome!.seconds.toFixed(1)} s on ${view.outcome!.dataset}; weights: ${view.outcome!.weights.label}`
            : view.status === 'cancelled'
              ? 'Cancelled.'
              : null}
      </p>
      {view.error ? (
        <div className="notice error" role="alert" data-testid="transfer-error">
          {view.error}
        </div>
      ) : null}
    </>
  );
}
