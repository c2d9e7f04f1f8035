// The Pruning tab: NTK spectrum, per-layer chart, progress over rounds, summary table and the
// mask pictures, each in its card with its state (waiting, blocked, ready).
import { memo, useDeferredValue, useMemo, useRef, type CSSProperties, type RefObject } from 'react';
import type { MethodId } from '../../shared/methods';
import { lookForLayers, lookForProgress, lookForSpectrum } from './explain';
import { chartState, SEE_BLOCKED } from '../shell/panelState';
import type { RunSource, RunView } from '../common/runView';
import type { ChartTheme } from '../common/theme';
import { ChartCard, chartCardProps, tableCardProps, type ChartState } from '../common/ChartCard';
import { spectrumNote } from '../common/chartData';
import type { LegendEntry } from '../common/exporters';
import { EigenChart, LayerChart, methodLegend, type LayerMetric } from './charts';
import { ProgressCharts } from './progressCharts';
import { MaskPictures } from './MaskPictures';
import { SummaryTable } from './SummaryTable';

export interface PruneChartsProps {
  view: RunView | null;
  blocked: string | null;
  hidden: boolean;
  /** The methods asked for (legend order before a run has started). */
  methods: MethodId[];
  metric: LayerMetric;
  setMetric: (m: LayerMetric) => void;
  pinned: boolean;
  pinnedDraw: Pick<RunView, 'denseNtk' | 'methods'> | null;
  source: RunSource;
  theme: ChartTheme;
  fileStem: string;
}

function LayerMetricSwitch({ metric, setMetric }: { metric: LayerMetric; setMetric: (m: LayerMetric) => void }) {
  return (
    <div className="segmented" role="radiogroup" aria-label="Per-layer metric">
      {(['density', 'width'] as const).map((m) => (
        <label key={m} className={metric === m ? 'on' : undefined}>
          <input type="radio" name="layer-metric" value={m} checked={metric === m} onChange={() => setMetric(m)} />
          {m === 'density' ? 'Density' : 'Width'}
        </label>
      ))}
    </div>
  );
}

/** What each method kept, as pictures (once the run is done). */
const MaskCard = memo(function MaskCard({
  view,
  blocked,
  hidden,
  source,
  theme,
  fileStem: stem,
}: Pick<PruneChartsProps, 'view' | 'blocked' | 'hidden' | 'source' | 'theme' | 'fileStem'>) {
  return (
    <div className="mask-row-card" hidden={hidden}>
      <ChartCard
        id="masks"
        title="Mask pictures"
        explanation="What each method kept, as pictures: the MLP's first-layer units as 28×28 images, and every layer as a heat map."
        lookFor="Look for: whole dark rows (units cut off) and, on the MLP, which pixels survive (the digit area in the middle, or the border)."
        state={view?.status === 'done' ? { kind: 'ready' } : chartState(view, blocked, false, 'Mask pictures appear when the run is done.')}
        {...tableCardProps(theme, stem)}
      >
        {view ? <MaskPictures view={view} source={source} /> : null}
      </ChartCard>
    </div>
  );
});

/** The NTK eigenspectrum of every method that has one, beside the dense (and pinned) curves. */
const SpectrumCard = memo(function SpectrumCard({
  view,
  blocked,
  pinned,
  pinnedDraw,
  theme,
  fileStem: stem,
}: Pick<PruneChartsProps, 'view' | 'blocked' | 'pinned' | 'pinnedDraw' | 'theme' | 'fileStem'>) {
  const methodsWithNtk = view?.methods.filter((m) => m.ntk).map((m) => m.method) ?? [];
  const eigenState = chartState(
    view,
    blocked,
    !!view && (!!view.denseNtk || methodsWithNtk.length > 0),
    'Computing the dense NTK spectrum…',
  );
  const provisional = view?.methods.some((m) => m.summary?.exactPending || m.layersSource === 'path');
  return (
    <ChartCard
      id="spectrum"
      title="NTK eigenspectrum"
      explanation="Eigenvalues of the empirical NTK, largest first, on a log scale: a pruned curve close to the dashed dense one keeps the dense training dynamics (numerically zero eigenvalues are not drawn)."
      state={eigenState}
      {...chartCardProps(
        [...methodLegend(methodsWithNtk, theme), ...(pinned ? [{ label: 'Pinned run (dotted)', color: theme.muted, dashed: true }] : [])],
        theme,
        stem,
      )}
      badge={provisional ? 'path' : undefined}
      note={view ? spectrumNote(view) : null}
      lookFor={view ? lookForSpectrum(view) : undefined}
    >
      {view ? <EigenChart view={view} theme={theme} pinned={pinnedDraw} /> : null}
    </ChartCard>
  );
});

/** Per-layer density or width, with the switch between them. */
const LayersCard = memo(function LayersCard({
  view,
  blocked,
  metric,
  setMetric,
  legend,
  theme,
  fileStem: stem,
}: Pick<PruneChartsProps, 'view' | 'blocked' | 'metric' | 'setMetric' | 'theme' | 'fileStem'> & { legend: LegendEntry[] }) {
  const layerState = chartState(
    view,
    blocked,
    !!view && view.methods.some((m) => m.layers?.length),
    'Per-layer numbers appear as each method finishes…',
  );
  return (
    <ChartCard
      id="layers"
      title={metric === 'density' ? 'Per-layer density' : 'Per-layer width'}
      explanation={
        metric === 'density'
          ? 'Share of each layer’s weights kept, layers in network order (log scale); ✕ marks a collapsed layer, which cuts every path.'
          : 'Share of each layer’s output units (neurons, channels) with a kept incoming weight; ✕ marks a collapsed layer.'
      }
      state={layerState}
      lookFor={view ? lookForLayers(view) : undefined}
      {...chartCardProps(legend, theme, stem)}
      actions={<LayerMetricSwitch metric={metric} setMetric={setMetric} />}
    >
      {view ? <LayerChart view={view} metric={metric} theme={theme} /> : null}
    </ChartCard>
  );
});

/** The schedule over rounds and the NTK trace along the exact runs. */
const ProgressCard = memo(function ProgressCard({
  view,
  blocked,
  legend,
  theme,
  fileStem: stem,
}: Pick<PruneChartsProps, 'view' | 'blocked' | 'theme' | 'fileStem'> & { legend: LegendEntry[] }) {
  const progressState = chartState(
    view,
    blocked,
    !!view && view.methods.some((m) => m.rounds.length || m.summary),
    'Waiting for the first round…',
  );
  return (
    <ChartCard
      id="progress"
      title="Progress over rounds"
      explanation="Top: fraction of weights kept after each round (the schedule). Bottom: NTK trace relative to dense where it was computed; 1 is the dense network."
      state={progressState}
      lookFor={view ? lookForProgress(view) : undefined}
      {...chartCardProps(legend, theme, stem)}
    >
      {view ? <ProgressCharts view={view} theme={theme} /> : null}
    </ChartCard>
  );
});

/** The configuration apart from the density, as a key: two runs with equal keys differ by the slider alone. */
const withoutDensity = (v: RunView) => JSON.stringify({ ...v.config, density: null });

/**
 * The view the charts draw. A new request that differs from the drawn one by its density alone
 * keeps the drawn charts until it has a row (or ends): clearing and redrawing every chart for a
 * request whose provisional rows are milliseconds away would hold the main thread (chart commits
 * cascade into synchronous re-renders) in front of those rows. Their file names (which carry the
 * density) are held with them.
 */
function useChartView(view: RunView | null, fileStem: string): { charts: RunView | null; stem: string; held: boolean } {
  const drawn = useRef<{ view: RunView | null; stem: string }>({ view: null, stem: fileStem });
  const last = drawn.current.view;
  const held =
    !!view &&
    !!last &&
    last.id !== view.id &&
    view.status === 'running' &&
    !view.methods.some((m) => m.summary) &&
    withoutDensity(last) === withoutDensity(view);
  // the file names (they carry the density) follow the charts: one redraw, not two
  const charts = useDeferredValue(held ? last : view);
  const stem = useDeferredValue(held ? drawn.current.stem : fileStem);
  drawn.current = { view: charts, stem };
  return { charts, stem, held };
}

/**
 * While the charts are held, the grid keeps the row heights it had: the summary table shrinks and
 * grows as the new request's rows come, and every chart whose card it resized would redraw at
 * once (synchronously), in front of those rows.
 */
function useHeldRows(held: boolean): { ref: RefObject<HTMLDivElement | null>; style: CSSProperties | undefined } {
  const ref = useRef<HTMLDivElement>(null);
  const locked = useRef<string | null>(null);
  if (!held) locked.current = null;
  else if (locked.current === null && ref.current) locked.current = getComputedStyle(ref.current).gridTemplateRows;
  return { ref, style: held && locked.current ? { gridTemplateRows: locked.current } : undefined };
}

/** Memoised: a density change alone (the slider) does not redraw the charts until the run's events do. */
export const PruneCharts = memo(function PruneCharts({
  view,
  blocked,
  hidden,
  methods,
  metric,
  setMetric,
  pinned,
  pinnedDraw,
  source,
  theme,
  fileStem,
}: PruneChartsProps) {
  const tableState: ChartState = blocked
    ? { kind: 'empty', message: SEE_BLOCKED }
    : view
      ? { kind: 'ready' }
      : { kind: 'loading', message: 'Starting the compute worker…' };
  // The charts draw a deferred view: a run's events (the slider's provisional rows first) reach
  // the summary table at once, and the charts redraw after it without holding it up. The grid's
  // run id and status are the charts': "done" there means the last chart is drawn.
  const { charts, stem, held } = useChartView(view, fileStem);
  const rows = useHeldRows(held);
  // legends list methods in the summary table's order
  const order = (charts?.methods.map((m) => m.method) ?? methods).join(',');
  const legend = useMemo(() => methodLegend(order.split(',') as MethodId[], theme), [order, theme]);
  return (
    <>
      <div
        className="grid"
        id="panel-prune"
        role="tabpanel"
        aria-labelledby="tab-prune"
        hidden={hidden}
        ref={rows.ref}
        style={rows.style}
        data-run-id={(held ? view : charts)?.id ?? 0}
        data-run-status={blocked ? 'blocked' : held ? 'running' : (charts?.status ?? 'starting')}
      >
        <SpectrumCard view={charts} blocked={blocked} pinned={pinned} pinnedDraw={pinnedDraw} theme={theme} fileStem={stem} />
        <LayersCard view={charts} blocked={blocked} metric={metric} setMetric={setMetric} legend={legend} theme={theme} fileStem={stem} />
        <ProgressCard view={charts} blocked={blocked} legend={legend} theme={theme} fileStem={stem} />
        <ChartCard
          id="summary"
          title="Summary per method"
          explanation="One row per method at the chosen sparsity; hover a header for its definition. NTK trace ratio near 1 and few collapsed layers are good signs."
          state={tableState}
          {...tableCardProps(theme, fileStem)}
        >
          {view ? <SummaryTable view={view} /> : null}
        </ChartCard>
      </div>
      <MaskCard view={charts} blocked={blocked} hidden={hidden} source={source} theme={theme} fileStem={stem} />
    </>
  );
});
