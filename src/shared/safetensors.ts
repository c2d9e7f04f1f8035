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
/** The largest header accepted (the reference implementation's limit is 100 MB too). */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

function numel(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A tensor name as shown in messages: quoted, control characters escaped, long names cut. */
export function showName(name: string): string {
  const s = JSON.stringify(name.length > 120 ? `${name.slice(0, 117)}…` : name);
  // JSON.stringify leaves C1 controls, line/paragraph separators and bidi overrides as they are
  return s.replace(
    /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A value as shown in messages: never a bare undefined/null. */
function showValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'an empty value';
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

interface Entry {
  name: string;
  dtype: SafeDType;
  shape: number[];
  begin: number;
  end: number;
}

function readHeader(bytes: Uint8Array, source: string): { header: Record<string, unknown>; dataStart: number } {
  if (bytes.byteLength < 8)
    throw new SafetensorsError(`${source}: not a safetensors file (only ${bytes.byteLength} bytes, no header length)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const big = view.getBigUint64(0, true);
  if (big < 2n || big > BigInt(MAX_HEADER_BYTES)) {
    throw new SafetensorsError(
      `${source}: not a safetensors file (header length ${big} is implausible: accepted are 2..${MAX_HEADER_BYTES} bytes)`,
    );
  }
  const headerLen = Number(big);
  if (8 + headerLen > bytes.byteLength)
    throw new SafetensorsError(`${source}: truncated (header says ${headerLen} bytes, file has ${bytes.byteLength - 8} after the length)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen));
  } catch {
    throw new SafetensorsError(`${source}: header is not valid UTF-8 (the header length or the header bytes are wrong)`);
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    // the engine's message quotes header bytes, which may be anything: only the position is kept
    const at = /position (\d+)/.exec((e as Error).message);
    throw new SafetensorsError(
      `${source}: header is not valid JSON${at ? ` (at byte ${at[1]} of the header)` : ''}: the header length or the header bytes are wrong`,
    );
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    throw new SafetensorsError(`${source}: header is not a JSON object`);
  return { header: header as Record<string, unknown>, dataStart: 8 + headerLen };
}

function readEntry(name: string, raw: unknown, dataLen: number, source: string): Entry {
  const t = `${source}: tensor ${showName(name)}`;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new SafetensorsError(`${t} is not described by an object (got ${showValue(raw)})`);
  const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  for (const field of ['dtype', 'shape', 'data_offsets'] as const)
    if (e[field] === undefined || e[field] === null) throw new SafetensorsError(`${t} has no "${field}" field`);
  const dtype = e.dtype as SafeDType;
  if (!(typeof dtype === 'string' && Object.hasOwn(BYTES, dtype)))
    throw new SafetensorsError(`${t} has unsupported dtype ${showValue(e.dtype)} (supported: ${Object.keys(BYTES).join(', ')})`);
  const shape = e.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
    throw new SafetensorsError(`${t} has an invalid shape ${showValue(shape)} (expected a list of non-negative integers)`);
  const off = e.data_offsets;
  if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new SafetensorsError(`${t} has invalid data_offsets ${showValue(off)} (expected [begin, end], non-negative integers)`);
  }
  const [begin, end] = off as [number, number];
  if (begin > end) throw new SafetensorsError(`${t} has data_offsets [${begin}, ${end}] that end before they begin`);
  if (end > dataLen)
    throw new SafetensorsError(
      `${t} ends at byte ${end} of the data section, which has only ${dataLen} bytes: the file is truncated or its offsets are wrong`,
    );
  // shape × dtype, computed so that a huge shape cannot overflow into a match
  const count = numel(shape as number[]);
  const expected = count * BYTES[dtype];
  if (!Number.isSafeInteger(expected) || end - begin !== expected) {
    throw new SafetensorsError(
      `${t} is inconsistent: shape [${(shape as number[]).join(', ')}] of ${dtype} needs ${Number.isSafeInteger(expected) ? expected : 'more than 2^53'} bytes, its offsets give ${end - begin}`,
    );
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

/** The tensors must tile the data section: in order from byte 0, no gap, no overlap, no trailing bytes. */
function checkLayout(entries: Entry[], dataLen: number, source: string): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of sorted) {
    if (e.begin < at) {
      const prev = sorted.find((p) => p !== e && p.begin <= e.begin && p.end > e.begin)!;
      throw new SafetensorsError(
        `${source}: tensors ${showName(prev.name)} and ${showName(e.name)} overlap (bytes ${e.begin}..${Math.min(prev.end, e.end)} of the data section)`,
      );
    }
    if (e.begin > at)
      throw new SafetensorsError(
        `${source}: bytes ${at}..${e.begin} of the data section belong to no tensor (before ${showName(e.name)}): the offsets or the header length are wrong`,
      );
    at = e.end;
  }
  if (at !== dataLen) {
    throw new SafetensorsError(
      `${source}: the data section has ${dataLen} bytes but the tensors cover ${at}: ${dataLen - at} trailing bytes (the header length or the file is wrong)`,
    );
  }
}

/**
 * Parses a .safetensors file strictly: header length within MAX_HEADER_BYTES, the header valid
 * UTF-8 JSON, every tensor's byte size equal to its dtype × shape, and the tensors covering the
 * data section exactly and contiguously. Anything else is one SafetensorsError line.
 */
export function parseSafetensors(bytes: Uint8Array, source = 'file'): SafeFile {
  const { header, dataStart } = readHeader(bytes, source);
  const dataLen = bytes.byteLength - dataStart;
  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
        throw new SafetensorsError(`${source}: "__metadata__" must be an object of strings (got ${showValue(raw)})`);
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) metadata[k] = typeof v === 'string' ? v : showValue(v);
      continue;
    }
    entries.push(readEntry(name, raw, dataLen, source));
  }
  checkLayout(entries, dataLen, source);
  const tensors = new Map<string, SafeTensor>();
  for (const { name, dtype, shape, begin, end } of entries) {
    // copy into an aligned buffer: the data section need not be aligned for typed arrays
    const buf = bytes.slice(dataStart + begin, dataStart + end).buffer;
    let data: SafeTensor['data'];
    switch (dtype) {
      case 'F32':
        data = new Float32Array(buf);
        break;
      case 'F64':
        data = new Float64Array(buf);
        break;
      case 'I64':
        data = new BigInt64Array(buf);
        break;
      case 'I32':
        data = new Int32Array(buf);
        break;
      default:
        data = new Uint8Array(buf);
    }
    tensors.set(name, { dtype, shape, data });
  }
  return { tensors, metadata };
}

/** Index of the first NaN or ±Inf value, or -1. */
export function firstNonFinite(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}

/** Position of a flat index in a shape, as "[i, j, k]" (row-major). */
export function indexIn(shape: readonly number[], flat: number): string {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(flat % shape[d]);
    flat = Math.floor(flat / shape[d]);
  }
  return `[${idx.join(', ')}]`;
}

/** Throws when a float tensor holds NaN or ±Inf, naming the tensor and the first bad index. */
export function requireFinite(data: ArrayLike<number>, shape: readonly number[], what: string): void {
  const i = firstNonFinite(data);
  if (i >= 0)
    throw new SafetensorsError(`${what} holds ${data[i]} at index ${indexIn(shape, i)} (flat ${i}): weights and inputs must be finite`);
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

/** Values as float32, checked finite: a NaN or ±Inf is an error naming the tensor and its first bad index. */
export function finiteFloat32(t: SafeTensor, what: string): Float32Array {
  const out = toFloat32(t);
  // checked after conversion too: an F64 value beyond float32's range becomes Inf
  requireFinite(out, t.shape, what);
  return out;
}

/** Integer labels (I64, I32, U8 or integral floats) as Int32Array, each checked to be in 0..classes−1 before conversion. */
export function toInt32(t: SafeTensor, name = 'tensor', classes = 2 ** 31 - 1): Int32Array {
  const out = new Int32Array(t.data.length);
  for (let i = 0; i < out.length; i++) {
    const raw = t.data[i];
    // range-checked on the stored value (a BigInt stays exact), so nothing wraps in the Int32Array
    const v = typeof raw === 'bigint' ? (raw >= 0n && raw < BigInt(classes) ? Number(raw) : NaN) : raw;
    if (typeof raw !== 'bigint' && !Number.isInteger(v)) throw new SafetensorsError(`${name} holds a non-integer value ${v} at ${i}`);
    if (!(v >= 0 && v < classes)) throw new SafetensorsError(`${name} holds label ${String(raw)} at ${i}, outside 0..${classes - 1}`);
    out[i] = v;
  }
  return out;
}
