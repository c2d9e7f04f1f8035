// The real compute source: the worker through src/app/workerClient.ts. A run keeps the page's
// request id end to end (the client sends it to the worker, whose events carry it); the client
// drops a superseded request's events.
import type { RunConfig } from '../../shared/config';
import type { MethodId } from '../../shared/methods';
import type { BackendInfo, RunEvent } from '../../shared/protocol';
import { cancelledEnd, errorEnd } from '../../shared/requestEnd';
import { RunError } from '../../shared/runError';
import type { LabClient } from './workerClient';
import type { TransferEvent, TransferOutcome, TransferRequest, WeightsInfo } from '../../shared/transfer';
import type { SweepPlan } from '../../shared/train';
import type { TrainEvent, TrainRequest, TrainResult } from '../../shared/protocol';
import { TrainClient } from '../train/trainClient';
import { AnalysisClient } from '../metrics/analysisClient';
import { LatestRequest } from './latestRequest';
import type { MetricPoint, DensityScanEvent } from '../../shared/densityScan';
import type { ScoreHistogram, ScoreHistogramEvent } from '../../shared/scoreHistogram';
import type { MaskTensor, RunSource } from '../common/runView';

export class WorkerSource implements RunSource {
  readonly name = 'worker';
  private readonly trainer: TrainClient;
  private readonly analysis: AnalysisClient;

  private readonly transfers: LatestRequest<Omit<TransferRequest, 'id'>, TransferEvent, TransferOutcome>;
  /** The last weights set, re-sent to a restarted worker (a new generation) before its next request. */
  private weights: { args: [string, string, Uint8Array | undefined, string | undefined]; generation: number } | null = null;

  private readonly weightsLost = new Set<(message: string) => void>();

  constructor(private readonly client: LabClient) {
    this.trainer = new TrainClient(client);
    this.analysis = new AnalysisClient(client);
    this.transfers = new LatestRequest(client, {
      start: async (api, id, request, on) => {
        await this.ensureWeights();
        return api.transfer({ ...request, id }, on);
      },
      stop: (api, id) => api.cancelTransfer(id),
      failed: (id, cause) => errorEnd(id, 'backend', `the compute worker stopped during the transfer run (${cause}); press Run again`),
      deliverAfterCancel: true,
    });
    // a restarted worker holds no weights: the user's are given again before any request re-runs
    client.onStart(async (api, generation) => {
      const held = this.weights;
      if (!held || held.generation === generation) return;
      try {
        await api.setWeights(...held.args);
        held.generation = generation;
      } catch (e) {
        if (this.weights !== held) return;
        this.weights = null;
        const why = e instanceof Error ? e.message : String(e);
        for (const cb of this.weightsLost)
          cb(`The compute worker restarted and your weights could not be given to it again (${why}); runs now start from the random init.`);
      }
    });
  }

  /** Called when the user's weights are no longer in use (a restarted worker refused them). */
  onWeightsLost(cb: (message: string) => void): () => void {
    this.weightsLost.add(cb);
    return () => this.weightsLost.delete(cb);
  }

  async densityScan(config: RunConfig, seeds: number, onEvent: (e: DensityScanEvent) => void): Promise<MetricPoint[] | null> {
    await this.ensureWeights().catch(() => undefined);
    return this.analysis.densityScan(config, seeds, onEvent);
  }

  cancelDensityScan(): void {
    this.analysis.cancelDensityScan();
  }

  async scoreHistograms(config: RunConfig, onEvent: (e: ScoreHistogramEvent) => void): Promise<ScoreHistogram[] | null> {
    await this.ensureWeights().catch(() => undefined);
    return this.analysis.scoreHistograms(config, onEvent);
  }

  cancelScoreHistograms(): void {
    this.analysis.cancelScoreHistograms();
  }

  async setWeights(model: string, choice: string, bytes?: Uint8Array, name?: string): Promise<WeightsInfo | null> {
    const { api, generation } = await this.client.remote();
    const info = await api.setWeights(model, choice, bytes, name);
    this.weights = choice === 'init' ? null : { args: [model, info?.choice ?? choice, bytes, name], generation };
    return info;
  }

  /** After a worker restart the new worker holds no weights: give them again. */
  private async ensureWeights(): Promise<void> {
    if (!this.weights) return;
    const { api, generation } = await this.client.remote();
    if (generation === this.weights.generation) return;
    await api.setWeights(...this.weights.args);
    this.weights.generation = generation;
  }

  transfer(request: Omit<TransferRequest, 'id'>, onEvent: (e: TransferEvent) => void): Promise<TransferOutcome | null> {
    return this.transfers.run(request, onEvent);
  }

  cancelTransfer(): void {
    void this.transfers.cancel();
  }

  async train(
    kind: TrainRequest['kind'],
    plan: SweepPlan,
    skip: number[],
    onEvent: (e: TrainEvent) => void,
    id?: number,
  ): Promise<TrainResult[] | null> {
    await this.ensureWeights().catch(() => undefined);
    return this.trainer.run(kind, plan, skip, onEvent, id);
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
    try {
      await this.ensureWeights();
      await this.client.run(config, { id, onEvent });
    } catch (e) {
      const err = e as Error;
      // superseded or cancelled: the page drops it when a newer request is current
      if (err.name === 'AbortError') return onEvent(cancelledEnd(id));
      // an error end was already delivered for run errors; report anything else
      if (!(err instanceof RunError)) onEvent(errorEnd(id, 'internal', err.message || String(err)));
    }
  }

  cancel(id: number): void {
    this.client.cancel(id);
  }
}
