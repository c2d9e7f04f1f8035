// The sweep's time line: measured cell times × the grid, nothing promised before a cell is measured.
import { describe, expect, it } from 'vitest';
import type { TrainResult } from '../../shared/protocol';
import { secondsPerCell, sweepTimeLine } from './sweepTime';

const cell = (pruneSeconds: number, trainSeconds: number) => ({ pruneSeconds, trainSeconds }) as TrainResult;

describe('sweep time', () => {
  it('the mean of prune + train seconds per cell', () => {
    expect(secondsPerCell([cell(1, 59), cell(0, 120), cell(2, 178)])).toBe(120);
    expect(secondsPerCell([])).toBeNull();
  });
  it('says the whole grid and what is left at the measured rate', () => {
    // 2 min per cell × 63 cells = 126 min; 60 left = 120 min
    expect(sweepTimeLine(63, [cell(1, 59), cell(0, 120), cell(2, 178)])).toBe(
      'About 126 min 0 s in all (2 min 0 s per cell, measured on 3 cells here); 60 cells left, about 120 min 0 s.',
    );
    expect(sweepTimeLine(1, [cell(0.5, 9.5)])).toBe('About 10.0 s in all (10.0 s per cell, measured on 1 cell here).');
  });
  it('promises nothing before a cell is measured', () => {
    expect(sweepTimeLine(63, [])).toMatch(/^Time: measured by the first cell/);
  });
});
