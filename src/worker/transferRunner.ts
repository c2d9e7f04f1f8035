// The Transfer mode in the worker, free of `self` and the DOM: one request at a time (a newer one
// supersedes), the protocol through core/transfer's runTransferJob, the function `px-lab transfer`
// runs, so the page's numbers are the CLI's for the same weights and settings.
import { buildModel } from '../core/models';
import { initStateDict } from '../core/models/state';
import { runTransferJob } from '../core/transfer';
import { TransferSettingsSchema, type TransferEvent, type TransferOutcome, type TransferRequest } from '../shared/transfer';
import { openSyntheticOnly, type DatasetOpener } from './data';
import { LatestJob, taggedCode } from './latestJob';
import type { WeightsHolder } from './weights';
import { checkEpochLog, divergenceOf } from './divergence';

type Emit = (e: TransferEvent) => void;

export class TransferRunner {
  private readonly jobs = new LatestJob();

  /** `checkpoints`: a holder of its own for a request's shipped checkpoint, so the page's weights stay as they are. */
  constructor(private readonly opts: { openDataset?: DatasetOpener; weights: WeightsHolder; checkpoints?: WeightsHolder }) {}

  /** The holder whose weights this request starts from. */
  private async holderFor(req: TransferRequest): Promise<WeightsHolder> {
    const own = this.opts.checkpoints;
    if (!req.weights?.startsWith('pretrained:') || !own) return this.opts.weights;
    const held = own.info();
    if (held?.model !== req.model || held.choice !== req.weights) await own.set(req.model, req.weights);
    return own;
  }

  cancel(id: number): void {
    this.jobs.cancel(id);
  }

  /** Run the protocol (a newer request supersedes it); null when cancelled or failed (see the end event). */
  run(req: TransferRequest, emit: Emit): Promise<TransferOutcome | null> {
    return this.jobs.runToEnd(req.id, (signal) => this.execute(req, emit, signal), {
      emit,
      done: () => ({}),
      failure: (e, message) => {
        const diverged = divergenceOf(e);
        return diverged ? { code: 'diverged', message: diverged.message } : { code: taggedCode(e) ?? 'internal', message };
      },
    });
  }

  private async execute(req: TransferRequest, emit: Emit, signal: AbortSignal): Promise<TransferOutcome> {
    const t0 = performance.now();
    const settings = TransferSettingsSchema.parse(req.settings);
    const model = buildModel(req.model);
    const holder = await this.holderFor(req);
    const held = holder.for(req.model);
    const info = holder.info() ?? { model: req.model, choice: 'init', label: `random init (seed ${settings.seed})`, sha256: null };
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
    return {
      weights: held ? info : { ...info, choice: 'init' },
      dataset: run.dataset,
      settings,
      dense: run.dense,
      cells: run.cells,
      seconds: (performance.now() - t0) / 1000,
    };
  }
}
