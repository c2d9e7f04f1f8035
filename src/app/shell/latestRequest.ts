// The page's one way to send requests of a kind to the worker: one at a time, the newest winning.
// A new request cancels the one before in the worker; only the current request's events reach
// the page (and whatever `passes` lets through, such as a cancelled request's last event); a
// worker that stops under a request becomes the request's error event. Every request's id comes
// from the page's one id space (requestIds.ts).
import * as Comlink from 'comlink';
import type { EventBatches, LabWorkerApi } from '../../shared/workerApi';
import { Newest } from './newest';
import { newRequestId } from './requestIds';
import type { LabClient } from './workerClient';

export type WorkerApi = Comlink.Remote<LabWorkerApi>;

export interface RequestKind<Q, E extends { requestId: number | null }, R> {
  start: (api: WorkerApi, id: number, request: Q, onEvents: EventBatches<E>) => Promise<R | null>;
  stop: (api: WorkerApi, id: number) => Promise<void> | void;
  /** The error event of a request the worker stopped under. */
  failed: (id: number, cause: string) => E;
  /** Events delivered even when their request is no longer current (default: none). */
  passes?: (e: E) => boolean;
  /** After `cancel()`, keep delivering the request's events until it ends (default: drop them). */
  deliverAfterCancel?: boolean;
}

export class LatestRequest<Q, E extends { requestId: number | null }, R> {
  private readonly newest = new Newest<number>();

  constructor(
    private readonly client: LabClient,
    private readonly kind: RequestKind<Q, E, R>,
  ) {}

  /** Send a request (its id given by the caller, or a new one); null when superseded, cancelled or failed. */
  async run(request: Q, onEvent: (e: E) => void, id = newRequestId()): Promise<R | null> {
    const previous = this.newest.begin(id);
    const passes = this.kind.passes ?? (() => false);
    try {
      const { api } = await this.client.remote();
      if (previous) void this.kind.stop(api, previous);
      if (!this.newest.is(id)) return null;
      return await this.kind.start(
        api,
        id,
        request,
        Comlink.proxy((events: E[]) => {
          for (const e of events) if (this.newest.is(id) || passes(e)) onEvent(e);
        }),
      );
    } catch (e) {
      // the worker crashed or restarted under this request
      if (this.newest.is(id)) onEvent(this.kind.failed(id, e instanceof Error ? e.message : String(e)));
      return null;
    }
  }

  /** Cancel the current request in the worker. */
  async cancel(): Promise<void> {
    const id = this.newest.current;
    if (id === null) return;
    if (!this.kind.deliverAfterCancel) this.newest.end(id);
    const { api } = await this.client.remote();
    await this.kind.stop(api, id);
  }
}
