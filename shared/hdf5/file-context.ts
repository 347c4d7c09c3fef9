// What every structure reader needs: the block source, the address sizes from the superblock, the base
// address that relative addresses count from, and the limits.
import type { BlockSource } from "./block-source.ts";
import type { ByteCursor } from "./byte-cursor.ts";
import { hdf5Error } from "./hdf5-error.ts";
import type { Hdf5Limits } from "./limits.ts";

export class FileContext {
  private readonly memos = new Map<string, Promise<unknown>>();
  /** Which format variants this file has used so far (e.g. "object header v2", "dense links"). */
  readonly features = new Set<string>();

  constructor(
    readonly source: BlockSource,
    readonly offsetSize: number,
    readonly lengthSize: number,
    /** Absolute offset that the file's addresses are relative to (the superblock's position). */
    readonly base: number,
    readonly limits: Hdf5Limits,
  ) {}

  note(feature: string): void {
    this.features.add(feature);
  }

  /** Parses a structure once per file: headers and heaps are shared by many lookups. */
  memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.memos.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      this.memos.set(key, p);
    }
    return p;
  }

  /** A cursor over `length` bytes at file address `address`. */
  cursor(address: number, length: number, what: string): Promise<ByteCursor> {
    if (length > this.limits.maxStructureBytes) {
      throw hdf5Error(
        `${what} claims ${length} bytes, more than the ${this.limits.maxStructureBytes} allowed`,
        this.base + address,
      );
    }
    return this.source.cursor(this.base + address, length, what, this);
  }

  /** Like cursor, but clipped to the end of the file: for structures whose length is only known once read. */
  cursorUpTo(address: number, length: number, what: string): Promise<ByteCursor> {
    const available = this.source.size - (this.base + address);
    if (available <= 0) {
      throw hdf5Error(
        `${what} lies beyond the end of the ${this.source.size}-byte file`,
        this.base + address,
      );
    }
    return this.cursor(address, Math.min(length, available), what);
  }
}
