// Pure TypeScript, no tfjs: shared by the core (CLI, worker) and the page (mask export).
// Reading and writing .safetensors (the format PyTorch users exchange state_dicts in):
// 8-byte little-endian header length, a JSON header, then raw little-endian row-major data.
// Pure TypeScript: runs in the browser, in the worker and in Node.

export type SafeDType = 'F32' | 'F64' | 'I64' | 'I32' | 'U8' | 'BOOL';

export interface SafeTensor {
  dtype: SafeDType;
  shape: number[];
  /** F32 → Float32Array, F64 → Float64Array, I64 → BigInt64Array, I32 → Int32Array, U8/BOOL → Uint8Array */
  data: Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;
}

export interface SafeFile {
  tensors: Map<string, SafeTensor>;
  metadata: Record<string, string>;
}

export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

const BYTES: Record<SafeDType, number> = { F32: 4, F64: 8, I64: 8, I32: 4, U8: 1, BOOL: 1 };
const MAX_HEADER = 100 * 1024 * 1024;

function numel(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function parseSafetensors(bytes: Uint8Array, source = 'file'): SafeFile {
  if (bytes.byteLength < 8) throw new SafetensorsError(`${source}: not a safetensors file (only ${bytes.byteLength} bytes, no header length)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen <= 1 || headerLen > MAX_HEADER) throw new SafetensorsError(`${source}: not a safetensors file (header length ${headerLen} is implausible)`);
  if (8 + headerLen > bytes.byteLength) throw new SafetensorsError(`${source}: truncated (header says ${headerLen} bytes, file has ${bytes.byteLength - 8} after the length)`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    throw new SafetensorsError(`${source}: header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new SafetensorsError(`${source}: header is not a JSON object`);
  const dataStart = 8 + headerLen;
  const dataLen = bytes.byteLength - dataStart;
  const metadata: Record<string, string> = {};
  const entries: Array<[string, SafeDType, number[], number, number]> = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (raw && typeof raw === 'object') for (const [k, v] of Object.entries(raw as Record<string, unknown>)) metadata[k] = String(v);
      continue;
    }
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (!e || typeof e !== 'object') throw new SafetensorsError(`${source}: entry "${name}" is not an object`);
    const dtype = e.dtype as SafeDType;
    if (!(typeof dtype === 'string' && dtype in BYTES)) throw new SafetensorsError(`${source}: tensor "${name}" has unsupported dtype ${JSON.stringify(e.dtype)} (supported: ${Object.keys(BYTES).join(', ')})`);
    const shape = e.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new SafetensorsError(`${source}: tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isInteger(d) && d >= 0) || off[0] > off[1]) throw new SafetensorsError(`${source}: tensor "${name}" has invalid data_offsets ${JSON.stringify(off)}`);
    const [begin, end] = off as [number, number];
    const expected = numel(shape as number[]) * BYTES[dtype];
    if (end - begin !== expected) throw new SafetensorsError(`${source}: tensor "${name}" is inconsistent: shape [${shape}] of ${dtype} needs ${expected} bytes, offsets give ${end - begin}`);
    if (end > dataLen) throw new SafetensorsError(`${source}: truncated: tensor "${name}" ends at byte ${end} of the data section, which has only ${dataLen} bytes`);
    entries.push([name, dtype, shape as number[], begin, end]);
  }
  const sorted = [...entries].sort((a, b) => a[3] - b[3]);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i][3] < sorted[i - 1][4]) throw new SafetensorsError(`${source}: tensors "${sorted[i - 1][0]}" and "${sorted[i][0]}" overlap`);
  }
  const tensors = new Map<string, SafeTensor>();
  for (const [name, dtype, shape, begin, end] of entries) {
    // copy into an aligned buffer: the data section need not be aligned for typed arrays
    const buf = bytes.slice(dataStart + begin, dataStart + end).buffer;
    let data: SafeTensor['data'];
    switch (dtype) {
      case 'F32': data = new Float32Array(buf); break;
      case 'F64': data = new Float64Array(buf); break;
      case 'I64': data = new BigInt64Array(buf); break;
      case 'I32': data = new Int32Array(buf); break;
      default: data = new Uint8Array(buf);
    }
    tensors.set(name, { dtype, shape, data });
  }
  return { tensors, metadata };
}

function dtypeOf(data: SafeTensor['data']): SafeDType {
  if (data instanceof Float32Array) return 'F32';
  if (data instanceof Float64Array) return 'F64';
  if (data instanceof BigInt64Array) return 'I64';
  if (data instanceof Int32Array) return 'I32';
  return 'U8';
}

export interface TensorToWrite {
  name: string;
  shape: number[];
  data: SafeTensor['data'];
  dtype?: SafeDType;
}

/** Serialise tensors in the given order; metadata values must be strings. */
export function writeSafetensors(tensors: TensorToWrite[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  const seen = new Set<string>();
  for (const t of tensors) {
    if (seen.has(t.name)) throw new SafetensorsError(`duplicate tensor name "${t.name}"`);
    seen.add(t.name);
    const dtype = t.dtype ?? dtypeOf(t.data);
    if (t.data.length !== numel(t.shape)) throw new SafetensorsError(`tensor "${t.name}": ${t.data.length} values for shape [${t.shape}]`);
    const size = t.data.length * BYTES[dtype];
    header[t.name] = { dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let pos = 8 + json.length;
  for (const t of tensors) {
    const b = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    out.set(b, pos);
    pos += b.byteLength;
  }
  return out;
}

/** Values of a tensor as float32, whatever its stored dtype. */
export function toFloat32(t: SafeTensor): Float32Array {
  if (t.data instanceof Float32Array) return t.data;
  const out = new Float32Array(t.data.length);
  if (t.data instanceof BigInt64Array) for (let i = 0; i < out.length; i++) out[i] = Number(t.data[i]);
  else for (let i = 0; i < out.length; i++) out[i] = t.data[i] as number;
  return out;
}

/** Integer labels (I64, I32, U8 or integral floats) as Int32Array. */
export function toInt32(t: SafeTensor, name = 'tensor'): Int32Array {
  const out = new Int32Array(t.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = Number(t.data[i]);
    if (!Number.isInteger(v)) throw new SafetensorsError(`${name} holds a non-integer value ${v} at ${i}`);
    out[i] = v;
  }
  return out;
}
