// Score histograms: each method's |score| distribution in the round that made its mask at the
// page's density, kept (method colour) over pruned (grey), the global keep threshold marked.
import { METHOD_INFO } from '../../shared/methods';
import type { ScoreHistogram } from '../../shared/scoreHistogram';
import { compact, int, sparsityPct } from '../common/format';
import type { ChartTheme } from '../common/theme';
import type { AnalysisState } from './useAnalysis';
import { ChartCard, type ChartState } from '../common/ChartCard';
import { ScoreHistogramChart } from './metricCharts';

function note(h: ScoreHistogram): string {
  const parts = [`round ${h.round} of ${h.rounds}`];
  parts.push(h.threshold !== null ? `kept ⟺ score > ${compact(h.threshold)}` : 'per-layer scope: one threshold per layer (not drawn)');
  const zeros = h.zeros.kept + h.zeros.pruned;
  if (zeros) parts.push(`${int(zeros)} scores are exactly 0 (${int(h.zeros.pruned)} pruned), not on the log axis`);
  if (h.negative) parts.push(`${int(h.negative)} negative scores: binned by |score|, which is then not the ranking`);
  return parts.join(' · ');
}

export function ScoreHistogramsView({
  hist,
  waiting,
  density,
  theme,
  fileStem,
}: {
  hist: AnalysisState<ScoreHistogram>;
  waiting: string | null;
  density: number;
  theme: ChartTheme;
  fileStem: string;
}) {
  const pending: ChartState = waiting
    ? { kind: 'loading', message: waiting }
    : hist.status === 'error'
      ? { kind: 'error', message: `The score histograms failed: ${hist.error}` }
      : {
          kind: 'loading',
          message: hist.total ? `Scoring: ${hist.done} of ${hist.total} methods done (iterative ones rerun their schedule)…` : 'Scoring…',
        };
  return (
    <div className="score-hists" data-hist-status={hist.status}>
      <p className="hint">
        Scores at {sparsityPct(density)} sparsity, from the round that made each mask (the only round for one-shot methods, the last of the
        schedule for iterative ones); the counts are weights. Look for: a clear gap at the threshold means a confident ranking; a threshold
        inside the bulk means many near-ties.
      </p>
      <div className="metric-grid">
        {waiting || !hist.items.length ? (
          <ChartCard
            id="hist-pending"
            title="Score histograms"
            explanation="One histogram per method."
            state={pending}
            legend={[]}
            theme={theme}
            fileStem={fileStem}
            png={false}
          >
            {null}
          </ChartCard>
        ) : (
          hist.items.map((h) => (
            <ChartCard
              key={h.method}
              id={`hist-${h.method}`}
              title={`${METHOD_INFO[h.method].label}: |score|`}
              explanation={note(h)}
              state={{ kind: 'ready' }}
              legend={[
                { label: 'kept', color: METHOD_INFO[h.method].color },
                { label: 'pruned', color: theme.axis },
              ]}
              theme={theme}
              fileStem={fileStem}
            >
              <ScoreHistogramChart h={h} theme={theme} />
            </ChartCard>
          ))
        )}
      </div>
    </div>
  );
}
