// The sparsity slider (log scale of remaining weights, 100% → 0.1%, optionally snapped to the
// 0.8^k grid of the literature) with the run's progress, ETA and a Cancel button.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { DENSITY_GRID, MIN_DENSITY } from '../../shared/config';
import { duration, pct, sparsityPct } from '../common/format';
import type { RunView } from '../common/runView';
import { timeBreakdown } from '../common/eta';

/** Where the time went: every part of the wall time, the rest named "other" (nothing unaccounted). */
function TimeLine({ view }: { view: RunView }) {
  const wall = (view.endedAt ?? Date.now()) - view.startedAt;
  const t = timeBreakdown(view, wall);
  const parts: Array<[string, number]> = [
    ['page start', view.openedAt !== undefined ? view.startedAt - view.openedAt : 0],
    ['worker and backend start', t.backendMs],
    ['data', t.dataMs],
    ['dense NTK', t.denseNtkMs],
    ['pruning paths', t.pathMs],
    ['exact runs', t.exactMs],
    ['NTKs', t.ntkMs],
    ['layer tables', t.layersMs],
    ['page and messages', t.otherMs],
  ];
  const cached = view.methods.filter((m) => m.summary?.cached).length;
  return (
    <span className="time-line" data-testid="time-breakdown" title="Where this run's time went">
      {parts
        .filter(([, ms]) => ms >= 1)
        .map(([k, ms]) => `${k} ${duration(ms)}`)
        .join(' · ')}
      {cached ? ` · ${cached} cached` : ''}
    </span>
  );
}

/** Slider positions: 0 = 100% remaining, STEPS = 0.1% remaining, evenly spaced in log10. */
export const STEPS = 300;
const DECADES = -Math.log10(MIN_DENSITY);

/** Density rounded to 4 significant digits (clean URLs; the literature grid to its 4 digits). */
export function roundDensity(d: number): number {
  return Math.min(1, Math.max(MIN_DENSITY, Number(d.toPrecision(4))));
}

export function densityAt(pos: number): number {
  return roundDensity(10 ** ((-DECADES * pos) / STEPS));
}

export function positionOf(density: number): number {
  return Math.round((-Math.log10(Math.max(MIN_DENSITY, Math.min(1, density))) / DECADES) * STEPS);
}

/** Snap points: dense, the 0.8^(2k) grid of the literature extended down to the slider's floor. */
export const SNAP_POINTS: number[] = (() => {
  const pts = [1];
  for (let k = 1; 0.8 ** (2 * k) >= MIN_DENSITY; k++) pts.push(roundDensity(0.8 ** (2 * k)));
  pts.push(MIN_DENSITY);
  return pts;
})();
const LITERATURE = new Set(DENSITY_GRID.map(roundDensity));

export function snap(density: number): number {
  let best = SNAP_POINTS[0];
  for (const p of SNAP_POINTS) if (Math.abs(Math.log(p) - Math.log(density)) < Math.abs(Math.log(best) - Math.log(density))) best = p;
  return best;
}

function snapIndex(density: number): number {
  return SNAP_POINTS.indexOf(snap(density));
}

interface Props {
  density: number;
  snapOn: boolean;
  onDensity: (d: number) => void;
  onSnap: (on: boolean) => void;
  view: RunView | null;
  onCancel: () => void;
  onRerun: () => void;
  blockedReason: string | null;
}

/** The run's timeline, progress and status, with Cancel or Run again. */
function RunStatus({ view, blockedReason, onCancel, onRerun }: Pick<Props, 'view' | 'blockedReason' | 'onCancel' | 'onRerun'>) {
  const running = view?.status === 'running';
  return (
    <div className="run-status" aria-live="polite">
      {view && !blockedReason ? <TimeLine view={view} /> : null}
      {blockedReason ? (
        <span className="status-text">{blockedReason}</span>
      ) : view ? (
        <>
          <progress max={1} value={view.progress} aria-label="Run progress" />
          <span
            className="status-text"
            data-testid="run-status"
            data-status={view.status}
            data-progress={view.progress.toFixed(4)}
            data-eta-ms={view.etaMs !== undefined ? Math.round(view.etaMs) : undefined}
          >
            {view.status === 'running'
              ? `${Math.round(view.progress * 100)}%${view.etaMs !== undefined && view.etaMs > 0 ? ` · about ${duration(view.etaMs)} left` : ''}`
              : view.status === 'done'
                ? `done in ${duration((view.endedAt ?? Date.now()) - (view.openedAt ?? view.startedAt))}${view.openedAt !== undefined ? ' from page open' : ''}`
                : view.status === 'cancelled'
                  ? 'cancelled'
                  : view.status === 'error'
                    ? 'error'
                    : ''}
          </span>
          {running ? (
            <button type="button" className="danger" onClick={onCancel}>
              Cancel
            </button>
          ) : (
            <button type="button" onClick={onRerun}>
              Run again
            </button>
          )}
        </>
      ) : (
        <span className="status-text">starting…</span>
      )}
    </div>
  );
}

/**
 * The density under a dragging pointer, local to the slider: a drag move re-renders the slider
 * alone (the page, its charts and the run follow once, on release), so a move costs a few
 * milliseconds of the main thread; a keyboard step or a click commits at once.
 */
function useDragDensity(density: number, onDensity: (d: number) => void) {
  const [drag, setDrag] = useState<number | null>(null);
  const dragRef = useRef<number | null>(null);
  const down = useRef(false);
  const commit = useCallback(() => {
    down.current = false;
    const d = dragRef.current;
    dragRef.current = null;
    setDrag(null);
    if (d !== null) onDensity(d);
  }, [onDensity]);
  useEffect(() => {
    // released anywhere (the pointer may leave the track while dragging)
    addEventListener('pointerup', commit);
    addEventListener('pointercancel', commit);
    return () => {
      removeEventListener('pointerup', commit);
      removeEventListener('pointercancel', commit);
    };
  }, [commit]);
  const move = (d: number) => {
    if (!down.current) return onDensity(d);
    dragRef.current = d;
    setDrag(d);
  };
  return { shown: drag ?? density, move, onPointerDown: () => (down.current = true) };
}

export function SparsityBar({ density: committed, snapOn, onDensity, onSnap, view, onCancel, onRerun, blockedReason }: Props) {
  const id = useId();
  const { shown: density, move, onPointerDown } = useDragDensity(committed, onDensity);
  const onGrid = LITERATURE.has(density);
  const valueText = `${sparsityPct(density)} sparsity, ${pct(density)} of weights remain`;
  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (!snapOn) return;
    const i = snapIndex(density);
    let j = i;
    if (e.key === 'ArrowRight' || e.key === 'ArrowUp') j = i + 1;
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowDown') j = i - 1;
    else if (e.key === 'PageUp') j = i + 3;
    else if (e.key === 'PageDown') j = i - 3;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = SNAP_POINTS.length - 1;
    else return;
    e.preventDefault();
    onDensity(SNAP_POINTS[Math.max(0, Math.min(SNAP_POINTS.length - 1, j))]);
  };
  return (
    <div className="sparsity-bar">
      <div className="slider-block">
        <div className="slider-head">
          <label htmlFor={id}>Sparsity</label>
          <output htmlFor={id} className="readout" data-testid="sparsity-readout">
            <strong>{sparsityPct(density)}</strong> pruned · {pct(density)} remain
            {onGrid ? (
              <span className="tag" title="A point of the 0.8^k grid used in the literature">
                grid
              </span>
            ) : null}
          </output>
          <label className="check inline">
            <input type="checkbox" checked={snapOn} onChange={(e) => onSnap(e.target.checked)} />
            Snap to 0.8<sup>k</sup> grid
          </label>
        </div>
        <input
          id={id}
          type="range"
          min={0}
          max={STEPS}
          step={1}
          value={positionOf(density)}
          aria-valuetext={valueText}
          onKeyDown={onKeyDown}
          onPointerDown={onPointerDown}
          onChange={(e) => {
            const d = densityAt(Number(e.target.value));
            move(snapOn ? snap(d) : d);
          }}
          list={`${id}-grid`}
        />
        <datalist id={`${id}-grid`}>
          {DENSITY_GRID.map((d) => (
            <option key={d} value={positionOf(roundDensity(d))} />
          ))}
        </datalist>
        <div className="scale" aria-hidden="true">
          <span>0% (dense)</span>
          <span>90%</span>
          <span>99%</span>
          <span>99.9%</span>
        </div>
      </div>
      <RunStatus view={view} blockedReason={blockedReason} onCancel={onCancel} onRerun={onRerun} />
    </div>
  );
}
