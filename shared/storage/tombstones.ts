// Tombstones: what stays of a deleted item (footprint, dates, cause, who and when, the objects it
// had), kept in a partition kind of their own so that readers of item records never meet them.
import type { BBox, Geometry } from "../stac/types.ts";
import type { Deletion, DeletionCause } from "./changes.ts";

export interface Tombstone {
  collection: string;
  id: string;
  geometry: Geometry | null;
  bbox: BBox | null;
  /** The item's datetime (its sort instant), start and end. */
  datetime: string;
  start: string;
  end: string;
  /** A few of the item's properties a listing shows (product type, platform, the upstream name). */
  properties: Record<string, unknown>;
  deletion: Deletion;
  /** When the deletion began (RFC 3339, UTC). */
  deletedAt: string;
  /** The products bucket and the keys the item's product was stored under, removed after the index. */
  bucket?: string;
  objects: string[];
  /** Set once every object is gone: the deletion is complete. */
  objectsRemovedAt?: string;
}

export interface TombstoneQuery {
  collection?: string | undefined;
  cause?: DeletionCause | undefined;
  /** Deleted at or after this instant. */
  since?: string | undefined;
  limit: number;
  /** From a previous page's `next`. */
  cursor?: string | undefined;
}

export interface TombstonePage {
  tombstones: Tombstone[];
  next?: string;
}

/** Reads tombstones (the API's 410 answers and the DHuS `DeletedProducts` view). */
export interface TombstoneReader {
  getTombstone(collection: string, id: string): Promise<Tombstone | undefined>;
  listTombstones(q: TombstoneQuery): Promise<TombstonePage>;
  /** The tombstones of a collection's items whose datetime (index instant) is this one. */
  tombstonesAt(collection: string, datetime: string): Promise<Tombstone[]>;
}

export interface TombstoneStore extends TombstoneReader {
  /**
   * Writes it unless an unfinished deletion's tombstone exists; returns the stored one (the first
   * deletion's cause wins until it is complete).
   */
  putTombstone(t: Tombstone): Promise<Tombstone>;
  /** Marks the deletion complete: every object is gone. */
  markObjectsRemoved(collection: string, id: string, at: string): Promise<void>;
}
