// An ObjectStore over a Map, counting requests and bytes so tests can assert "read where it lies".
import { createHash } from "node:crypto";
import type { ObjectInfo, ObjectStore } from "../../shared/storage/object-store.ts";

interface Stored {
  size: number;
  read: (start: number, end: number) => Uint8Array;
  etag?: string;
  contentType?: string;
}

export interface StoreStats {
  requests: number;
  bytes: number;
  /** Requests per kind, e.g. { getRange: 3, head: 1 }. */
  byKind: Record<string, number>;
}

export class MemoryObjectStore implements ObjectStore {
  readonly stats: StoreStats = { requests: 0, bytes: 0, byKind: {} };
  private readonly objects = new Map<string, Stored>();

  constructor(readonly bucket = "test-bucket") {}

  put(key: string, body: Uint8Array | string, contentType?: string): ObjectInfo {
    const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
    const etag = createHash("md5").update(bytes).digest("hex");
    this.objects.set(key, {
      size: bytes.length,
      read: (s, e) => bytes.subarray(s, e),
      etag,
      ...(contentType === undefined ? {} : { contentType }),
    });
    return this.info(key)!;
  }

  /** An object whose bytes are produced on demand (e.g. an 800 MB sparse synthetic product). */
  putLazy(
    key: string,
    size: number,
    read: (start: number, end: number) => Uint8Array,
    etag?: string,
  ): ObjectInfo {
    this.objects.set(key, { size, read, ...(etag === undefined ? {} : { etag }) });
    return this.info(key)!;
  }

  delete(key: string): void {
    this.objects.delete(key);
  }

  resetStats(): void {
    this.stats.requests = 0;
    this.stats.bytes = 0;
    this.stats.byKind = {};
  }

  info(key: string): ObjectInfo | undefined {
    const o = this.objects.get(key);
    if (!o) return undefined;
    return {
      key,
      size: o.size,
      ...(o.etag === undefined ? {} : { etag: `"${o.etag}"` }),
      ...(o.contentType === undefined ? {} : { contentType: o.contentType }),
    };
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    this.count("head", 0);
    return this.info(key);
  }

  async getRange(key: string, start: number, end: number): Promise<Uint8Array> {
    const o = this.must(key);
    const bytes = o.read(Math.max(0, start), Math.min(o.size, end));
    this.count("getRange", bytes.length);
    return bytes;
  }

  async getObject(key: string): Promise<Uint8Array> {
    const o = this.must(key);
    const bytes = o.read(0, o.size);
    this.count("getObject", bytes.length);
    return bytes;
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    this.count("list", 0);
    return [...this.objects.keys()]
      .filter((k) => k.startsWith(prefix))
      .sort()
      .map((k) => this.info(k)!);
  }

  async putObject(key: string, body: Uint8Array | string, contentType?: string): Promise<void> {
    this.put(key, body, contentType);
  }

  private must(key: string): Stored {
    const o = this.objects.get(key);
    if (!o) throw new Error(`NoSuchKey: ${key}`);
    return o;
  }

  private count(kind: string, bytes: number): void {
    this.stats.requests += 1;
    this.stats.bytes += bytes;
    this.stats.byKind[kind] = (this.stats.byKind[kind] ?? 0) + 1;
  }
}
