// Score histograms: for each method, the scores of the round that made its mask at the
// page's density (the only round for one-shot methods, the last of the exact schedule for
// iterative ones), binned with the mask that round made. Runs the exact schedule again (the
// runner keeps masks, not scores); histograms are cached per weights object and result key.
import { METHOD_NAMES, roundsFor } from '../shared/methods';
import { logHistogram, type ScoreHistogram, type ScoreHistogramEvent, type ScoreHistogramRequest } from '../shared/scoreHistogram';
import type { StateDict } from '../core/models/state';
import { throwIfAborted } from './abort';
import { LatestJob } from './latestJob';
import { runPruneJob } from '../core/job';
import { resultKey, type LabRunner, type AnalysisContext } from './runner';
import { contextPruneJob } from './pathJobs';
import type { MethodId } from '../shared/methods';

type Emit = (e: ScoreHistogramEvent) => void;

export class ScoreHistograms {
  private readonly job = new LatestJob();
  private readonly cache = new WeakMap<StateDict, Map<string, ScoreHistogram>>();

  constructor(private readonly runner: LabRunner) {}

  cancel(requestId: number): void {
    this.job.cancel(requestId);
  }

  run(req: ScoreHistogramRequest, emit: Emit): Promise<ScoreHistogram[] | null> {
    const t0 = performance.now();
    return this.job.runToEnd(
      req.id,
      async (signal) => {
        const methods = METHOD_NAMES.filter((m) => req.config.methods.includes(m));
        emit({ type: 'hist-start', requestId: req.id, methods });
        const sc = await this.runner.analysisContext(req.config, signal);
        const out: ScoreHistogram[] = [];
        for (const method of methods) {
          throwIfAborted(signal);
          const h = await this.histogram(sc, method);
          out.push(h);
          emit({ type: 'hist-method', requestId: req.id, histogram: h });
        }
        return out;
      },
      { emit, done: () => ({ ms: performance.now() - t0 }) },
    );
  }

  private async histogram(sc: AnalysisContext, method: MethodId): Promise<ScoreHistogram> {
    const { cfg, stateDict, signal } = sc;
    const key = resultKey(cfg, method);
    let byWeights = this.cache.get(stateDict);
    if (!byWeights) this.cache.set(stateDict, (byWeights = new Map()));
    const hit = byWeights.get(key);
    if (hit) return hit;
    const rounds = roundsFor(cfg, method);
    const got: { last?: { round: number; threshold: number; scores: Float32Array; mask: Float32Array } } = {};
    await runPruneJob(
      contextPruneJob(sc, method, {
        density: cfg.density,
        rounds,
        signal,
        onRound: async (info, reads) => {
          // only the last round's scores are read back (one host copy, not one per round)
          if (info.round + 1 === rounds)
            got.last = { round: info.round + 1, threshold: info.threshold, scores: await reads.scores(), mask: await reads.mask() };
        },
      }),
    );
    if (!got.last) throw new Error(`${method}: the schedule ended before its last round`);
    const { round, threshold, scores, mask } = got.last;
    const h: ScoreHistogram = {
      method,
      density: cfg.density,
      round,
      rounds,
      threshold: cfg.scope === 'global' && Number.isFinite(threshold) ? threshold : null,
      total: scores.length,
      ...logHistogram(scores, mask),
    };
    byWeights.set(key, h);
    return h;
  }
}
