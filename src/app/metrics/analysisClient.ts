// The page's side of the metric sweep and the score histograms: one request of each kind at a
// time (a newer one supersedes the older), events of the current request only. Imports no tfjs:
// the worker computes (src/worker/metricSweep.ts, scoreHistogram.ts).
import type { RunConfig } from '../../shared/config';
import type { MetricPoint, MetricSweepEvent } from '../../shared/metricSweep';
import { errorEnd } from '../../shared/requestEnd';
import type { ScoreHistogram, ScoreHistogramEvent } from '../../shared/scoreHistogram';
import { LatestRequest } from '../shell/latestRequest';
import type { LabClient } from '../shell/workerClient';

export class AnalysisClient {
  private readonly sweeps: LatestRequest<{ config: RunConfig; seeds: number }, MetricSweepEvent, MetricPoint[]>;
  private readonly hists: LatestRequest<RunConfig, ScoreHistogramEvent, ScoreHistogram[]>;

  constructor(client: LabClient) {
    this.sweeps = new LatestRequest(client, {
      start: (api, id, req, on) => api.metricSweep({ id, ...req }, on),
      stop: (api, id) => api.cancelMetricSweep(id),
      failed: (id, cause) => errorEnd(id, 'backend', `the compute worker stopped (${cause})`),
    });
    this.hists = new LatestRequest(client, {
      start: (api, id, config, on) => api.scoreHistograms({ id, config }, on),
      stop: (api, id) => api.cancelScoreHistograms(id),
      failed: (id, cause) => errorEnd(id, 'backend', `the compute worker stopped (${cause})`),
    });
  }

  metricSweep(config: RunConfig, seeds: number, onEvent: (e: MetricSweepEvent) => void): Promise<MetricPoint[] | null> {
    return this.sweeps.run({ config, seeds }, onEvent);
  }

  cancelMetricSweep(): void {
    void this.sweeps.cancel();
  }

  scoreHistograms(config: RunConfig, onEvent: (e: ScoreHistogramEvent) => void): Promise<ScoreHistogram[] | null> {
    return this.hists.run(config, onEvent);
  }

  cancelScoreHistograms(): void {
    void this.hists.cancel();
  }
}
