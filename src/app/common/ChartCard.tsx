// A chart's frame: title, one line on how to read it, PNG export, and drawn empty/loading/error
// states (never a blank box).
import { useRef, useState, type ReactNode } from 'react';
import { chartPng, download, type LegendEntry } from './exporters';
import type { ChartTheme } from './theme';

export type ChartState =
  { kind: 'ready' } | { kind: 'empty'; message: string } | { kind: 'loading'; message: string } | { kind: 'error'; message: string };

interface Props {
  id: string;
  title: string;
  explanation: string;
  state: ChartState;
  /** Legend, in the summary table's order: drawn above the plot on screen (never over it) and into the PNG. */
  legend: LegendEntry[];
  /** A note under the plot (e.g. why a series stops early). */
  note?: string | null;
  /** What to look for in this chart (shown above the plot). */
  lookFor?: string;
  theme: ChartTheme;
  fileStem: string;
  actions?: ReactNode;
  children: ReactNode;
  /** Tables have no PNG. */
  png?: boolean;
  badge?: string;
}

/** What a panel's chart cards share: the legend (drawn above the plot and into the PNG), the theme, the PNG's file name stem. */
export function chartCardProps(legend: LegendEntry[], theme: ChartTheme, fileStem: string) {
  return { legend, theme, fileStem };
}

/** A table's card: no legend and no PNG. */
export function tableCardProps(theme: ChartTheme, fileStem: string) {
  return { legend: [], theme, fileStem, png: false };
}

export function ChartCard({
  id,
  title,
  explanation,
  state,
  legend,
  theme,
  fileStem,
  actions,
  children,
  png = true,
  badge,
  note,
  lookFor,
}: Props) {
  const body = useRef<HTMLDivElement>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const onPng = async () => {
    setExportError(null);
    try {
      const blob = await chartPng(body.current!, title, legend, theme);
      download(blob, `${fileStem}-${id}.png`, 'image/png');
    } catch (e) {
      setExportError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-chart={id} data-state={state.kind}>
      <header className="card-head">
        <div className="card-titles">
          <h2 id={`${id}-title`}>
            {title}
            {badge ? <span className="badge">{badge}</span> : null}
          </h2>
          <p className="explain">{explanation}</p>
          {lookFor ? (
            <p className="explain look-for" data-look-for={id}>
              {lookFor}
            </p>
          ) : null}
        </div>
        <div className="card-actions">
          {actions}
          {png ? (
            <button
              type="button"
              className="small"
              onClick={onPng}
              disabled={state.kind !== 'ready'}
              aria-label={`Download ${title} as PNG`}
              title="Download this chart as a PNG image"
            >
              PNG
            </button>
          ) : null}
        </div>
      </header>
      {legend.length && state.kind === 'ready' ? <ChartLegend id={id} title={title} legend={legend} /> : null}
      <div className="card-body" ref={body}>
        {state.kind === 'ready' ? children : <ChartPlaceholder state={state} />}
        {exportError ? <p className="inline-error">PNG export failed: {exportError}</p> : null}
      </div>
      {note && state.kind === 'ready' ? (
        <p className="chart-note" data-note={id}>
          {note}
        </p>
      ) : null}
    </section>
  );
}

/** The legend above the plot (the PNG draws its own from the same entries). */
function ChartLegend({ id, title, legend }: { id: string; title: string; legend: LegendEntry[] }) {
  return (
    <ul className="legend" aria-label={`${title}: legend`} data-legend={id}>
      {legend.map((e) => (
        <li key={e.label}>
          <span
            className={`swatch${e.dashed ? ' dashed' : ''}`}
            style={e.dashed ? { borderColor: e.color } : { background: e.color }}
            aria-hidden="true"
          />
          {e.label}
        </li>
      ))}
    </ul>
  );
}

/** The drawn empty, loading or error state in place of the plot. */
function ChartPlaceholder({ state }: { state: Exclude<ChartState, { kind: 'ready' }> }) {
  return (
    <div className={`placeholder ${state.kind}`} role={state.kind === 'error' ? 'alert' : 'status'}>
      {state.kind === 'loading' ? <span className="spinner" aria-hidden="true" /> : null}
      <span>{state.message}</span>
    </div>
  );
}
