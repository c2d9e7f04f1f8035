// The Transfer panel's parts: the run's view (its state), the header, the status line and the
// table of accuracies per method and density.
import type { TransferCell, TransferOutcome } from '../../shared/transfer';
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

export function TransferTable({ view, fineTune }: { view: View; fineTune: boolean }) {
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
        {view.cells.map((c) => (
          <tr
            key={`${c.method}@${c.density}`}
            data-method={c.method}
            data-density={c.density}
            data-accuracy={c.zeroShotAccuracy}
            data-probe={c.probeAccuracy}
          >
            <td>{armLabel(c.method)}</td>
            <td>{pct(c.density, 1)}</td>
            <td>
              {c.kept.toLocaleString('en-US')} / {c.total.toLocaleString('en-US')}
            </td>
            <td>{pct(c.zeroShotAccuracy)}</td>
            <td>{pct(c.probeAccuracy)}</td>
            {fineTune ? <td>{pct(c.fineTunedAccuracy)}</td> : null}
          </tr>
        ))}
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
