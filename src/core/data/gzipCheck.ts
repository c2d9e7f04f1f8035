// The gzip trailer check fflate's streaming Gunzip leaves out: CRC32 of the decompressed bytes
// and ISIZE (their length mod 2^32), both stored in the last 8 bytes of a gzip member (RFC 1952).
// Without it a corrupted deflate stream that still decodes is accepted as data.

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC32 (the gzip/zip polynomial) continued from `crc` over `data`. */
export function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** Feeds on the compressed input (for the trailer) and the decompressed output (for CRC and size). */
export class GzipTrailerCheck {
  private crc = 0;
  private size = 0;
  private tail = new Uint8Array(8);
  private tailFill = 0;

  constructor(private readonly file: string) {}

  input(chunk: Uint8Array): void {
    if (chunk.length >= 8) {
      this.tail.set(chunk.subarray(chunk.length - 8));
      this.tailFill = 8;
      return;
    }
    const keep = Math.min(8 - chunk.length, this.tailFill);
    this.tail.copyWithin(0, this.tailFill - keep, this.tailFill);
    this.tail.set(chunk, keep);
    this.tailFill = keep + chunk.length;
  }

  output(data: Uint8Array): void {
    this.crc = crc32(data, this.crc);
    this.size = (this.size + data.length) % 2 ** 32;
  }

  /** After the last chunk: throws a message naming the file when CRC32 or ISIZE disagree. */
  finish(): void {
    if (this.tailFill < 8) throw new Error(`${this.file} is truncated: no gzip trailer`);
    const v = new DataView(this.tail.buffer);
    const crc = v.getUint32(0, true);
    const isize = v.getUint32(4, true);
    const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
    if (crc !== this.crc)
      throw new Error(`${this.file} is corrupted: the gzip CRC32 check failed (stored ${hex(crc)}, data gives ${hex(this.crc)})`);
    if (isize !== this.size)
      throw new Error(`${this.file} is corrupted: the gzip trailer says ${isize} bytes (mod 2^32), the data has ${this.size}`);
  }
}
