// CIFAR-10 from the files of the official binary release, parsed in the browser (Web Worker) or
// in Node: cifar-10-binary.tar.gz, a .tar of it, or data_batch_N.bin / test_batch.bin files.
// A batch file is records of 1 label byte (0..9) + 3072 pixel bytes (R, G, B planes of 32×32).
// Files are read in chunks (a File is sliced, never read whole), gunzipped by fflate's stream
// and untarred as they come, so the 170 MB archive never sits in memory twice, and a progress
// callback sees every chunk. Anything else gives an error that says what was expected.
import { Gunzip } from 'fflate';
import { throwIfAborted } from '../abort';
import type { LabDataset, Split } from './dataset';
import { imageDataset, partsSplit, type ImageSplit, type TargetOptions } from './image-dataset';
import { NORMALIZATION } from './normalization';
import { GzipTrailerCheck } from './gzipCheck';
import { TarFormatError, TarReader } from './tar';

export const CIFAR_IMAGE_BYTES = 3072;
export const CIFAR_RECORD_BYTES = 3073;
export const CIFAR_CLASS_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** Anything sliceable with a size: a browser File or Blob, or Node's fs.openAsBlob() result. */
export interface BlobLike {
  readonly size: number;
  slice(start?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** One input file: a File (it has name, size and slice) or bytes with a name. */
export type CifarInput = { name: string; bytes: Uint8Array | ArrayBuffer } | (BlobLike & { readonly name: string });

export interface CifarProgress {
  /** The input file being read. */
  file: string;
  /** Input bytes read so far, over all files (compressed bytes for a .tar.gz). */
  loaded: number;
  total: number;
  /** loaded / total, 0..1. */
  fraction: number;
  /** Records (images) decoded so far. */
  records: number;
}

export interface CifarParseOptions {
  onProgress?: (p: CifarProgress) => void;
  signal?: AbortSignal;
  /** Read size (default 1 MiB). */
  chunkBytes?: number;
}

/**
 * The largest batch file accepted (an official batch is 30,730,000 bytes): a size declared in a
 * tar header is checked against this before anything is allocated.
 */
export const MAX_BATCH_BYTES = 256 * 1024 * 1024;

/** One batch file's records: images N×3072 (CHW bytes) and labels N. */
export interface CifarBatch {
  /** "data_batch_1.bin" */
  file: string;
  /** Where it came from: the input name, plus the path inside an archive. */
  from: string;
  split: Split;
  /** Batch number (1..5 for data_batch_N), 0 for test_batch. */
  order: number;
  images: Uint8Array;
  labels: Uint8Array;
}

export interface CifarData {
  /** Training batches in batch order, then the test batch(es). */
  batches: CifarBatch[];
  /** data_batch_* concatenated in batch order (the order torchvision's CIFAR10 uses). */
  train: ImageSplit;
  test: ImageSplit;
  /** Names of the input files. */
  sources: string[];
}

/** A file that is not (or no longer) a CIFAR-10 binary file; the message says why. */
export class CifarFormatError extends Error {
  override name = 'CifarFormatError';
}

const OFFICIAL =
  'the official binary release, cifar-10-binary.tar.gz (https://www.cs.toronto.edu/~kriz/cifar.html), or its data_batch_1.bin … data_batch_5.bin / test_batch.bin';

const baseName = (path: string) => path.replace(/\/+$/, '').split(/[\\/]/).pop() ?? path;

/** Train/test and batch number from a batch file's name, or null for other files. */
export function cifarBatchRole(path: string): { split: Split; order: number } | null {
  const base = baseName(path);
  if (!/\.bin$/i.test(base)) return null;
  const train = /data_batch_(\d+)/i.exec(base);
  if (train) return { split: 'train', order: Number(train[1]) };
  if (/test_batch/i.test(base)) return { split: 'test', order: 0 };
  return null;
}

/** Receives one batch file's bytes in chunks and splits them into labels and images. */
class BatchWriter {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  private pos = 0;

  constructor(
    private readonly where: string,
    readonly size: number,
  ) {
    if (size === 0) throw new CifarFormatError(`${where} is empty`);
    if (size > MAX_BATCH_BYTES)
      throw new CifarFormatError(
        `${where} declares ${size} bytes, more than the ${MAX_BATCH_BYTES} accepted for one batch (an official batch is 30,730,000 bytes)`,
      );
    if (size % CIFAR_RECORD_BYTES !== 0) {
      throw new CifarFormatError(
        `${where} has ${size} bytes, not a multiple of ${CIFAR_RECORD_BYTES} (one CIFAR-10 record: 1 label byte + 3072 pixel bytes; ` +
          `an official batch is 30,730,000 bytes): the file is truncated or not a CIFAR-10 binary batch`,
      );
    }
    const n = size / CIFAR_RECORD_BYTES;
    this.images = new Uint8Array(n * CIFAR_IMAGE_BYTES);
    this.labels = new Uint8Array(n);
  }

  get records(): number {
    return Math.floor(this.pos / CIFAR_RECORD_BYTES);
  }

  write = (chunk: Uint8Array): void => {
    if (this.pos + chunk.length > this.size) throw new CifarFormatError(`${this.where} is longer than its declared ${this.size} bytes`);
    let p = 0;
    while (p < chunk.length) {
      const r = Math.floor(this.pos / CIFAR_RECORD_BYTES);
      const k = this.pos % CIFAR_RECORD_BYTES;
      if (k === 0) {
        const label = chunk[p];
        if (label > 9) {
          throw new CifarFormatError(
            `${this.where}: record ${r} has label ${label}, but CIFAR-10 labels are 0–9: the file is corrupted or not a CIFAR-10 binary batch ` +
              '(CIFAR-100 records have 2 label bytes)',
          );
        }
        this.labels[r] = label;
        p++;
        this.pos++;
      } else {
        const n = Math.min(CIFAR_RECORD_BYTES - k, chunk.length - p);
        this.images.set(chunk.subarray(p, p + n), r * CIFAR_IMAGE_BYTES + k - 1);
        p += n;
        this.pos += n;
      }
    }
  };

  finish(): void {
    if (this.pos !== this.size)
      throw new CifarFormatError(`${this.where} ends after ${this.pos} of ${this.size} bytes: the file is truncated`);
  }
}

/** Our own format errors (as CifarFormatError), or null for anything else. */
const ours = (e: unknown): CifarFormatError | null =>
  e instanceof CifarFormatError ? e : e instanceof TarFormatError ? new CifarFormatError(e.message) : null;

// A File is told apart by slice(): recent Blobs also have a bytes() method
const isBlob = (f: CifarInput): f is BlobLike & { readonly name: string } => typeof (f as Partial<BlobLike>).slice === 'function';

const inputSize = (f: CifarInput) => (isBlob(f) ? f.size : f.bytes.byteLength);

async function* readChunks(f: CifarInput, chunkBytes: number): AsyncGenerator<Uint8Array> {
  if (!isBlob(f)) {
    const b = f.bytes instanceof Uint8Array ? f.bytes : new Uint8Array(f.bytes);
    for (let o = 0; o < b.length; o += chunkBytes) yield b.subarray(o, Math.min(b.length, o + chunkBytes));
  } else {
    for (let o = 0; o < f.size; o += chunkBytes) yield new Uint8Array(await f.slice(o, Math.min(f.size, o + chunkBytes)).arrayBuffer());
  }
}

type Kind = 'gzip' | 'tar' | 'bin';

function detectKind(name: string, head: Uint8Array): Kind {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (/\.(tgz|gz)$/i.test(name))
    throw new CifarFormatError(
      `${name} is not gzip data (it lacks the gzip signature): the file is corrupted or renamed; expected ${OFFICIAL}`,
    );
  const magic = head.length >= 262 ? String.fromCharCode(...head.subarray(257, 262)) : '';
  if (magic === 'ustar') return 'tar';
  if (/\.tar$/i.test(name))
    throw new CifarFormatError(`${name} is not a tar archive: the file is corrupted or renamed; expected ${OFFICIAL}`);
  if (/\.bin$/i.test(name)) return 'bin';
  throw new CifarFormatError(`${name} is not a CIFAR-10 file: expected ${OFFICIAL}`);
}

/** Where one input file's chunks go, and the check after its last chunk. */
interface FileReader {
  push(chunk: Uint8Array, last: boolean): void;
  finish(): void;
}

type StartBatch = (path: string, from: string, size: number) => BatchWriter | null;

/** The uncompressed size a gzip trailer states (ISIZE, mod 2^32), read before inflating. */
async function gzipStatedSize(f: CifarInput, size: number): Promise<number> {
  if (size < 18) throw new CifarFormatError(`${f.name} is truncated: ${size} bytes cannot hold a gzip header and trailer`);
  const tail = isBlob(f)
    ? new Uint8Array(await f.slice(size - 4, size).arrayBuffer())
    : (f.bytes instanceof Uint8Array ? f.bytes : new Uint8Array(f.bytes)).subarray(size - 4, size);
  return new DataView(tail.buffer, tail.byteOffset, 4).getUint32(0, true);
}

function gunzipError(name: string, e: unknown): Error {
  const o = ours(e);
  if (o) return o;
  // fflate's own errors: "unexpected EOF", "invalid block type", …
  const msg = (e as Error).message;
  return new CifarFormatError(
    /EOF/i.test(msg)
      ? `${name} is truncated: the gzip data ends early (an interrupted download?)`
      : `${name} is corrupted: gunzip failed (${msg})`,
  );
}

async function openReader(f: CifarInput, kind: Kind, size: number, startBatch: StartBatch, others: string[]): Promise<FileReader> {
  if (kind === 'bin') {
    const w = startBatch(f.name, f.name, size);
    if (!w)
      throw new CifarFormatError(
        `${f.name}: not a CIFAR-10 batch name, so train or test is unknown; expected data_batch_1.bin … data_batch_5.bin or test_batch.bin`,
      );
    return { push: (c) => w.write(c), finish: () => w.finish() };
  }
  // entries may not declare more than the archive holds: its size for a .tar, the gzip trailer's
  // ISIZE for a .tar.gz (checked against the data at the end)
  const archiveBytes = kind === 'tar' ? size : await gzipStatedSize(f, size);
  const tar = new TarReader(
    f.name,
    (e) => {
      const w = startBatch(e.name, `${f.name}: ${e.name}`, e.size);
      if (!w) others.push(e.name);
      return w ? w.write : null;
    },
    { archiveBytes, maxEntryBytes: MAX_BATCH_BYTES },
  );
  if (kind === 'tar') return { push: (c) => tar.push(c), finish: () => tar.end() };
  const check = new GzipTrailerCheck(f.name);
  const gz = new Gunzip((data) => {
    check.output(data);
    tar.push(data);
  });
  gz.onmember = (offset) => {
    if (offset > 0)
      throw new CifarFormatError(
        `${f.name} holds more than one gzip member (bytes after the first end at ${offset}): the file is corrupted or not the official archive`,
      );
  };
  return {
    push: (c, last) => {
      check.input(c);
      try {
        gz.push(c, last);
      } catch (e) {
        throw gunzipError(f.name, e);
      }
    },
    finish: () => {
      try {
        check.finish();
      } catch (e) {
        throw new CifarFormatError((e as Error).message);
      }
      tar.end();
    },
  };
}

/**
 * Parses CIFAR-10 binary files (see the file comment). Throws CifarFormatError with a message
 * naming the file and the problem: not gzip/tar, truncated, not whole records, labels outside
 * 0..9, no batch files at all, the same batch twice.
 */
export async function parseCifarFiles(files: readonly CifarInput[], opts: CifarParseOptions = {}): Promise<CifarData> {
  const chunkBytes = Math.max(512, opts.chunkBytes ?? 1 << 20); // the first chunk must hold a tar header
  if (files.length === 0) throw new CifarFormatError(`no file given: expected ${OFFICIAL}`);
  const total = files.reduce((n, f) => n + inputSize(f), 0);
  const batches: CifarBatch[] = [];
  const writers: BatchWriter[] = [];
  const others: string[] = [];
  let loaded = 0;
  const records = () => writers.reduce((n, w) => n + w.records, 0);

  const startBatch = (path: string, from: string, size: number): BatchWriter | null => {
    const role = cifarBatchRole(path);
    if (!role) return null;
    const clash = batches.find((b) => b.split === role.split && b.order === role.order);
    if (clash) throw new CifarFormatError(`${baseName(path)} was given twice (${clash.from} and ${from})`);
    const w = new BatchWriter(from, size);
    batches.push({ file: baseName(path), from, ...role, images: w.images, labels: w.labels });
    writers.push(w);
    return w;
  };

  for (const f of files) {
    const size = inputSize(f);
    if (size === 0) throw new CifarFormatError(`${f.name} is empty: expected ${OFFICIAL}`);
    let reader: FileReader | null = null;
    let read = 0;
    for await (const chunk of readChunks(f, chunkBytes)) {
      throwIfAborted(opts.signal);
      if (reader === null) reader = await openReader(f, detectKind(f.name, chunk), size, startBatch, others);
      read += chunk.length;
      loaded += chunk.length;
      try {
        reader.push(chunk, read >= size);
      } catch (e) {
        throw ours(e) ?? e;
      }
      opts.onProgress?.({ file: f.name, loaded, total, fraction: total ? loaded / total : 1, records: records() });
    }
    try {
      reader?.finish();
    } catch (e) {
      throw ours(e) ?? e;
    }
  }

  if (batches.length === 0) {
    const seen = others.filter((n) => !n.endsWith('/')).map(baseName);
    throw new CifarFormatError(
      `no CIFAR-10 batch files (data_batch_N.bin, test_batch.bin) in ${files.map((f) => f.name).join(', ')}` +
        (seen.length ? ` (it holds ${seen.slice(0, 5).join(', ')}${seen.length > 5 ? ', …' : ''})` : '') +
        `: the Python/MATLAB versions and CIFAR-100 are not supported; expected ${OFFICIAL}`,
    );
  }
  batches.sort((a, b) => (a.split === b.split ? a.order - b.order : a.split === 'train' ? -1 : 1));
  const split = (s: Split) =>
    partsSplit(
      batches.filter((b) => b.split === s),
      CIFAR_IMAGE_BYTES,
    );
  return { batches, train: split('train'), test: split('test'), sources: files.map((f) => f.name) };
}

/**
 * The lab reads both splits: scoring the training split, the NTK spectrum the test split. A set
 * missing one is refused at load (with what to add), so it never replaces a usable set.
 */
export function requireBothSplits(data: CifarData): void {
  const names = data.sources.map(baseName).join(', ');
  if (data.train.count === 0) {
    throw new CifarFormatError(
      `${names}: no training batch (data_batch_N.bin) among these files (${data.test.count} test images); scoring reads the training split, so load data_batch_1.bin … data_batch_5.bin too (or the whole cifar-10-binary.tar.gz)`,
    );
  }
  if (data.test.count === 0) {
    throw new CifarFormatError(
      `${names}: no test batch (test_batch.bin) among these files (${data.train.count} training images); the NTK spectrum reads the test split, so load test_batch.bin too (or the whole cifar-10-binary.tar.gz)`,
    );
  }
}

/** Parsed CIFAR-10 served to a model input (see adapt.ts); it needs at least one training batch. */
export function cifarDataset(data: CifarData, target: TargetOptions): LabDataset {
  if (data.train.count === 0)
    throw new Error('CIFAR-10: no training batch (data_batch_N.bin) was loaded; scoring and training read the training split');
  const from = data.sources.length <= 2 ? data.sources.map(baseName).join(', ') : `${data.sources.length} files`;
  return imageDataset(
    {
      name: 'cifar10',
      title: `CIFAR-10 (${from})`,
      sourceShape: [3, 32, 32],
      classes: 10,
      classNames: CIFAR_CLASS_NAMES,
      stats: NORMALIZATION.cifar10,
      splits: { train: data.train, test: data.test },
    },
    target,
  );
}
