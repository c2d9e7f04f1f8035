// The real compute source: the worker through src/app/workerClient.ts. Events are re-labelled with
// the page's run id (the client numbers requests itself and already drops stale events).
import type { MethodId, RunConfig } from '../shared/config';
import type { BackendInfo, RunEvent } from '../shared/protocol';
import type { LabClient } from './workerClient';
import type { SweepPlan } from '../shared/train';
import type { TrainEvent, TrainRequest, TrainResult } from '../shared/protocol';
import { TrainClient } from './trainClient';
import type { MaskTensor, RunSource } from './runView';

export class WorkerSource implements RunSource {
  readonly name = 'worker';
  private current = 0;
  private readonly trainer: TrainClient;

  constructor(private readonly client: LabClient) {
    this.trainer = new TrainClient(client);
  }

  train(kind: TrainRequest['kind'], plan: SweepPlan, skip: number[], onEvent: (e: TrainEvent) => void): Promise<TrainResult[] | null> {
    return this.trainer.run(kind, plan, skip, onEvent);
  }

  cancelTrain(): void {
    void this.trainer.cancel();
  }

  /** Masks of the last finished request (the page only offers them once its run is done). */
  masks(_id: number, method: MethodId): Promise<MaskTensor[] | null> {
    return this.client.masks(method);
  }

  loadCifar10(files: File[], onProgress: (fraction: number) => void): Promise<string> {
    return this.client.loadCifar10(files, onProgress);
  }

  cifarHeld(): Promise<string | null> {
    return this.client.cifarHeld();
  }

  onNotice(cb: (message: string) => void): () => void {
    return this.client.onNotice((n) => cb(n.message));
  }

  init(): Promise<BackendInfo> {
    return this.client.backend();
  }

  async run(id: number, config: RunConfig, onEvent: (e: RunEvent) => void): Promise<void> {
    this.current = id;
    try {
      await this.client.run(config, {
        onEvent: (e) => {
          if (this.current !== id) return;
          onEvent(e.type === 'notice' ? { ...e, requestId: e.requestId === null ? null : id } : ({ ...e, requestId: id } as RunEvent));
        },
      });
    } catch (e) {
      const err = e as Error;
      if (err.name === 'AbortError') {
        if (this.current === id) onEvent({ type: 'cancelled', requestId: id });
        return;
      }
      // an `error` event was already delivered for run errors; report anything else
      if (this.current === id && err.name !== 'RunError') onEvent({ type: 'error', requestId: id, code: 'internal', message: err.message || String(err) });
    }
  }

  cancel(id: number): void {
    if (this.current === id) this.client.cancel();
  }
}
