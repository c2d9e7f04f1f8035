import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_HEADER_BYTES, parseSafetensors, writeSafetensors, SafetensorsError } from '../src/shared/safetensors';
import { buildModel } from '../src/core/models';
import { checkStateDict, tfToTorch, torchToTf } from '../src/core/models/state';
import { readCase } from './fixtures';

describe('safetensors', () => {
  it('round-trips F32, F64, I64 and I32 tensors with metadata', () => {
    const bytes = writeSafetensors(
      [
        { name: 'a', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
        { name: 'b', shape: [2], data: Float64Array.from([1e300, -2]) },
        { name: 'y', shape: [3], data: BigInt64Array.from([0n, 9n, -1n]) },
        { name: 'z', shape: [], data: Int32Array.from([7]) },
      ],
      { method: 'px', rounds: '100' },
    );
    const f = parseSafetensors(bytes);
    expect(f.metadata).toEqual({ method: 'px', rounds: '100' });
    expect(Array.from(f.tensors.get('a')!.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(f.tensors.get('b')!.dtype).toBe('F64');
    expect(Array.from(f.tensors.get('y')!.data as BigInt64Array)).toEqual([0n, 9n, -1n]);
    expect(f.tensors.get('z')!.shape).toEqual([]);
    // header padded to 8 bytes with spaces, as the format recommends
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).toBe(0);
  });

  it('round-trips any F32 tensor list (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.float({ noNaN: true }), { maxLength: 20 }), { minLength: 1, maxLength: 5 }), (arrays) => {
        const ts = arrays.map((a, i) => ({ name: `t${i}`, shape: [a.length], data: Float32Array.from(a) }));
        const back = parseSafetensors(writeSafetensors(ts));
        ts.forEach((t) => expect(Array.from(back.tensors.get(t.name)!.data as Float32Array)).toEqual(Array.from(t.data)));
      }),
    );
  });

  it('reads the official fixture files', () => {
    const c = readCase('conv_bn');
    expect(c.weights.tensors.get('conv1.weight')!.shape).toEqual([8, 3, 3, 3]);
    expect(c.inputs.tensors.get('y')!.dtype).toBe('I64');
    const exp = c.expected('px_R10_d0.1.safetensors');
    expect(exp.metadata.method).toBe('px');
    expect(exp.tensors.get('conv1.weight_mask')!.dtype).toBe('F32');
  });

  const good = writeSafetensors([{ name: 'w', shape: [4], data: Float32Array.from([1, 2, 3, 4]) }]);
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['empty file', new Uint8Array(0), /not a safetensors file/],
    ['truncated data', good.slice(0, good.length - 4), /truncated/],
    ['truncated header', good.slice(0, 12), /truncated/],
    [
      'implausible header length',
      (() => {
        const b = good.slice();
        new DataView(b.buffer).setBigUint64(0, 1n << 40n, true);
        return b;
      })(),
      /implausible/,
    ],
    [
      'garbage header',
      (() => {
        const b = good.slice();
        b[9] = 0x7b;
        b[10] = 0x7b;
        return b;
      })(),
      /JSON|object|invalid/,
    ],
  ];
  for (const [what, bytes, msg] of cases) {
    it(`rejects ${what} with a clear message`, () => {
      expect(() => parseSafetensors(bytes, 'x.safetensors')).toThrow(SafetensorsError);
      expect(() => parseSafetensors(bytes, 'x.safetensors')).toThrow(msg);
    });
  }

  it('rejects inconsistent shapes and overlapping tensors', () => {
    const enc = (h: object, dataLen: number) => {
      const j = new TextEncoder().encode(JSON.stringify(h));
      const b = new Uint8Array(8 + j.length + dataLen);
      new DataView(b.buffer).setBigUint64(0, BigInt(j.length), true);
      b.set(j, 8);
      return b;
    };
    expect(() => parseSafetensors(enc({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 16] } }, 16))).toThrow(/inconsistent/);
    expect(() =>
      parseSafetensors(
        enc({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, 12),
      ),
    ).toThrow(/overlap/);
    expect(() => parseSafetensors(enc({ w: { dtype: 'Q8', shape: [1], data_offsets: [0, 1] } }, 1))).toThrow(/unsupported dtype/);
  });

  it('weights with wrong names or shapes are rejected with the offending names', () => {
    const model = buildModel('resnet20');
    const c = readCase('resnet20');
    const t = new Map(c.weights.tensors);
    t.delete('fc.bias');
    t.set('conv.weight', { ...t.get('conv.weight')!, shape: [16, 1, 3, 3] });
    t.set('foo.weight', t.get('fc.weight')!);
    expect(() => checkStateDict(model, t, 'w.safetensors')).toThrow(
      /"conv.weight" has shape \[16,1,3,3\], resnet20 needs \[16,3,3,3\]; missing "fc.bias".*unexpected "foo.weight"/,
    );
  });

  it('layout conversion PyTorch ↔ tfjs round-trips (conv, linear)', () => {
    const conv = { torchShape: [4, 3, 2, 5] };
    const lin = { torchShape: [7, 3] };
    for (const info of [conv, lin]) {
      const n = info.torchShape.reduce((a, b) => a * b, 1);
      const v = Float32Array.from({ length: n }, (_, i) => i);
      expect(Array.from(tfToTorch(info, torchToTf(info, v)))).toEqual(Array.from(v));
    }
    // conv [out,in,kh,kw] → [kh,kw,in,out]: element (o=1,i=2,h=0,w=3) lands at (0,3,2,1)
    const v = Float32Array.from({ length: 120 }, (_, i) => i);
    const t = torchToTf(conv, v);
    expect(t[((0 * 5 + 3) * 3 + 2) * 4 + 1]).toBe(((1 * 3 + 2) * 2 + 0) * 5 + 3);
  });
});

describe('strict layout (issue 14, defect 3)', () => {
  const good = writeSafetensors([
    { name: 'a', shape: [2], data: Float32Array.from([1, 2]) },
    { name: 'b', shape: [3], data: Float32Array.from([3, 4, 5]) },
  ]);
  const len = Number(new DataView(good.buffer).getBigUint64(0, true));
  const withLen = (n: number) => {
    const c = good.slice();
    new DataView(c.buffer).setBigUint64(0, BigInt(n), true);
    return c;
  };
  const enc = (h: object, dataLen: number) => {
    const j = new TextEncoder().encode(JSON.stringify(h));
    const b = new Uint8Array(8 + j.length + dataLen);
    new DataView(b.buffer).setBigUint64(0, BigInt(j.length), true);
    b.set(j, 8);
    return b;
  };
  const err = (b: Uint8Array) => {
    try {
      parseSafetensors(b, 'w.safetensors');
      return '';
    } catch (e) {
      expect(e).toBeInstanceOf(SafetensorsError);
      return (e as Error).message;
    }
  };

  it('a header length one byte short is refused (every tensor was read one byte off)', () => {
    expect(err(withLen(len - 1))).toMatch(/w\.safetensors: the data section has 21 bytes but the tensors cover 20: 1 trailing bytes/);
    expect(err(withLen(len + 1))).toMatch(/not valid JSON|belong to no tensor|cover/);
  });
  it('1 MiB of trailing junk is refused', () => {
    const c = new Uint8Array(good.length + 1024 * 1024);
    c.set(good);
    expect(err(c)).toMatch(/1048576 trailing bytes/);
  });
  it('a gap, unsorted offsets and overlaps name the tensors', () => {
    expect(err(enc({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8))).toMatch(
      /bytes 0\.\.4 of the data section belong to no tensor \(before "a"\)/,
    );
    expect(
      err(enc({ b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] }, a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 8)),
    ).toBe('');
    expect(
      err(enc({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8)),
    ).toMatch(/tensors "a" and "b" overlap/);
  });
  it('a missing field is named, never shown as undefined or null', () => {
    const m = err(enc({ w: { dtype: 'F32', shape: [1] } }, 4));
    expect(m).toBe('w.safetensors: tensor "w" has no "data_offsets" field');
    expect(err(enc({ w: { dtype: null, shape: [1], data_offsets: [0, 4] } }, 4))).toBe('w.safetensors: tensor "w" has no "dtype" field');
    expect(err(enc({ w: null }, 0))).not.toMatch(/\b(undefined|null)\b(?!")/);
  });
  it('names with control characters are shown escaped', () => {
    const m = err(enc({ 'evil\u0007\n\u001b[31m': { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, 4));
    expect(m).toContain('"evil\\u0007\\n\\u001b[31m"');
    expect(m).not.toMatch(/[\u0000-\u001f]/);
  });
  it('the header must be valid UTF-8 within the size limit', () => {
    const c = good.slice();
    c[9] = 0xff;
    expect(err(c)).toMatch(/header is not valid UTF-8/);
    expect(err(withLen(MAX_HEADER_BYTES + 1))).toMatch(/implausible: accepted are 2\.\.104857600 bytes/);
  });
  it('shape × dtype must equal the byte size, also for shapes whose product overflows', () => {
    expect(err(enc({ w: { dtype: 'F32', shape: [2 ** 26, 2 ** 26, 2 ** 26], data_offsets: [0, 4] } }, 4))).toMatch(
      /needs more than 2\^53 bytes/,
    );
  });
});
