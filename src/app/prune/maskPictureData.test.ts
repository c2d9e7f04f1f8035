import { describe, expect, it } from 'vitest';
import { layerHeat, topUnits, unitImages } from './maskPictureData';

describe('mask pictures', () => {
  it('each first-layer unit becomes a 28×28 image of the pixels it still sees', () => {
    const data = new Float32Array(3 * 784);
    data[0] = 1; // unit 0 sees pixel (0, 0)
    for (let i = 0; i < 28; i++) data[784 + i * 28 + 27] = 1; // unit 1: the right column
    const imgs = unitImages({ name: 'fc1.weight_mask', shape: [3, 784], data });
    expect(imgs.map((x) => x.kept)).toEqual([1, 28, 0]);
    expect(imgs[1].pixels[27]).toBe(1);
    expect(imgs[1].pixels[26]).toBe(0);
    expect(topUnits(imgs, 2).map((x) => x.unit)).toEqual([1, 0]);
    // not an image-shaped layer: nothing
    expect(unitImages({ name: 'x', shape: [3, 100], data: new Float32Array(300) })).toEqual([]);
  });

  it('a conv layer heat map is the kept fraction per kernel, block-averaged', () => {
    // 2 outputs × 2 inputs × 2×2 kernels: kernel (0,0) full, (1,1) half, others empty
    const data = new Float32Array(16);
    data.fill(1, 0, 4);
    data.fill(1, 12, 14);
    const h = layerHeat({ name: 'conv.weight_mask', shape: [2, 2, 2, 2], data });
    expect([h.rows, h.cols]).toEqual([2, 2]);
    expect(Array.from(h.values)).toEqual([1, 0, 0, 0.5]);
    const small = layerHeat({ name: 'conv.weight_mask', shape: [2, 2, 2, 2], data }, 1);
    expect([small.rows, small.cols]).toEqual([1, 1]);
    expect(small.values[0]).toBeCloseTo(1.5 / 4, 6);
  });
});
