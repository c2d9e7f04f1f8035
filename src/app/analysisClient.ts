// The page's side of the metric sweep and the score histograms: one request of each kind at a
// time (a newer one supersedes the older), events of the current request only. Imports no tfjs:
// the worker computes (src/worker/metricSweep.ts, scoreHistogram.ts).
import * as Comlink from 'comlink';
import type { RunConfig } from '../shared/config';
import type { MetricPoint, MetricSweepEvent } from '../shared/metricSweep';
import type { LabWorkerApi } from '../shared/protocol';
import type { ScoreHistogram, ScoreHistogramEvent } from '../shared/scoreHistogram';
import type { LabClient } from './workerClient';

type Api = Comlink.Remote<LabWorkerApi>;

/** One kind of request: how to start and cancel it on the worker, and its error event. */
class LatestRequest<Q, E extends { requestId: number }, R> {
  private nextId = 1;
  private current = 0;

  constructor(
    private readonly client: LabClient,
    private readonly start: (api: Api, id: number, request: Q, onEvent: (e: E) => void) => Promise<R | null>,
    private readonly stop: (api: Api, id: number) => Promise<void>,
    private readonly failed: (id: number, message: string) => E,
  ) {}

  async run(request: Q, onEvent: (e: E) => void): Promise<R | null> {
    const id = this.nextId++;
    const previous = this.current;
    this.current = id;
    try {
      const { api } = await this.client.remote();
      if (previous) void this.stop(api, previous);
      if (this.current !== id) return null;
      return await this.start(
        api,
        id,
        request,
        Comlink.proxy((e: E) => {
          if (this.current === id) onEvent(e);
        }),
      );
    } catch (e) {
      // the worker crashed or restarted under this request
      if (this.current === id) onEvent(this.failed(id, `the compute worker stopped (${e instanceof Error ? e.message : String(e)})`));
      return null;
    }
  }

  async cancel(): Promise<void> {
    const id = this.current;
    this.current = 0;
    if (!id) return;
    const { api } = await this.client.remote();
    await this.stop(api, id);
  }
}

export class AnalysisClient {
  private readonly sweeps: LatestRequest<{ config: RunConfig; seeds: number }, MetricSweepEvent, MetricPoint[]>;
  private readonly hists: LatestRequest<RunConfig, ScoreHistogramEvent, ScoreHistogram[]>;

  constructor(client: LabClient) {
    this.sweeps = new LatestRequest(
      client,
      (api, id, req, on) => api.metricSweep({ id, ...req }, on),
      (api, id) => api.cancelMetricSweep(id),
      (id, message) => ({ type: 'msweep-error', requestId: id, message }),
    );
    this.hists = new LatestRequest(
      client,
      (api, id, config, on) => api.scoreHistograms({ id, config }, on),
      (api, id) => api.cancelScoreHistograms(id),
      (id, message) => ({ type: 'hist-error', requestId: id, message }),
    );
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
