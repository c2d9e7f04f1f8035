// The page's side of training and sweeps: one request at a time (a newer one supersedes the
// older), events filtered by request id, cancel. Imports no tfjs: the worker trains
// (src/worker/trainRunner.ts); this only forwards plain-data requests and events.
import type { TrainEvent, TrainRequest, TrainResult } from '../../shared/protocol';
import { errorEnd } from '../../shared/requestEnd';
import { LatestRequest } from '../shell/latestRequest';
import type { LabClient } from '../shell/workerClient';

export class TrainClient {
  private readonly requests: LatestRequest<Omit<TrainRequest, 'id'>, TrainEvent, TrainResult[]>;

  constructor(client: LabClient) {
    this.requests = new LatestRequest(client, {
      start: (api, id, req, on) => api.train({ id, ...req }, on),
      stop: (api, id) => api.cancelTrain(id),
      failed: (id, cause) =>
        errorEnd(id, 'backend', `the compute worker stopped during training (${cause}); press the button to run again`),
      // a cancelled request's last event still arrives, and so do its events until then
      passes: (e) => e.type === 'end' && e.outcome === 'cancelled',
      deliverAfterCancel: true,
    });
  }

  /**
   * Run a Train or Sweep request; events of this request only, while it is the current one.
   * Resolves with the results, or null when cancelled, superseded or failed (see the events).
   */
  run(
    kind: TrainRequest['kind'],
    plan: TrainRequest['plan'],
    skip: number[],
    onEvent: (e: TrainEvent) => void,
    id?: number,
  ): Promise<TrainResult[] | null> {
    return this.requests.run({ kind, plan, skip }, onEvent, id);
  }

  /** Cancel the current request (its `end` event, outcome `cancelled`, still arrives). */
  cancel(): Promise<void> {
    return this.requests.cancel();
  }
}
