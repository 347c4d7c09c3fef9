// Contract between ingest and the mission readers.
import type { StacItem } from "../stac/types.ts";
import type { ObjectInfo, ObjectStore } from "../storage/object-store.ts";

export interface ProductContext {
  /** The bucket the object lies in; readers read from it with ranged GETs, never whole products. */
  store: ObjectStore;
  /** The object whose creation triggered the read. */
  object: ObjectInfo;
}

export type ReadOutcome =
  /** An item ready to index. `collection` is set; asset hrefs are `s3://bucket/key`. */
  | { kind: "item"; item: StacItem }
  /**
   * Not a product on its own, and not a fault: e.g. a band of an unzipped product whose manifest has
   * not arrived yet, or an asset file that a sidecar will describe.
   */
  | { kind: "skip"; reason: string };

/**
 * Where an asset sits inside a zipped product, so that it can be served alone.
 * Stored on the asset as `hexarchive:member`.
 */
export interface ZipMemberRef {
  path: string;
  /** Offset of the member's local file header in the archive. */
  localHeaderOffset: number;
  compressedSize: number;
  size: number;
  /** 0 = stored, 8 = deflate. */
  method: number;
  crc32: number;
}

export const MEMBER_FIELD = "hexarchive:member";
