// Ports for the catalogue index, one per kind of record (rows, items, collections, failures, row
// counts, tile footprints), and `Catalogue`, all of them over one table.
import type { Key } from "../index/keys.ts";
import type { IndexRow, ItemSummary } from "../index/rows.ts";
import type { BBox, StacCollection, StacItem } from "../stac/types.ts";
import type { ChangeLogReader, Deletion } from "./changes.ts";
import type { Tombstone } from "./tombstones.ts";

/** One Query against one partition. */
export interface RowQuery {
  pk: string;
  /** Sort key between [lo, hi] inclusive, or begins_with(prefix). */
  range?: [string, string];
  prefix?: string;
  /** Newest first when the sort key is time-ordered. */
  descending?: boolean;
  /** Filter on the row's time span (applied by DynamoDB after reading). */
  overlaps?: { from: string; to: string };
  /** Rows per request. */
  pageSize?: number;
  startKey?: Record<string, unknown>;
}

export interface RowPage {
  rows: IndexRow[];
  /** Rows DynamoDB read (before its filter). */
  scanned: number;
  capacity: number;
  next?: Record<string, unknown>;
}

export interface StoredItem {
  item: StacItem;
  version: string;
  rowKeys: Key[];
  source?: string;
  /** The cursors of the item's newest changes in the change log, newest first (absent before it kept one). */
  changes?: string[];
  /** Content hash of `item` as stored (shared/stac/content-hash.ts); absent on records older than it. */
  hash?: string;
}

/** The stored item a conditional write expects to replace (undefined: that there is none). */
export interface ExpectedItem {
  version: string;
  source?: string | undefined;
  /**
   * Its rows, when the caller has read the record (a StoredItem is an ExpectedItem): the write then
   * reads nothing first, and the condition alone guarantees these are the rows it replaces.
   */
  rowKeys?: Key[] | undefined;
  /** Its change chain (StoredItem.changes), when read: the next change's cursor follows its newest. */
  changes?: string[] | undefined;
}

/** What reconcile needs of an item record: who wrote it and which version it is. */
export interface ItemSource {
  collection: string;
  id: string;
  version: string;
  source?: string;
}

export interface FailureRecord {
  key: string;
  reason: string;
  time: string;
  code: string;
  etag?: string;
}

export interface CollectionRecord {
  collection: StacCollection;
  /** Longest start-to-end span of any item, so time-ordered scans can bound their start. */
  maxDurationMs: number;
  /** Index levels (keys.ts `Level`) the collection's items have rows at; unknown (all) when absent. */
  levels?: string[];
  /**
   * keys.ts INDEX_FEATURES when the collection's first rows were written by code that keeps them:
   * cloud-band rows for every tile item, and row counts written before the rows they count.
   */
  indexFeatures?: number;
}

export interface IoStats {
  requests: number;
  capacity: number;
}

/** A grid tile's items in a search's res-2 cells: a box holding them all, and about how many they are. */
export interface TileFootprint {
  tile: string;
  bbox: BBox;
  items: number;
}

/** The index rows a search reads. */
export interface RowReader {
  queryRows(q: RowQuery): Promise<RowPage>;
}

/** Item records: the STAC item with its version, source and row keys; written with its index rows. */
export interface ItemRecords {
  getItem(collection: string, id: string): Promise<StoredItem | undefined>;
  getItems(keys: { collection: string; id: string }[]): Promise<Map<string, StoredItem>>;
  /**
   * Write the item's rows and record, then remove rows the previous version had and this one does not.
   * With `expected` (null: no record), only while the stored record is that one; otherwise a
   * retryable TransientError, before any row is written when the change was already visible. The
   * previous record is read first unless `expected` says all it holds (null, or with its `rowKeys`).
   */
  putItem(
    item: StacItem,
    rows: IndexRow[],
    record: Key,
    version: string,
    source?: string,
    expected?: ExpectedItem | null,
  ): Promise<void>;
  /**
   * With `expected`, only while the stored record is that one (false otherwise); read first unless it
   * has `rowKeys`. `deletion` says why, for the change log (absent: cause `other`).
   */
  deleteItem(collection: string, id: string, expected?: ExpectedItem, deletion?: Deletion): Promise<boolean>;
  /** Every item record of a collection, without the item: id, version, source; page by page. */
  listItemSources(collection: string): AsyncIterable<ItemSource[]>;
}

/** Collection records: the STAC collection, its extent and summaries widened by ingest, its levels. */
export interface CollectionRecords {
  getCollection(id: string): Promise<CollectionRecord | undefined>;
  listCollections(): Promise<CollectionRecord[]>;
  putCollection(c: StacCollection): Promise<void>;
  /**
   * Changes the collection as it was stored (without the extent and summaries computed from items) by
   * a function of it, written only if no one else wrote it meanwhile (else read and changed again), so
   * that a concurrent PUT is never lost. False when the collection does not exist.
   */
  updateCollection(id: string, change: (c: StacCollection) => StacCollection): Promise<boolean>;
  /** Removes a collection's record (extent, summaries, levels too) only while it holds no item. */
  deleteCollection(id: string): Promise<"deleted" | "missing" | "not-empty">;
  /** Widen a collection's extent and longest item duration to include an item; creates nothing. */
  extendCollection(id: string, s: ItemSummary): Promise<void>;
}

/** Ingest failures an operator can see, one per object key. */
export interface FailureLog {
  putFailure(f: FailureRecord): Promise<void>;
  /** With `time`, only the record written then (a newer failure of the same key stays). */
  deleteFailure(key: string, time?: string): Promise<void>;
  listFailures(): Promise<FailureRecord[]>;
}

/** Row counts for the planner's estimates (optional: a catalogue may keep none). */
export interface RowCountReader {
  /** Index rows per collection and level in the given base cells (planner estimates); absent when not kept. */
  rowCounts?(collections: string[], baseCells: string[]): Promise<Map<string, Record<string, number>>>;
}

/** Tile footprints for the planner's tile ranges (optional: searches then read group rows). */
export interface TileFootprintReader {
  /**
   * Grid tiles of these collections touching these res-2 cells, each with a box holding all its items
   * there: the tile rows a search reads. Absent: searches read tile items' group rows instead.
   */
  tileFootprints?(collections: string[], cells: string[]): Promise<Map<string, TileFootprint[]>>;
}

/** The change log (optional: a catalogue may keep none, and then serves no change feed). */
export type ChangeFeed = Partial<ChangeLogReader>;
/** What stays of deleted items (optional: a catalogue without them answers 404 for every missing item). */
export interface TombstoneLookup {
  /** The tombstone of a deleted item: its URL and downloads answer 410 Gone with the cause. */
  getTombstone?(collection: string, id: string): Promise<Tombstone | undefined>;
}

/** Requests and capacity a store has used, for search statistics and benchmarks. */
export interface IoCounted {
  readonly stats: IoStats;
}

/** The whole catalogue port: what ingest, search and the API need from DynamoDB, one table. */
export type Catalogue = RowReader &
  ItemRecords &
  CollectionRecords &
  FailureLog &
  RowCountReader &
  TileFootprintReader &
  ChangeFeed &
  TombstoneLookup &
  IoCounted;

export const itemRef = (collection: string, id: string) => `${collection}\u0000${id}`;
