// The Sweep panel's parts: the per-density table, the accuracy chart card with that table, the
// plan and results downloads, and the note on a loaded sweep file.
import type { TrainResult } from '../../shared/protocol';
import { mergeSweep } from '../../shared/sweep';
import type { sweepPlanOf } from '../../shared/trainSettings';
import { download } from '../common/exporters';
import { pct } from '../common/format';
import type { ChartTheme } from '../common/theme';
import { rankingLine } from '../../shared/seedSpread';
import { sweepTable, type CellView, type SweepPoint } from '../train/trainView';
import type { useSweepFile } from './useSweepCells';
import { ChartCard, chartCardProps, tableCardProps, type ChartState } from '../common/ChartCard';
import { TableFrame } from '../common/tableParts';
import { SweepChart, armLabel } from '../train/trainCharts';
import type { SweepSeries } from '../train/sweepChartData';
import type { ArchiveRow } from '../../shared/archive';
import type { ArchiveView } from './useArchive';

type FailedCells = ReadonlyArray<Pick<CellView, 'cell'>>;

/** Per density, the methods ranked where their seed ranges do not overlap (rankingLine); one line with one seed. */
export function SweepRanking({ results, failed }: { results: TrainResult[]; failed: FailedCells }) {
  const { densities, rows } = sweepTable(results, failed);
  const lines = densities.flatMap((d, i) => {
    const line = rankingLine(rows.flatMap(({ method, cells }) => (cells[i] ? [{ ...cells[i], label: armLabel(method) }] : [])));
    return line ? [{ d, line }] : [];
  });
  if (!lines.length) return null;
  const oneSeed = rows.some(({ cells }) => cells.some((p) => p && p.n < 2));
  return (
    <div className="hint sweep-ranking" data-testid="sweep-ranking">
      {oneSeed ? (
        <p>{lines[0].line}.</p>
      ) : (
        lines.map(({ d, line }) => (
          <p key={d} data-density={d}>
            At {Number((d * 100).toPrecision(3))}% remaining: {line}.
          </p>
        ))
      )}
    </div>
  );
}

export function SweepTable({ results, failed }: { results: TrainResult[]; failed: FailedCells }) {
  const { densities, rows } = sweepTable(results, failed);
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
                data-n={p?.n}
                data-min={p?.min}
                data-max={p?.max}
                title={p ? cellTitle(p) : undefined}
              >
                {p ? `${pct(p.mean)}${p.n > 1 ? ` ±${(p.std * 100).toFixed(2)}` : ''}${p.failed ? ` (${p.failed} failed)` : ''}` : ''}
              </td>
            );
          })}
        </tr>
      ))}
    </TableFrame>
  );
}

/** "3 seeds, range 84.10%–85.30%" (1 seed: no spread); failed seeds counted, never averaged in. */
function cellTitle(p: SweepPoint): string {
  const seeds = p.n > 1 ? `${p.n} seeds, range ${pct(p.min)}–${pct(p.max)}` : '1 seed (no spread)';
  return `${seeds}${p.failed ? `; ${p.failed} failed, left out` : ''}`;
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
  /** The shipped archive's rows for the sweep's settings (drawn behind the series). */
  archive: readonly ArchiveRow[];
  legend: Array<{ label: string; color: string; dashed?: boolean }>;
  theme: ChartTheme;
  fileStem: string;
  tableResults: TrainResult[];
  /** The page's failed cells (counted in the table, never averaged in). */
  tableFailed: FailedCells;
  haveTable: boolean;
}

/** The accuracy-against-sparsity chart and the per-density table. */
export function SweepCharts({ state, series, archive, legend, theme, fileStem, tableResults, tableFailed, haveTable }: SweepChartsProps) {
  return (
    <div className="sweep-grid">
      <ChartCard
        id="sweep"
        title="Test accuracy against sparsity"
        explanation="Each point: a method's mask at that density trained with the recipe above; mean over seeds with ±1 standard deviation, the shaded band the seeds' min–max range (none with 1 seed); dense dashed. Behind, light and dashed: the shipped results archive's band and mean for the same settings."
        state={state}
        {...chartCardProps(legend, theme, fileStem)}
      >
        <SweepChart series={series} archive={archive} theme={theme} />
        {state.kind === 'ready' ? <ArchiveBandTable rows={archive} /> : null}
      </ChartCard>
      <ChartCard
        id="sweep-table"
        title="Accuracy per density"
        explanation="Mean test accuracy (± standard deviation over seeds) per method and remaining weights; a method is ranked above another only where their seeds' ranges do not overlap, otherwise they are within noise."
        state={haveTable ? { kind: 'ready' } : { kind: 'empty', message: 'Finished cells appear here.' }}
        {...tableCardProps(theme, fileStem)}
      >
        <SweepTable results={tableResults} failed={tableFailed} />
        <SweepRanking results={tableResults} failed={tableFailed} />
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

/** The archive's line: its provenance when its rows are drawn, "no archived sweep with these
 * settings" when none match, or why it could not be read (then nothing is drawn). */
export function SweepArchiveNote({ archive }: { archive: ArchiveView }) {
  if (!archive.line) return null;
  const sweeps = [...new Set(archive.rows.map((r) => r.sweep))].join(', ');
  const state = archive.failed ? 'error' : archive.rows.length ? 'ready' : 'none';
  return (
    <p className={archive.failed ? 'inline-error' : 'hint'} data-testid="sweep-archive" data-archive-state={state}>
      {archive.rows.length
        ? `Drawn light and dashed behind the chart: the shipped results archive's ${sweeps} sweep with these settings (${archive.line}).`
        : archive.failed
          ? archive.line
          : `Results archive: ${archive.line}.`}
    </p>
  );
}

/** The archive's band as a table for screen readers (and tests): what the light bands draw. */
function ArchiveBandTable({ rows }: { rows: readonly ArchiveRow[] }) {
  if (!rows.length) return null;
  return (
    <table
      className="visually-hidden"
      aria-label="Results archive: test accuracy range per method and density"
      data-testid="sweep-archive-values"
    >
      <thead>
        <tr>
          <th scope="col">method</th>
          <th scope="col">remaining weights</th>
          <th scope="col">archive mean</th>
          <th scope="col">archive range (seeds)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr
            key={`${r.method}@${r.density}`}
            data-method={r.method}
            data-density={r.density}
            data-mean={r.mean}
            data-min={r.min}
            data-max={r.max}
            data-n={r.n}
          >
            <th scope="row">{armLabel(r.method)}</th>
            <td>{pct(r.density)}</td>
            <td>{pct(r.mean)}</td>
            <td>
              {pct(r.min)}–{pct(r.max)} ({r.n})
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
