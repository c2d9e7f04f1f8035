import { describe, expect, it } from 'vitest';
import { parseSafetensors, writeSafetensors } from '../core/io/safetensors';
import { writeSafetensorsF32 } from './safetensors';

describe('writeSafetensorsF32', () => {
  it('writes what the core reader reads, byte for byte like the core writer', () => {
    const tensors = [
      { name: 'conv1.weight_mask', shape: [2, 1, 3, 3], data: Float32Array.from({ length: 18 }, (_, i) => i % 2) },
      { name: 'fc.weight_mask', shape: [3, 2], data: new Float32Array([1, 0, 0, 1, 1, 1]) },
    ];
    const meta = { format: 'pt', density: '0.1' };
    const bytes = writeSafetensorsF32(tensors, meta);
    expect(bytes).toEqual(writeSafetensors(tensors, meta));
    const back = parseSafetensors(bytes);
    expect(back.metadata).toEqual(meta);
    expect([...back.tensors.keys()]).toEqual(['conv1.weight_mask', 'fc.weight_mask']);
    expect(Array.from(back.tensors.get('fc.weight_mask')!.data as Float32Array)).toEqual([1, 0, 0, 1, 1, 1]);
    expect(back.tensors.get('conv1.weight_mask')!.shape).toEqual([2, 1, 3, 3]);
  });
});
