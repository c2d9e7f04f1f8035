// The memory guard against what was measured (wasm heap high-water marks, ResNet-20, Node):
// SNIP on 128 images ran at 1.9 GB, GraSP on 64 at 3.7 GB, GraSP on 128 crashed the 4 GB heap.
import { describe, expect, it } from 'vitest';
import { buildModel } from '../core/models';
import { DEFAULT_CONFIG, type RunConfig } from '../shared/config';
import { BACKEND_BUDGET, estimateMemory } from './memory';

const resnet = buildModel('resnet20');
const cfg = (over: Partial<RunConfig>): RunConfig => ({ ...DEFAULT_CONFIG, model: 'resnet20', dataset: 'synthetic', ...over });

describe('memory guard (wasm budget)', () => {
  it('lets through what ran: the default methods and SNIP at batch 128, GraSP at 32', () => {
    expect(estimateMemory(resnet, cfg({ batchSize: 128 }), BACKEND_BUDGET.wasm).fits).toBe(true);
    expect(estimateMemory(resnet, cfg({ methods: ['snip'], batchSize: 128 }), BACKEND_BUDGET.wasm).fits).toBe(true);
    expect(estimateMemory(resnet, cfg({ methods: ['grasp'], batchSize: 32 }), BACKEND_BUDGET.wasm).fits).toBe(true);
  });
  it('refuses GraSP on 128 images with the estimate and a batch size that fits', () => {
    const e = estimateMemory(resnet, cfg({ methods: ['grasp'], batchSize: 128 }), BACKEND_BUDGET.wasm);
    expect(e.fits).toBe(false);
    expect(e.bytes).toBeGreaterThan(4 * 1024 ** 3);
    const b = Number(/batch size of (\d+)/.exec(e.suggestion ?? '')?.[1]);
    expect(b).toBeGreaterThanOrEqual(32);
    expect(b).toBeLessThan(128);
    expect(estimateMemory(resnet, cfg({ methods: ['grasp'], batchSize: b }), BACKEND_BUDGET.wasm).fits).toBe(true);
    // and says why the batch is not split into micro-batches instead
    expect(e.suggestion).toContain('GraSP: BatchNorm on the statistics of the whole batch');
  });
  it('says nothing of splitting where BatchNorm is absent (the MLP) or no method reads loss batches', () => {
    const mlp = buildModel('mlp');
    const tiny = 1024 ** 2;
    expect(estimateMemory(mlp, { ...DEFAULT_CONFIG, methods: ['grasp'] }, tiny).suggestion).not.toContain('BatchNorm');
    expect(estimateMemory(resnet, cfg({ methods: ['px', 'synflow'] }), tiny).suggestion).not.toContain('BatchNorm');
  });
});
