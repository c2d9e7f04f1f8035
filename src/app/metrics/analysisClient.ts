// The page's side of the density scan and the score histograms: one request of each kind at a
// time (a newer one supersedes the older), events of the current request only. Imports no tfjs:
// the worker computes (src/worker/densityScan.ts, scoreHistogram.ts).
import type { RunConfig } from '../../shared/config';
import type { MetricPoint, DensityScanEvent } from '../../shared/densityScan';
import { errorEnd } from '../../shared/requestEnd';
import type { ScoreHistogram, ScoreHistogramEvent } from '../../shared/scoreHistogram';
import { LatestRequest } from '../shell/latestRequest';
import type { LabClient } from '../shell/workerClient';

export class AnalysisClient {
  private readonly scans: LatestRequest<{ config: RunConfig; seeds: number }, DensityScanEvent, MetricPoint[]>;
  private readonly hists: LatestRequest<RunConfig, ScoreHistogramEvent, ScoreHistogram[]>;

  constructor(client: LabClient) {
    this.scans = new LatestRequest(client, {
      start: (api, id, req, on) => api.densityScan({ id, ...req }, on),
      stop: (api, id) => api.cancelDensityScan(id),
      failed: (id, cause) => errorEnd(id, 'backend', `the compute worker stopped (${cause})`),
    });
    this.hists = new LatestRequest(client, {
      start: (api, id, config, on) => api.scoreHistograms({ id, config }, on),
      stop: (api, id) => api.cancelScoreHistograms(id),
      failed: (id, cause) => errorEnd(id, 'backend', `the compute worker stopped (${cause})`),
    });
  }

  densityScan(config: RunConfig, seeds: number, onEvent: (e: DensityScanEvent) => void): Promise<MetricPoint[] | null> {
    return this.scans.run({ config, seeds }, onEvent);
  }

  cancelDensityScan(): void {
    void this.scans.cancel();
  }

  scoreHistograms(config: RunConfig, onEvent: (e: ScoreHistogramEvent) => void): Promise<ScoreHistogram[] | null> {
    return this.hists.run(config, onEvent);
  }

  cancelScoreHistograms(): void {
    void this.hists.cancel();
  }
}
