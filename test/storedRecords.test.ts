// What the page reads back from IndexedDB is checked before it is shown (src/shared/storedRecords.ts):
// the model table against core's models, a cell edited to "Magnitude 420.00%" refused with its
// reason, cells keyed by and stating their weights; the page's other integrity rules: a link's
// missing weights file blocks runs, a sweep request runs on one set of weights, a restarted worker
// gets the user's weights again (or the page hears they are lost), a refused write reads as one
// clear line.
import { describe, expect, it } from 'vitest';
import { buildModel, totalPrunable } from '../src/core/models';
import { initStateDict } from '../src/core/models/state';
import { DEFAULT_CONFIG } from '../src/shared/config';
import { MODELS } from '../src/shared/models';
import type { TrainResult } from '../src/shared/protocol';
import {
  BACKBONE_PRUNABLE_WEIGHTS,
  PRUNABLE_WEIGHTS,
  StoredCellSchema,
  StoredWeightsSchema,
  TransferOutcomeCheckSchema,
  checkStored,
} from '../src/shared/storedRecords';
import { backboneModel } from '../src/core/transfer';
import { mlpCell, transferOutcome } from './storedRecordFixtures';
import { DEFAULT_TRAIN_SETTINGS, sweepPlanOf } from '../src/shared/trainSettings';
import { weightsBlockedReason } from '../src/app/shell/useWeights';
import { quarantineNotice, writeFailure } from '../src/app/common/storeNotices';
import { WorkerSource } from '../src/app/shell/source';
import type { LabClient } from '../src/app/shell/workerClient';
import { TrainRunner } from '../src/worker/trainRunner';

const FILE = `file:${'c0'.repeat(32)}:m.safetensors`;

describe('stored records', () => {
  it("the table of prunable weights is core's count for every zoo model, and its backbone's (less the classifier)", () => {
    for (const m of MODELS) expect(PRUNABLE_WEIGHTS[m.id], m.id).toBe(totalPrunable(buildModel(m.id)));
    for (const m of MODELS) expect(BACKBONE_PRUNABLE_WEIGHTS[m.id], m.id).toBe(totalPrunable(backboneModel(buildModel(m.id))));
  });

  it("a transfer result's total is the backbone's count: the whole model's, or any other, is refused", () => {
    const check = (total: number) => checkStored(TransferOutcomeCheckSchema, 'a transfer result', transferOutcome(total));
    expect(check(265_200).ok).toBe(true);
    expect(check(266_200)).toEqual({
      ok: false,
      reason:
        "a transfer result: cells.0 266200 weights is not mlp's backbone count (265200): another model's result; cells.1 266200 weights is not mlp's backbone count (265200): another model's result",
    });
    expect(check(94_304).ok).toBe(false);
    expect(check(1_000).ok).toBe(false);
  });

  it('a cell edited to accuracy 4.2 and kept −7 is refused with its reason (never "Magnitude 420.00%")', () => {
    expect(checkStored(StoredCellSchema, 'a stored sweep cell', mlpCell()).ok).toBe(true);
    expect(checkStored(StoredCellSchema, 'a stored sweep cell', mlpCell({ testAccuracy: 4.2, kept: -7 }))).toEqual({
      ok: false,
      reason:
        'a stored sweep cell: result.testAccuracy Too big: expected number to be <=1; result.kept Too small: expected number to be >=0',
    });
    const refused = (over: Partial<TrainResult>) => checkStored(StoredCellSchema, 'a cell', mlpCell(over));
    expect(refused({ kept: 1e9 }).ok).toBe(false);
    expect(refused({ testLoss: -3 }).ok).toBe(false);
    expect(refused({ testLoss: NaN }).ok).toBe(false);
    expect(refused({ trainLoss: Infinity }).ok).toBe(false);
    // a ConvNet's count under an MLP sweep: another model's result
    expect(refused({ total: 94_304, kept: 9_430 })).toEqual({
      ok: false,
      reason: "a cell: result.total 94304 weights is not mlp's count (266200): another model's result",
    });
  });

  it('a cell states the weights of its sweep key; a record claiming others is refused', () => {
    const onFile = mlpCell({}, FILE);
    expect(onFile.weights).toBe(FILE);
    expect(onFile.sweep).not.toBe(mlpCell().sweep);
    expect(checkStored(StoredCellSchema, 'a cell', { ...onFile, weights: 'init' })).toEqual({
      ok: false,
      reason: `a cell: weights it states weights init under a sweep of ${FILE}`,
    });
    expect(checkStored(StoredCellSchema, 'a cell', { ...onFile, id: `${onFile.sweep}|snip@0.1#0` }).ok).toBe(false);
  });

  it('a stored weights file must be a model the page knows, with a sha256 key and bytes', () => {
    const rec = { sha256: 'ab'.repeat(32), name: 'm.safetensors', model: 'mlp', bytes: new Uint8Array(64), savedAt: 1 };
    expect(StoredWeightsSchema.safeParse(rec).success).toBe(true);
    expect(StoredWeightsSchema.safeParse({ ...rec, model: 'lenet' }).success).toBe(false);
    expect(StoredWeightsSchema.safeParse({ ...rec, bytes: 'AAAA' }).success).toBe(false);
    expect(StoredWeightsSchema.safeParse({ ...rec, sha256: 'xyz' }).success).toBe(false);
  });
});

describe('the page runs on the weights it says', () => {
  it('a link naming a file this browser lacks blocks every run until it is loaded', () => {
    const state = { model: 'mlp' as const, weights: FILE };
    const reason = weightsBlockedReason(true, state, '', { name: 'm.safetensors', sha256: 'c0'.repeat(32) });
    expect(reason).toBe(
      'This link starts from m.safetensors (sha256 c0c0c0c0c0c0…), which this browser does not hold: load that file in the Weights panel to run (or choose other weights).',
    );
    expect(weightsBlockedReason(true, state, '', null)).toBe('Loading the weights this link names…');
    expect(weightsBlockedReason(true, state, `mlp|${FILE}`, null)).toBeNull();
    expect(weightsBlockedReason(true, { model: 'mlp', weights: 'init' }, '', null)).toBeNull();
    expect(weightsBlockedReason(false, state, '', null)).toBeNull();
  });

  it('a request runs every cell on the weights it started with, even if new ones are set meanwhile', async () => {
    const model = buildModel('mlp');
    const cfg = { ...DEFAULT_CONFIG, model: 'mlp' as const, dataset: 'synthetic' as const, seed: 0, batchSize: 32, examplesPerClass: 2 };
    const plan = sweepPlanOf(cfg, {
      ...DEFAULT_TRAIN_SETTINGS,
      budget: 'steps',
      steps: 3,
      trainBatch: 32,
      sweepMethods: ['rand'],
      sweepDensities: [0.5],
      sweepSeeds: 2,
      dense: false,
    });
    const a = initStateDict(model, 11);
    const b = initStateDict(model, 12);
    const run = async (switching: boolean) => {
      let calls = 0;
      const runner = new TrainRunner({ streamMs: 0, weightsFor: () => ({ key: 'k', stateDict: switching && calls++ > 0 ? b : a }) });
      return (await runner.run(
        { id: 1, kind: 'sweep', plan: { ...plan, recipe: { ...plan.recipe, evalBatchSize: 256 } }, skip: [] },
        () => undefined,
      ))!;
    };
    const steady = await run(false);
    const switched = await run(true);
    expect(switched.map((r) => [r.testLoss, r.trainLoss])).toEqual(steady.map((r) => [r.testLoss, r.trainLoss]));
  });

  it("a restarted worker is given the user's weights again before any request; if it refuses, the page hears so", async () => {
    let restore: ((api: never, generation: number) => Promise<void>) | null = null;
    const calls: unknown[][] = [];
    let refuse = false;
    const api = {
      setWeights: async (...args: unknown[]) => {
        calls.push(args);
        if (refuse) throw new Error('shape mismatch');
        return { model: 'mlp', choice: FILE, label: 'm.safetensors', sha256: 'c0'.repeat(32) };
      },
    };
    const client = {
      remote: async () => ({ api, generation: 1 }),
      onStart: (f: typeof restore) => ((restore = f), () => undefined),
    } as unknown as LabClient;
    const source = new WorkerSource(client);
    const lost: string[] = [];
    source.onWeightsLost((m) => lost.push(m));
    const bytes = new Uint8Array([1, 2, 3]);
    await source.setWeights('mlp', FILE, bytes, 'm.safetensors');
    expect(restore).not.toBeNull();
    await restore!(api as never, 1);
    expect(calls).toHaveLength(1);
    await restore!(api as never, 2);
    expect(calls[1]).toEqual(['mlp', FILE, bytes, 'm.safetensors']);
    refuse = true;
    await restore!(api as never, 3);
    expect(lost).toEqual([
      'The compute worker restarted and your weights could not be given to it again (shape mismatch); runs now start from the random init.',
    ]);
  });
});

describe('the store notices', () => {
  it('a refused write and records set aside read as one clear line', () => {
    const quota = Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
    expect(writeFailure('sweep cell mag@0.1#0', quota)).toBe(
      'The browser refused to store sweep cell mag@0.1#0 (the browser’s storage quota is full): it is kept on this page until you reload; free some site storage or download the results.',
    );
    expect(quarantineNotice('sweep cell', ['a stored sweep cell: result.testAccuracy is above 1'])).toBe(
      '1 stored sweep cell could not be read and was set aside (not shown): a stored sweep cell: result.testAccuracy is above 1.',
    );
    expect(quarantineNotice('run', [])).toBeNull();
  });
});
