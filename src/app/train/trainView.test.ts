// The page's fold of training events: stored cells keep their place, streamed steps append in
// order, a cancel marks the running cell, events of another request are ignored; the sweep's
// mean/spread per point; thinning keeps the last point.
import { describe, expect, it } from 'vitest';
import type { ModelInfo, TrainEvent, TrainResult } from '../../shared/protocol';
import type { SweepCell } from '../../shared/train';
import { emptyTrain, finishedResults, reduceTrain, sweepPoints, sweepTable, thin } from './trainView';
import { trainStatusText } from './TrainPanel';

const model = { name: 'mlp', label: 'MLP', params: 1, prunable: 1, input: [1, 28, 28], classes: 10, layers: [] } as ModelInfo;
const cell = (index: number, method: SweepCell['method'], density: number, seed = 0): SweepCell => ({ index, method, density, seed });
function result(c: SweepCell, acc: number): TrainResult {
  return {
    planId: 'a'.repeat(64),
    cell: c,
    testAccuracy: acc,
    testLoss: 1,
    trainLoss: 1,
    kept: 1,
    total: 10,
    epochs: [],
    pruneSeconds: 0,
    trainSeconds: 0,
    backend: 'wasm',
  };
}
const start = (id: number, cells: SweepCell[], toRun: number[]): TrainEvent => ({
  type: 'train-start',
  requestId: id,
  kind: 'sweep',
  model,
  dataset: 'MNIST',
  backend: 'wasm',
  cells,
  toRun,
  stepsPerCell: 4,
  stepsPerEpoch: 4,
  trainSize: 10,
  testSize: 5,
});

describe('reduceTrain', () => {
  it('folds a sweep with a stored cell, streamed steps, a finished cell and a cancel', () => {
    const cells = [cell(0, 'snip', 0.1), cell(1, 'snip', 0.01), cell(2, 'rand', 0.1)];
    const stored = result(cells[1], 0.5);
    let v = emptyTrain(3, 'sweep', [stored]);
    const events: TrainEvent[] = [
      start(3, cells, [0, 2]),
      { type: 'cell-start', requestId: 3, cell: cells[0], rounds: 1 },
      { type: 'prune-round', requestId: 3, cell: cells[0], round: 1, rounds: 1, density: 0.1 },
      {
        type: 'train-steps',
        requestId: 3,
        cell: cells[0],
        points: [
          { step: 1, loss: 2, lr: 0.1 },
          { step: 2, loss: 1.5, lr: 0.1 },
        ],
        epoch: 0,
        progress: 0.2,
        etaMs: 800,
        msPerStep: 10,
      },
      {
        type: 'train-steps',
        requestId: 99,
        cell: cells[0],
        points: [{ step: 9, loss: 9, lr: 9 }],
        epoch: 0,
        progress: 0.9,
        etaMs: 1,
        msPerStep: 1,
      },
      {
        type: 'train-steps',
        requestId: 3,
        cell: cells[0],
        points: [{ step: 3, loss: 1.2, lr: 0.01 }],
        epoch: 0,
        progress: 0.1,
        etaMs: 600,
        msPerStep: 10,
      },
      { type: 'train-eval', requestId: 3, cell: cells[0], step: 4, epoch: 0, testAccuracy: 0.7, testLoss: 0.9 },
      { type: 'cell-done', requestId: 3, result: result(cells[0], 0.7) },
      { type: 'cell-start', requestId: 3, cell: cells[2], rounds: 1 },
      { type: 'end', requestId: 3, outcome: 'cancelled' },
    ];
    for (const e of events) v = reduceTrain(v, e);
    expect(v.cells.map((c) => [c.cell.index, c.status])).toEqual([
      [0, 'done'],
      [1, 'stored'],
      [2, 'cancelled'],
    ]);
    expect(v.cells[0].losses.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(v.cells[0].evals).toEqual([{ step: 4, epoch: 0, testAccuracy: 0.7, testLoss: 0.9 }]);
    // progress never runs backwards
    expect(v.progress).toBe(0.2);
    expect(v.status).toBe('cancelled');
    expect(
      finishedResults(v)
        .map((r) => r.testAccuracy)
        .sort(),
    ).toEqual([0.5, 0.7]);
  });
});

describe('sweepPoints', () => {
  it('gives the mean, sample standard deviation and range over seeds', () => {
    const rs = [
      result(cell(0, 'px', 0.1, 0), 0.8),
      result(cell(1, 'px', 0.1, 1), 0.9),
      result(cell(2, 'px', 0.1, 2), 0.7),
      result(cell(3, 'dense', 1), 0.95),
    ];
    const p = sweepPoints(rs);
    const px = p.find((x) => x.method === 'px')!;
    expect(px.n).toBe(3);
    expect(px.mean).toBeCloseTo(0.8, 12);
    // sample std of 0.7, 0.8, 0.9 is 0.1
    expect(px.std).toBeCloseTo(0.1, 12);
    expect([px.min, px.max]).toEqual([0.7, 0.9]);
    expect(p.find((x) => x.method === 'dense')).toMatchObject({ n: 1, std: 0, mean: 0.95 });
  });
});

describe('sweepTable', () => {
  it('shows a method cell at density 1 in a 100% column, apart from the dense baseline', () => {
    const t = sweepTable([result(cell(0, 'snip', 1), 0.91), result(cell(1, 'snip', 0.1), 0.8), result(cell(2, 'dense', 1), 0.95)]);
    expect(t.densities).toEqual([1, 0.1]);
    expect(t.rows.map((r) => [r.method, r.cells.map((p) => p?.mean ?? null)])).toEqual([
      ['snip', [0.91, 0.8, null]],
      ['dense', [null, null, 0.95]],
    ]);
  });
});

describe('thin', () => {
  it('keeps at most about max points, evenly, and always the last', () => {
    const a = Array.from({ length: 1001 }, (_, i) => i);
    const t = thin(a, 100);
    expect(t.length).toBeLessThanOrEqual(102);
    expect(t[0]).toBe(0);
    expect(t.at(-1)).toBe(1000);
    expect(thin([1, 2, 3], 10)).toEqual([1, 2, 3]);
  });
});

describe('trainStatusText', () => {
  it('while training, says what an epoch costs at the measured step time (steps per epoch × ms per step); not before a step is timed', () => {
    const c = cell(0, 'snip', 0.1);
    let v = reduceTrain(emptyTrain(5, 'train'), { ...start(5, [c], [0]), stepsPerEpoch: 391 } as TrainEvent);
    v = reduceTrain(v, { type: 'cell-start', requestId: 5, cell: c, rounds: 0 });
    expect(trainStatusText(v, 'line')).not.toContain('per epoch');
    v = reduceTrain(v, {
      type: 'train-steps',
      requestId: 5,
      cell: c,
      points: [{ step: 1, loss: 2, lr: 0.1 }],
      epoch: 0,
      progress: 0.1,
      etaMs: 9000,
      msPerStep: 3000,
    });
    // 391 steps × 3 s = 1173 s
    expect(trainStatusText(v, 'line')).toMatch(/ · 19 min 33 s per epoch · 10% · ETA 9\.0 s$/);
  });
});
