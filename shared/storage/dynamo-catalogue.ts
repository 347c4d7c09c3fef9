// DynamoDB adapter of the Catalogue port: small stores over one table (rows, items, collections, row
// counts, tile footprints, failures, bulk loads), each given the same table client, composed here.
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Key } from "../index/keys.ts";
import type { IndexRow, ItemSummary } from "../index/rows.ts";
import type { StacCollection } from "../stac/types.ts";
import type {
  Catalogue,
  CollectionRecord,
  ExpectedItem,
  FailureRecord,
  IoStats,
  ItemSource,
  RowPage,
  RowQuery,
  StoredItem,
  TileFootprint,
} from "./catalogue.ts";
import type { ChangePage, Deletion } from "./changes.ts";
import { DynamoBaseRows, type ReindexOptions, type ReindexReport } from "./dynamo-base-rows.ts";
import { type BulkEntry, DynamoBulkLoad, type Importer } from "./dynamo-bulk-load.ts";
import { type ChangeLogTiming, DEFAULT_TIMING, DynamoChangeLog } from "./dynamo-change-log.ts";
import { DynamoCollections } from "./dynamo-collections.ts";
import { DynamoFailures } from "./dynamo-failures.ts";
import { DynamoItemBatches, type ItemPut } from "./dynamo-item-batches.ts";
import { DynamoItems } from "./dynamo-items.ts";
import { DynamoRowCounts } from "./dynamo-row-counts.ts";
import { DynamoRows } from "./dynamo-rows.ts";
import { DynamoTable } from "./dynamo-table.ts";
import { DynamoTileFootprints } from "./dynamo-tile-footprints.ts";
import { DynamoTombstones } from "./dynamo-tombstones.ts";
import type { Tombstone } from "./tombstones.ts";

export class DynamoCatalogue implements Catalogue {
  readonly table: DynamoTable;
  readonly rowStore: DynamoRows;
  readonly itemStore: DynamoItems;
  readonly itemBatches: DynamoItemBatches;
  readonly collectionStore: DynamoCollections;
  readonly rowCountStore: DynamoRowCounts;
  readonly tileStore: DynamoTileFootprints;
  readonly failureStore: DynamoFailures;
  readonly bulkLoad: DynamoBulkLoad;
  readonly changeLog: DynamoChangeLog;
  readonly tombstoneStore: DynamoTombstones;
  readonly baseRows: DynamoBaseRows;

  constructor(
    doc: DynamoDBDocumentClient,
    tableName: string,
    /** The change log's settle and grace periods (tests shorten them) and its clock. */
    o: { changeTiming?: ChangeLogTiming; clock?: () => number } = {},
  ) {
    this.table = new DynamoTable(doc, tableName);
    this.rowStore = new DynamoRows(this.table);
    this.collectionStore = new DynamoCollections(this.table);
    this.rowCountStore = new DynamoRowCounts(this.table);
    this.tileStore = new DynamoTileFootprints(this.table);
    this.failureStore = new DynamoFailures(this.table);
    const index = { collections: this.collectionStore, rowCounts: this.rowCountStore, tiles: this.tileStore };
    this.changeLog = new DynamoChangeLog(this.table, o.changeTiming ?? DEFAULT_TIMING, o.clock);
    this.itemStore = new DynamoItems(this.table, index, this.changeLog);
    this.itemBatches = new DynamoItemBatches(this.table, index, this.changeLog);
    this.bulkLoad = new DynamoBulkLoad(this.table, index);
    this.baseRows = new DynamoBaseRows(this.table, this.collectionStore);
    this.tombstoneStore = new DynamoTombstones(this.table, async () =>
      (await this.collectionStore.listCollections()).map((c) => c.collection.id),
    );
  }

  /** Requests and capacity of every store of this catalogue. */
  get stats(): IoStats {
    return this.table.stats;
  }

  queryRows(q: RowQuery): Promise<RowPage> {
    return this.rowStore.queryRows(q);
  }

  getItem(collection: string, id: string): Promise<StoredItem | undefined> {
    return this.itemStore.getItem(collection, id);
  }

  getItems(keys: { collection: string; id: string }[]): Promise<Map<string, StoredItem>> {
    return this.itemStore.getItems(keys);
  }

  putItem(
    item: StoredItem["item"],
    rows: IndexRow[],
    record: Key,
    version: string,
    source?: string,
    expected?: ExpectedItem | null,
  ): Promise<void> {
    return this.itemStore.putItem(item, rows, record, version, source, expected);
  }

  /** Many item writes in batch requests, logged (DynamoItemBatches.putItems). */
  putItems(puts: ItemPut[]): Promise<void> {
    return this.itemBatches.putItems(puts);
  }

  deleteItem(collection: string, id: string, expected?: ExpectedItem, deletion?: Deletion): Promise<boolean> {
    return this.itemStore.deleteItem(collection, id, expected, deletion);
  }

  readChanges(o: { since?: string; collection?: string; limit: number }): Promise<ChangePage> {
    return this.changeLog.readChanges(o);
  }

  getTombstone(collection: string, id: string): Promise<Tombstone | undefined> {
    return this.tombstoneStore.getTombstone(collection, id);
  }

  listItemSources(collection: string): AsyncIterable<ItemSource[]> {
    return this.itemStore.listItemSources(collection);
  }

  getCollection(id: string): Promise<CollectionRecord | undefined> {
    return this.collectionStore.getCollection(id);
  }

  listCollections(): Promise<CollectionRecord[]> {
    return this.collectionStore.listCollections();
  }

  putCollection(c: StacCollection): Promise<void> {
    return this.collectionStore.putCollection(c);
  }

  updateCollection(id: string, change: (c: StacCollection) => StacCollection): Promise<boolean> {
    return this.collectionStore.updateCollection(id, change);
  }

  deleteCollection(id: string): Promise<"deleted" | "missing" | "not-empty"> {
    return this.collectionStore.deleteCollection(id);
  }

  extendCollection(id: string, s: ItemSummary): Promise<void> {
    return this.collectionStore.extendCollection(id, s);
  }

  putFailure(f: FailureRecord): Promise<void> {
    return this.failureStore.putFailure(f);
  }

  deleteFailure(key: string, time?: string): Promise<void> {
    return this.failureStore.deleteFailure(key, time);
  }

  listFailures(): Promise<FailureRecord[]> {
    return this.failureStore.listFailures();
  }

  rowCounts(collections: string[], baseCells: string[]): Promise<Map<string, Record<string, number>>> {
    return this.rowCountStore.rowCounts(collections, baseCells);
  }

  /** Rebuilds a collection's row counts from its item records (DynamoRowCounts.recountRows). */
  recountRows(collection: string): Promise<number> {
    return this.rowCountStore.recountRows(collection);
  }

  /** Gives a collection indexed before base rows its base rows, then stamps it (DynamoBaseRows.reindex). */
  reindexBaseRows(collection: string, o?: ReindexOptions): Promise<ReindexReport> {
    return this.baseRows.reindex(collection, o);
  }

  tileFootprints(collections: string[], cells: string[]): Promise<Map<string, TileFootprint[]>> {
    return this.tileStore.tileFootprints(collections, cells);
  }

  /** Bulk load of new items into an empty catalogue (DynamoBulkLoad.loadItems). */
  loadItems(entries: BulkEntry[], importer?: Importer): Promise<void> {
    return this.bulkLoad.loadItems(entries, importer);
  }

  /** Row counts and, after a bulk load, the tile footprints' counts. */
  flushRowCounts(): Promise<void> {
    return this.bulkLoad.flushRowCounts();
  }
}
