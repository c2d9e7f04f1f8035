// A streaming reader for tar archives (POSIX ustar and GNU, with GNU long names and pax paths):
// enough for cifar-10-binary.tar.gz without holding the whole archive in memory. fflate does
// gzip but not tar, and tar's format is small.
import { concatTyped } from '../concat';

export interface TarEntry {
  /** Full path inside the archive. */
  name: string;
  size: number;
  /** '0' file, '5' folder, … (typeflag). */
  type: string;
}

/** Receives an entry's bytes, chunk by chunk (null: skip the entry). */
export type EntrySink = ((chunk: Uint8Array) => void) | null;

/** The archive is not tar, or is truncated or corrupted; the message names it. */
export class TarFormatError extends Error {
  override name = 'TarFormatError';
}

const BLOCK = 512;
const ascii = new TextDecoder('latin1');

function cString(b: Uint8Array, start: number, len: number): string {
  const end = b.indexOf(0, start);
  return ascii.decode(b.subarray(start, end < 0 || end > start + len ? start + len : end));
}

function octal(b: Uint8Array, start: number, len: number): number {
  const s = cString(b, start, len).trim();
  return s === '' ? 0 : /^[0-7]+$/.test(s) ? parseInt(s, 8) : NaN;
}

/** Checked against every size a header declares, before the entry's sink is made. */
export interface TarLimits {
  /** Bytes of the whole (uncompressed) archive, when known: no entry may end past it. */
  archiveBytes?: number;
  /** The largest regular entry accepted. */
  maxEntryBytes?: number;
}

export class TarReader {
  private head = new Uint8Array(BLOCK);
  private headFill = 0;
  /** Bytes of the current entry still to come, then padding to skip. */
  private remaining = 0;
  private padding = 0;
  private entry: TarEntry | null = null;
  private sink: EntrySink = null;
  /** GNU 'L' / pax 'x' records collect their data here to name the next entry. */
  private meta: { type: string; data: Uint8Array; fill: number } | null = null;
  private nextName: string | null = null;
  /** Archive bytes consumed so far. */
  private pos = 0;
  private ended = false;
  entries = 0;

  constructor(
    private readonly archive: string,
    private readonly onEntry: (e: TarEntry) => EntrySink,
    private readonly limits: TarLimits = {},
  ) {}

  push(chunk: Uint8Array): void {
    let p = 0;
    while (p < chunk.length && !this.ended) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - p);
        const part = chunk.subarray(p, p + n);
        if (this.meta) {
          this.meta.data.set(part, this.meta.fill);
          this.meta.fill += n;
        } else this.sink?.(part);
        this.remaining -= n;
        p += n;
        this.pos += n;
        if (this.remaining === 0) this.finishEntry();
      } else if (this.padding > 0) {
        const n = Math.min(this.padding, chunk.length - p);
        this.padding -= n;
        p += n;
        this.pos += n;
      } else {
        const n = Math.min(BLOCK - this.headFill, chunk.length - p);
        this.head.set(chunk.subarray(p, p + n), this.headFill);
        this.headFill += n;
        p += n;
        this.pos += n;
        if (this.headFill === BLOCK) {
          this.headFill = 0;
          this.header();
        }
      }
    }
  }

  /** Call after the last chunk: throws when the archive stops inside an entry. */
  end(): void {
    if (!this.ended) {
      if (this.remaining > 0 && this.entry) {
        const got = this.entry.size - this.remaining;
        throw new TarFormatError(
          `${this.archive} ends inside ${this.entry.name} (${got} of ${this.entry.size} bytes): the file is truncated (an interrupted download?)`,
        );
      }
      if (this.remaining > 0 || this.headFill > 0)
        throw new TarFormatError(`${this.archive} ends inside a tar header: the file is truncated`);
    }
    if (this.entries === 0) throw new TarFormatError(`${this.archive} is an empty tar archive`);
  }

  private header(): void {
    const h = this.head;
    if (h.every((v) => v === 0)) {
      this.ended = true; // end-of-archive marker; anything after it is ignored
      return;
    }
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
    const stored = octal(h, 148, 8);
    const at = this.pos - BLOCK;
    if (stored !== sum) {
      throw new TarFormatError(
        this.entries === 0 && !this.meta && this.nextName === null
          ? `${this.archive} is not a tar archive`
          : `${this.archive} is corrupted: the tar header at byte ${at} fails its checksum`,
      );
    }
    const size = octal(h, 124, 12);
    if (!Number.isFinite(size)) throw new TarFormatError(`${this.archive} is corrupted: unreadable entry size in a tar header`);
    const type = String.fromCharCode(h[156] || 0x30);
    let name = cString(h, 0, 100);
    if (cString(h, 257, 6) === 'ustar') {
      const prefix = cString(h, 345, 155);
      if (prefix && h[263] === 0x30) name = `${prefix}/${name}`; // POSIX "ustar\0" "00" only
    }
    if (this.nextName !== null) {
      name = this.nextName;
      this.nextName = null;
    }
    const { archiveBytes, maxEntryBytes } = this.limits;
    if (archiveBytes !== undefined && this.pos + size > archiveBytes) {
      const left = Math.max(0, archiveBytes - this.pos);
      throw new TarFormatError(
        `${this.archive} ends inside ${name} (${left} of ${size} bytes): the file is truncated (an interrupted download?) or its tar header at byte ${at} is corrupted`,
      );
    }
    if (maxEntryBytes !== undefined && size > maxEntryBytes && type !== 'L' && type !== 'x')
      throw new TarFormatError(`${this.archive}: tar entry ${name} declares ${size} bytes, more than the ${maxEntryBytes} accepted`);
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (type === 'L' || type === 'x') {
      if (size > 1 << 20) throw new TarFormatError(`${this.archive} is corrupted: a ${size}-byte tar metadata record`);
      this.meta = { type, data: new Uint8Array(size), fill: 0 };
    } else {
      this.entry = { name, size, type };
      this.entries++;
      this.sink = type === '0' || type === '7' ? this.onEntry(this.entry) : null;
    }
    if (size === 0) this.finishEntry();
  }

  private finishEntry(): void {
    if (this.meta) {
      const text = ascii.decode(this.meta.data);
      if (this.meta.type === 'L') this.nextName = text.replace(/\0.*$/s, '');
      else {
        const path = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text);
        if (path) this.nextName = new TextDecoder().decode(Uint8Array.from(path[1], (ch) => ch.charCodeAt(0)));
      }
      this.meta = null;
      return;
    }
    this.entry = null;
    this.sink = null;
  }
}

/** Writes a ustar archive (tests and fixtures): regular files and folders. */
export function writeTar(entries: { name: string; data?: Uint8Array; folder?: boolean }[]): Uint8Array<ArrayBuffer> {
  const blocks: Uint8Array[] = [];
  const enc = new TextEncoder();
  const put = (h: Uint8Array, at: number, s: string) => h.set(enc.encode(s), at);
  for (const e of entries) {
    const data = e.data ?? new Uint8Array(0);
    if (e.name.length > 100) throw new Error(`tar name too long for this writer: ${e.name}`);
    const h = new Uint8Array(BLOCK);
    put(h, 0, e.name);
    put(h, 100, e.folder ? '0000755\0' : '0000644\0');
    put(h, 108, '0000000\0');
    put(h, 116, '0000000\0');
    put(h, 124, data.length.toString(8).padStart(11, '0') + '\0');
    put(h, 136, '14000000000\0');
    put(h, 148, '        ');
    h[156] = (e.folder ? '5' : '0').charCodeAt(0);
    put(h, 257, 'ustar\0');
    put(h, 263, '00');
    let sum = 0;
    for (const v of h) sum += v;
    put(h, 148, sum.toString(8).padStart(6, '0') + '\0 ');
    blocks.push(h);
    if (data.length) {
      const padded = new Uint8Array(Math.ceil(data.length / BLOCK) * BLOCK);
      padded.set(data);
      blocks.push(padded);
    }
  }
  blocks.push(new Uint8Array(2 * BLOCK));
  return concatTyped(Uint8Array, blocks);
}
