// The plan that reproduces the paper's CIFAR-10 setting on a cluster (results/paper/, described
// in docs/archive.md) stays a plan of the current code: it parses, its id is what the code
// computes, its densities are the paper's sparsity axis (0.8^(2k), 36.00% … 98.20%) and its recipe
// is the official launch script's (160 epochs, batch 128, SGD 0.1, momentum 0.9, weight decay
// 1e-4, milestones at 80 and 120 epochs, crop and flip).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DENSITY_GRID } from '../src/shared/config';
import { parsePlanFile, planId } from '../src/shared/sweep';
import { learningRate, planCells } from '../src/shared/train';

const file = JSON.parse(readFileSync('results/paper/resnet20-cifar10.plan.json', 'utf8')) as { planId: string };

describe("the paper's CIFAR-10 plan", () => {
  const plan = parsePlanFile(file, 'results/paper/resnet20-cifar10.plan.json');

  it('parses and keeps its id under the current code', () => {
    expect(planId(plan)).toBe(file.planId);
  });

  it("is the paper's grid: ResNet-20 on CIFAR-10, its seven methods, its nine sparsities, three seeds", () => {
    expect([plan.arch, plan.dataset]).toEqual(['resnet20', 'cifar10']);
    expect([...plan.methods].sort()).toEqual(['grasp', 'mag', 'ntksap', 'px-2024', 'rand', 'snip', 'synflow']);
    expect(plan.densities).toEqual(DENSITY_GRID);
    expect(plan.densities.map((d) => (100 * (1 - d)).toFixed(2))).toEqual([
      '36.00',
      '59.04',
      '73.79',
      '83.22',
      '89.26',
      '93.13',
      '95.60',
      '97.19',
      '98.20',
    ]);
    expect(plan.seeds).toEqual([0, 1, 2]);
    expect(planCells(plan)).toHaveLength(7 * 9 * 3 + 3);
    expect([plan.rounds, plan.examplesPerClass, plan.scope]).toEqual([100, 10, 'global']);
  });

  it("trains with the official launch script's recipe: the learning rate drops at epochs 80 and 120", () => {
    const r = plan.recipe;
    expect([r.epochs, r.batchSize, r.lr, r.momentum, r.weightDecay, r.nesterov, r.schedule, r.augment]).toEqual([
      160,
      128,
      0.1,
      0.9,
      1e-4,
      false,
      'multistep',
      true,
    ]);
    const steps = 391; // ceil(50,000 / 128)
    const lrAtEpoch = (e: number) => learningRate(r, e * steps, 160 * steps);
    expect([lrAtEpoch(79), lrAtEpoch(80), lrAtEpoch(119), lrAtEpoch(120)].map((x) => +x.toPrecision(6))).toEqual([0.1, 0.01, 0.01, 0.001]);
  });
});
