// The Metrics section's requests to the worker: the density scan and the score histograms, each
// started while its view is open and the run is done (so it never slows the run down), again when
// the configuration changes, and cancelled when the view closes.
import { useEffect, useState } from 'react';
import type { RunConfig } from '../../shared/config';
import type { MethodId } from '../../shared/methods';
import { onEnd } from '../../shared/requestEnd';
import type { MetricPoint } from '../../shared/densityScan';
import type { ScoreHistogram } from '../../shared/scoreHistogram';
import type { RunSource } from '../common/runView';

export interface AnalysisState<T> {
  status: 'idle' | 'running' | 'done' | 'error';
  items: T[];
  /** Steps finished and planned (the scan: methods × seeds; the histograms: methods). */
  done: number;
  total: number;
  error?: string;
  ms?: number;
}

const IDLE = { status: 'idle' as const, items: [], done: 0, total: 0 };

export function useDensityScan(
  source: RunSource,
  config: RunConfig,
  seeds: number,
  active: boolean,
): AnalysisState<MetricPoint> & { densities: number[]; methods: MethodId[] } {
  const [state, setState] = useState<AnalysisState<MetricPoint> & { densities: number[]; methods: MethodId[] }>({
    ...IDLE,
    densities: [],
    methods: [],
  });
  const key = JSON.stringify([config, seeds]);
  useEffect(() => {
    if (!active || !source.densityScan) return;
    let live = true;
    setState({ ...IDLE, status: 'running', densities: [], methods: [] });
    void source.densityScan(config, seeds, (e) => {
      if (!live) return;
      if (e.type === 'scan-start') setState((s) => ({ ...s, densities: e.densities, methods: e.methods, total: e.total }));
      else if (e.type === 'scan-points') setState((s) => ({ ...s, items: [...s.items, ...e.points], done: e.done, total: e.total }));
      else if (e.type === 'end')
        onEnd(e, {
          done: (d) => setState((s) => ({ ...s, status: 'done', items: d.points, done: s.total, ms: d.ms })),
          cancelled: () => undefined,
          error: (f) => setState((s) => ({ ...s, status: 'error', error: f.message })),
        });
    });
    return () => {
      live = false;
      source.cancelDensityScan?.();
    };
    // the key stands for config and seeds
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, active, source]);
  return state;
}

export function useScoreHistograms(source: RunSource, config: RunConfig, active: boolean): AnalysisState<ScoreHistogram> {
  const [state, setState] = useState<AnalysisState<ScoreHistogram>>(IDLE);
  const key = JSON.stringify(config);
  useEffect(() => {
    if (!active || !source.scoreHistograms) return;
    let live = true;
    setState({ ...IDLE, status: 'running' });
    void source.scoreHistograms(config, (e) => {
      if (!live) return;
      if (e.type === 'hist-start') setState((s) => ({ ...s, total: e.methods.length }));
      else if (e.type === 'hist-method') setState((s) => ({ ...s, items: [...s.items, e.histogram], done: s.done + 1 }));
      else if (e.type === 'end')
        onEnd(e, {
          done: (d) => setState((s) => ({ ...s, status: 'done', ms: d.ms })),
          cancelled: () => undefined,
          error: (f) => setState((s) => ({ ...s, status: 'error', error: f.message })),
        });
    });
    return () => {
      live = false;
      source.cancelScoreHistograms?.();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, active, source]);
  return state;
}
