// Drives one Train or Sweep request at a time from the page: events are folded into the view at
// most once per animation frame; finished cells are handed to `onCell` (the sweep stores them).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TrainEvent, TrainRequest, TrainResult } from '../../shared/protocol';
import type { SweepPlan } from '../../shared/train';
import { newRequestId } from '../shell/requestIds';
import type { RunSource } from '../common/runView';
import { emptyTrain, reduceTrain, type TrainView } from './trainView';

export interface Training {
  view: TrainView | null;
  /** Start a request (supersedes this hook's previous one). `stored`: results shown from the start. */
  start(plan: SweepPlan, skip: number[], stored?: TrainResult[], onCell?: (r: TrainResult) => void): void;
  cancel(): void;
  /** Show results without running (stored cells after a reload); `status` 'cancelled' when a run
   * was stopped to show them. Detaches the view from any running request. */
  show(stored: TrainResult[], status?: 'done' | 'cancelled'): void;
  available: boolean;
}

export function useTraining(source: RunSource, kind: TrainRequest['kind']): Training {
  const [view, setView] = useState<TrainView | null>(null);
  const current = useRef(0);
  const pending = useRef<TrainEvent[]>([]);
  const frame = useRef<number | null>(null);

  const flush = useCallback(() => {
    frame.current = null;
    const events = pending.current;
    pending.current = [];
    if (events.length) setView((v) => (v ? events.reduce(reduceTrain, v) : v));
  }, []);

  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const start = useCallback(
    (plan: SweepPlan, skip: number[], stored: TrainResult[] = [], onCell?: (r: TrainResult) => void) => {
      if (!source.train) return;
      const id = newRequestId();
      current.current = id;
      pending.current = [];
      setView(emptyTrain(id, kind, stored));
      void source.train(
        kind,
        plan,
        skip,
        (e) => {
          if (current.current !== id) return;
          if (e.type === 'cell-done') onCell?.(e.result);
          pending.current.push(e);
          if (frame.current === null) frame.current = requestAnimationFrame(flush);
        },
        id,
      );
    },
    [source, kind, flush],
  );

  const cancel = useCallback(() => {
    if (current.current) source.cancelTrain?.();
  }, [source]);

  const show = useCallback(
    (stored: TrainResult[], status: 'done' | 'cancelled' = 'done') => {
      const id = newRequestId();
      current.current = 0;
      pending.current = [];
      setView({ ...emptyTrain(id, kind, stored), status, progress: stored.length ? 1 : 0 });
    },
    [kind],
  );

  return { view, start, cancel, show, available: !!source.train };
}
