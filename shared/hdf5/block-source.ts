// Reads the file through aligned blocks, so that the many small, nearby metadata structures of an HDF5
// file cost one ranged request per block instead of one each; adjacent missing blocks are fetched
// together. Counts requests and bytes, and refuses to fetch more metadata than the limit allows.
import type { RangeReader, ReadStats } from "../zip/range-reader.ts";
import { ByteCursor } from "./byte-cursor.ts";
import { hdf5Error } from "./hdf5-error.ts";

export const DEFAULT_BLOCK_SIZE = 64 * 1024;

export class BlockSource {
  readonly stats: ReadStats = { requests: 0, bytes: 0 };
  private readonly blocks = new Map<number, Uint8Array>();
  /** Blocks being fetched, so that concurrent reads of one block share a request. */
  private readonly pending = new Map<number, Promise<void>>();

  constructor(
    private readonly reader: RangeReader,
    private readonly maxBytes: number,
    private readonly blockSize = DEFAULT_BLOCK_SIZE,
  ) {}

  get size(): number {
    return this.reader.size;
  }

  /** Bytes [offset, offset + length) of the file; `what` names the structure for error messages. */
  async read(offset: number, length: number, what: string): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || offset < 0 || length < 0 || offset + length > this.reader.size) {
      throw hdf5Error(
        `${what} of ${length} bytes lies beyond the end of the ${this.reader.size}-byte file (truncated?)`,
        offset,
      );
    }
    if (length === 0) return new Uint8Array(0);
    const first = Math.floor(offset / this.blockSize);
    const last = Math.floor((offset + length - 1) / this.blockSize);
    await this.fetch(first, last, what);
    if (first === last) {
      const start = offset - first * this.blockSize;
      return this.blocks.get(first)!.subarray(start, start + length);
    }
    const out = new Uint8Array(length);
    for (let b = first; b <= last; b++) {
      const block = this.blocks.get(b)!;
      const blockStart = b * this.blockSize;
      const from = Math.max(offset, blockStart);
      const to = Math.min(offset + length, blockStart + block.length);
      out.set(block.subarray(from - blockStart, to - blockStart), from - offset);
    }
    return out;
  }

  async cursor(
    offset: number,
    length: number,
    what: string,
    sizes: { offsetSize: number; lengthSize: number },
  ): Promise<ByteCursor> {
    return new ByteCursor(await this.read(offset, length, what), offset, sizes.offsetSize, sizes.lengthSize);
  }

  /** Fetches the missing blocks of [first, last], each run of adjacent missing blocks in one request. */
  private async fetch(first: number, last: number, what: string): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    for (let b = first; b <= last; b++) {
      const p = this.pending.get(b);
      if (p) inFlight.add(p);
    }
    if (inFlight.size > 0) await Promise.all(inFlight);
    const loads: Promise<void>[] = [];
    let b = first;
    while (b <= last) {
      if (this.blocks.has(b)) {
        b++;
        continue;
      }
      let end = b;
      while (end + 1 <= last && !this.blocks.has(end + 1)) end++;
      const load = this.load(b, end, what);
      for (let i = b; i <= end; i++) this.pending.set(i, load);
      loads.push(load);
      b = end + 1;
    }
    await Promise.all(loads);
  }

  private async load(first: number, last: number, what: string): Promise<void> {
    const start = first * this.blockSize;
    const stop = Math.min(this.reader.size, (last + 1) * this.blockSize);
    try {
      if (this.stats.bytes + (stop - start) > this.maxBytes) {
        throw hdf5Error(
          `reading ${what} would take the metadata read past the ${this.maxBytes}-byte limit`,
          start,
        );
      }
      this.stats.requests += 1;
      const bytes = await this.reader.read(start, stop);
      this.stats.bytes += bytes.length;
      if (bytes.length !== stop - start) {
        throw hdf5Error(`short read: asked for ${stop - start} bytes, got ${bytes.length}`, start);
      }
      for (let i = first; i <= last; i++) {
        const from = (i - first) * this.blockSize;
        this.blocks.set(i, bytes.subarray(from, Math.min(bytes.length, from + this.blockSize)));
      }
    } finally {
      for (let i = first; i <= last; i++) this.pending.delete(i);
    }
  }
}
