// Little-endian reads over one fetched structure; every position is reported as an absolute file offset.
import { hdf5Error } from "./hdf5-error.ts";

export const latin1 = new TextDecoder("latin1");
export const utf8 = new TextDecoder("utf-8");

export class ByteCursor {
  pos = 0;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    /** File offset of bytes[0], for messages. */
    readonly base: number,
    readonly offsetSize = 8,
    readonly lengthSize = 8,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get at(): number {
    return this.base + this.pos;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  private need(n: number, what: string): number {
    if (n < 0 || this.pos + n > this.bytes.length) {
      throw hdf5Error(`${what} runs past the end of its ${this.bytes.length}-byte structure`, this.at);
    }
    const p = this.pos;
    this.pos += n;
    return p;
  }

  skip(n: number, what = "field"): void {
    this.need(n, what);
  }

  u8(what = "byte"): number {
    return this.view.getUint8(this.need(1, what));
  }

  u16(what = "16-bit field"): number {
    return this.view.getUint16(this.need(2, what), true);
  }

  u32(what = "32-bit field"): number {
    return this.view.getUint32(this.need(4, what), true);
  }

  /** An unsigned little-endian integer of 1..8 bytes; undefined when all bits are set (HDF5's "undefined"). */
  uintOrUndefined(size: number, what: string): number | undefined {
    const p = this.need(size, what);
    let value = 0;
    let allOnes = true;
    for (let i = size - 1; i >= 0; i--) {
      const b = this.bytes[p + i]!;
      if (b !== 0xff) allOnes = false;
      value = value * 256 + b;
    }
    if (allOnes && size > 1) return undefined;
    if (!Number.isSafeInteger(value)) throw hdf5Error(`${what} ${value} is too large`, this.base + p);
    return value;
  }

  uint(size: number, what: string): number {
    const at = this.at;
    const v = this.uintOrUndefined(size, what);
    if (v === undefined) throw hdf5Error(`${what} is undefined (all bits set)`, at);
    return v;
  }

  /** A file address, or undefined for HDF5's undefined address. */
  address(what = "address"): number | undefined {
    return this.uintOrUndefined(this.offsetSize, what);
  }

  length(what = "length"): number {
    return this.uint(this.lengthSize, what);
  }

  take(n: number, what = "bytes"): Uint8Array {
    const p = this.need(n, what);
    return this.bytes.subarray(p, p + n);
  }

  ascii(n: number, what = "signature"): string {
    return latin1.decode(this.take(n, what));
  }

  expectSignature(signature: string, what: string): void {
    const at = this.at;
    const got = this.ascii(signature.length, `${what} signature`);
    if (got !== signature) {
      throw hdf5Error(`expected ${what} signature "${signature}", found ${JSON.stringify(got)}`, at);
    }
  }

  /** A NUL-terminated string starting here (the terminator is consumed). */
  cString(what: string): string {
    const end = this.bytes.indexOf(0, this.pos);
    if (end < 0) throw hdf5Error(`${what} has no terminating NUL`, this.at);
    const s = utf8.decode(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return s;
  }
}

/** Bytes needed to hold values up to `limit` (HDF5's "limit encode size"). */
export function encodedSize(limit: number): number {
  return Math.floor(floorLog2(limit) / 8) + 1;
}

/** floor(log2(x)) for x >= 1, exactly (Math.log2 rounds near large powers of two). */
export function floorLog2(x: number): number {
  let n = 0;
  for (let v = Math.max(1, Math.floor(x)); v >= 2; v = Math.floor(v / 2)) n++;
  return n;
}
