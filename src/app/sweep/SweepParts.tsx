// The Sweep panel's parts: the per-density table, the accuracy chart card with that table, the
// plan and results downloads, and the note on a loaded sweep file.
import type { TrainResult } from '../../shared/protocol';
import { mergeSweep } from '../../shared/sweep';
import type { sweepPlanOf } from '../../shared/trainSettings';
import { download } from '../common/exporters';
import { pct } from '../common/format';
import type { ChartTheme } from '../common/theme';
import { sweepTable } from '../train/trainView';
import type { useSweepFile } from './useSweepCells';
import { ChartCard, chartCardProps, tableCardProps, type ChartState } from '../common/ChartCard';
import { TableFrame } from '../common/tableParts';
import { SweepChart, armLabel, type SweepSeries } from '../train/trainCharts';

export function SweepTable({ results }: { results: TrainResult[] }) {
  const { densities, rows } = sweepTable(results);
  return (
    <TableFrame
      className="summary sweep-table"
      label="Test accuracy per method and density"
      head={
        <>
          {densities.map((d) => (
            <th scope="col" key={d} title={`${pct(d)} of weights remain (${pct(1 - d)} sparsity)`}>
              {pct(d)}
            </th>
          ))}
          <th scope="col" title="The dense network, trained with the same recipe">
            dense
          </th>
        </>
      }
    >
      {rows.map(({ method: m, cells }) => (
        <tr key={m} data-method={m}>
          <th scope="row">{armLabel(m)}</th>
          {cells.map((p, i) => {
            const d = i < densities.length ? densities[i] : 'dense';
            return (
              <td
                key={d}
                data-density={d === 'dense' ? 1 : d}
                data-value={p?.mean}
                title={p && p.n > 1 ? `${p.n} seeds, range ${pct(p.min)}–${pct(p.max)}` : undefined}
              >
                {p ? `${pct(p.mean)}${p.n > 1 ? ` ±${(p.std * 100).toFixed(2)}` : ''}` : ''}
              </td>
            );
          })}
        </tr>
      ))}
    </TableFrame>
  );
}

/** Download the sweep's plan (for px-lab sweep on a cluster) and, once complete, its results. */
export function SweepDownloads({
  plan,
  results,
  complete,
  fileStem,
}: {
  plan: ReturnType<typeof sweepPlanOf>;
  results: TrainResult[];
  complete: boolean;
  fileStem: string;
}) {
  return (
    <>
      <button
        type="button"
        className="small"
        onClick={() => download(JSON.stringify(plan, null, 1), `${fileStem}-sweep-plan.json`, 'application/json')}
        title="The plan for px-lab sweep --cell I on a cluster (one cell per array task)"
      >
        Plan JSON
      </button>
      <button
        type="button"
        className="small"
        disabled={!complete}
        onClick={() => download(JSON.stringify(mergeSweep(plan, results), null, 1), `${fileStem}-sweep.json`, 'application/json')}
      >
        Results JSON
      </button>
    </>
  );
}

export interface SweepChartsProps {
  state: ChartState;
  series: SweepSeries[];
  legend: Array<{ label: string; color: string; dashed?: boolean }>;
  theme: ChartTheme;
  fileStem: string;
  tableResults: TrainResult[];
  haveTable: boolean;
}

/** The accuracy-against-sparsity chart and the per-density table. */
export function SweepCharts({ state, series, legend, theme, fileStem, tableResults, haveTable }: SweepChartsProps) {
  return (
    <div className="sweep-grid">
      <ChartCard
        id="sweep"
        title="Test accuracy against sparsity"
        explanation="Each point: a method's mask at that density trained with the recipe above; mean over seeds with ±1 standard deviation; dense dashed."
        state={state}
        {...chartCardProps(legend, theme, fileStem)}
      >
        <SweepChart series={series} theme={theme} />
      </ChartCard>
      <ChartCard
        id="sweep-table"
        title="Accuracy per density"
        explanation="Mean test accuracy (± standard deviation over seeds) per method and remaining weights."
        state={haveTable ? { kind: 'ready' } : { kind: 'empty', message: 'Finished cells appear here.' }}
        {...tableCardProps(theme, fileStem)}
      >
        <SweepTable results={tableResults} />
      </ChartCard>
    </div>
  );
}

/** A file's read error, or what the loaded file holds. */
export function SweepFileNote({ file, error }: { file: ReturnType<typeof useSweepFile>['file']; error: string | null }) {
  return (
    <>
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
      {file ? (
        <p className="hint" data-testid="sweep-file">
          Showing {file.name}: {file.sweep.results.length} cells,{' '}
          {typeof file.sweep.plan.arch === 'string' ? file.sweep.plan.arch : 'custom arch'} on {file.sweep.plan.dataset} (dotted, “(file)”).
        </p>
      ) : null}
    </>
  );
}
