// The page's side of training and sweeps: one request at a time (a newer one supersedes the
// older), events filtered by request id, cancel. Imports no tfjs: the worker trains
// (src/worker/trainRunner.ts); this only forwards plain-data requests and events.
import * as Comlink from 'comlink';
import type { TrainEvent, TrainRequest, TrainResult } from '../shared/protocol';
import type { LabClient } from './workerClient';

export class TrainClient {
  private nextId = 1;
  private current = 0;

  constructor(private readonly client: LabClient) {}

  /**
   * Run a Train or Sweep request; events of this request only, while it is the current one.
   * Resolves with the results, or null when cancelled, superseded or failed (see the events).
   */
  async run(kind: TrainRequest['kind'], plan: TrainRequest['plan'], skip: number[], onEvent: (e: TrainEvent) => void): Promise<TrainResult[] | null> {
    const id = this.nextId++;
    const previous = this.current;
    this.current = id;
    let remote;
    try {
      remote = await this.client.remote();
    } catch (e) {
      if (this.current === id) onEvent({ type: 'train-error', requestId: id, code: 'backend', message: e instanceof Error ? e.message : String(e) });
      return null;
    }
    if (previous) void remote.api.cancelTrain(previous);
    if (this.current !== id) return null;
    const forward = Comlink.proxy((e: TrainEvent) => {
      if (this.current === id || e.type === 'train-cancelled') onEvent(e);
    });
    try {
      return await remote.api.train({ id, kind, plan, skip }, forward);
    } catch (e) {
      // the worker crashed or restarted under this request
      if (this.current === id)
        onEvent({
          type: 'train-error',
          requestId: id,
          code: 'backend',
          message: `the compute worker stopped during training (${e instanceof Error ? e.message : String(e)}); press the button to run again`,
        });
      return null;
    }
  }

  /** Cancel the current request (its `train-cancelled` event still arrives). */
  async cancel(): Promise<void> {
    const id = this.current;
    if (!id) return;
    const { api } = await this.client.remote();
    await api.cancelTrain(id);
  }
}
