// The Transfer mode in the worker, free of `self` and the DOM: one request at a time (a newer one
// supersedes), the protocol through core/transfer's runTransferJob, the function `px-lab transfer`
// runs, so the page's numbers are the CLI's for the same weights and settings.
import { buildModel } from '../core/models';
import { initStateDict } from '../core/models/state';
import { runTransferJob } from '../core/transfer';
import { TransferSettingsSchema, type TransferEvent, type TransferOutcome, type TransferRequest } from '../shared/transfer';
import { openSyntheticOnly, type DatasetOpener } from './data';
import type { WeightsHolder } from './weights';
import { checkEpochLog, divergenceOf } from './divergence';

type Emit = (e: TransferEvent) => void;

export class TransferRunner {
  private active: { id: number; controller: AbortController; promise: Promise<unknown> } | null = null;

  constructor(private readonly opts: { openDataset?: DatasetOpener; weights: WeightsHolder }) {}

  cancel(id: number): void {
    if (this.active?.id === id) this.active.controller.abort();
  }

  async run(req: TransferRequest, emit: Emit): Promise<TransferOutcome | null> {
    const previous = this.active;
    previous?.controller.abort();
    if (previous) await previous.promise.catch(() => undefined);
    const controller = new AbortController();
    const promise = this.execute(req, emit, controller.signal);
    this.active = { id: req.id, controller, promise };
    try {
      return await promise;
    } catch (e) {
      const message = divergenceOf(e)?.message ?? (e instanceof Error ? e.message : String(e));
      if (!controller.signal.aborted) emit({ type: 'transfer-error', requestId: req.id, message });
      return null;
    } finally {
      if (this.active?.id === req.id) this.active = null;
    }
  }

  private async execute(req: TransferRequest, emit: Emit, signal: AbortSignal): Promise<TransferOutcome> {
    const t0 = performance.now();
    const settings = TransferSettingsSchema.parse(req.settings);
    const model = buildModel(req.model);
    const held = this.opts.weights.for(req.model);
    const info = this.opts.weights.info() ?? { model: req.model, choice: 'init', label: `random init (seed ${settings.seed})`, sha256: null };
    const stateDict = held?.stateDict ?? initStateDict(model, settings.seed);
    const downstream = await (this.opts.openDataset ?? openSyntheticOnly)(req.downstream, model, settings.seed);
    const id = req.id;
    const run = await runTransferJob({
      model,
      stateDict,
      downstream,
      settings,
      signal,
      onStage: (s) => emit({ type: 'transfer-stage', requestId: id, ...s }),
      // fine-tuning that diverges is a failure, not an accuracy
      onEpoch: (_method, _density, log) => checkEpochLog(log),
      onDense: (d) => emit({ type: 'transfer-dense', requestId: id, ...d }),
      onCell: async (cell) => {
        emit({ type: 'transfer-cell', requestId: id, cell });
        // a macrotask between cells lets a cancel message in
        await new Promise((r) => setTimeout(r, 0));
      },
    });
    return { weights: held ? info : { ...info, choice: 'init' }, dataset: run.dataset, settings, dense: run.dense, cells: run.cells, seconds: (performance.now() - t0) / 1000 };
  }
}
