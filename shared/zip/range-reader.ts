// Random access to one object by byte range: the only way archive readers touch a product.
import type { ObjectStore } from "../storage/object-store.ts";

export interface RangeReader {
  /** Total size of the object in bytes. */
  readonly size: number;
  /** Bytes [start, end) of the object. */
  read(start: number, end: number): Promise<Uint8Array>;
}

export interface ReadStats {
  requests: number;
  bytes: number;
}

/** Wraps a reader so that tests and the benchmark can see how many requests and bytes a read cost. */
export function countingReader(inner: RangeReader): RangeReader & { readonly stats: ReadStats } {
  const stats: ReadStats = { requests: 0, bytes: 0 };
  return {
    size: inner.size,
    stats,
    async read(start, end) {
      const bytes = await inner.read(start, end);
      stats.requests += 1;
      stats.bytes += bytes.length;
      return bytes;
    },
  };
}

export function bytesReader(bytes: Uint8Array): RangeReader {
  return {
    size: bytes.length,
    read: async (start, end) => bytes.subarray(Math.max(0, start), Math.min(bytes.length, end)),
  };
}

export function objectReader(store: ObjectStore, key: string, size: number): RangeReader {
  return {
    size,
    read: (start, end) => store.getRange(key, Math.max(0, start), Math.min(size, end)),
  };
}

/** Keeps the last few ranges read, so that a member lying inside an earlier read costs no request. */
export function cachingReader(inner: RangeReader, keep = 4): RangeReader {
  const cache: { start: number; bytes: Uint8Array }[] = [];
  return {
    size: inner.size,
    async read(start, end) {
      for (const c of cache) {
        if (start >= c.start && end <= c.start + c.bytes.length) {
          return c.bytes.subarray(start - c.start, end - c.start);
        }
      }
      const bytes = await inner.read(start, end);
      cache.unshift({ start, bytes });
      if (cache.length > keep) cache.pop();
      return bytes;
    },
  };
}
