// Contract between ingest and the mission readers.
import type { StacItem } from "../stac/types.ts";
import type { ObjectInfo, ObjectStore } from "../storage/object-store.ts";
import type { ZipMemberRef } from "../zip/zip-member.ts";

/** Where an asset sits inside a zipped product (shared/zip/zip-member.ts), under MEMBER_FIELD. */
export type { ZipMemberRef };

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

/** The asset field that holds its ZipMemberRef. */
export const MEMBER_FIELD = "hexarchive:member";
