// Bulk loads of new items into an empty catalogue (benchmarks, restores): rows and records in full
// batches or through a bulk import path, with the row counts and tile footprints kept in memory and
// written as they grow and on flushRowCounts.
import type { Key } from "../index/keys.ts";
import type { IndexRow } from "../index/rows.ts";
import type { StoredItem } from "./catalogue.ts";
import type { DynamoCollections } from "./dynamo-collections.ts";
import { recordAttributes } from "./dynamo-items.ts";
import type { DynamoRowCounts } from "./dynamo-row-counts.ts";
import { rowAttributes } from "./dynamo-rows.ts";
import type { DynamoTable } from "./dynamo-table.ts";
import type { DynamoTileFootprints } from "./dynamo-tile-footprints.ts";

/** A bulk import path: takes records instead of BatchWriteItem and returns the write units they cost. */
export type Importer = (records: Record<string, unknown>[]) => Promise<number>;

/** One item of a bulk load: its rows and record key (shared/index/rows.ts), and what its record keeps. */
export interface BulkEntry {
  item: StoredItem["item"];
  rows: IndexRow[];
  record: Key;
  version: string;
  /** The item's source (ingest's object key, or API_SOURCE); none for the bench's items. */
  source?: string;
  /** Its content hash (shared/stac/content-hash.ts), as putItem stores it. */
  hash?: string;
}

export class DynamoBulkLoad {
  /** The bulk import path of the last loadItems, for the tile counts written by flushRowCounts. */
  private bulkImporter: Importer | undefined;

  constructor(
    private readonly db: DynamoTable,
    private readonly stores: {
      collections: Pick<DynamoCollections, "recordLevels">;
      rowCounts: Pick<DynamoRowCounts, "countBulkRows" | "bulkItemsLoaded" | "flushRowCounts">;
      tiles: Pick<DynamoTileFootprints, "loadTiles" | "flushTileCounts">;
    },
  ) {}

  /**
   * Loads new items: rows and records in full batches, without the read of a previous version that
   * putItem does; row counts added up in memory.
   * `importer` (a bulk import path, e.g. the bench emulator's) takes the records instead of
   * BatchWriteItem and returns the write units they cost; collection levels and counts still go through
   * the API. Write capacity is counted in `stats`.
   */
  async loadItems(entries: BulkEntry[], importer?: Importer): Promise<void> {
    this.bulkImporter = importer;
    const byCollection = new Map<string, IndexRow[]>();
    for (const e of entries) {
      const list = byCollection.get(e.item.collection!) ?? [];
      list.push(...e.rows);
      byCollection.set(e.item.collection!, list);
    }
    for (const [c, rows] of byCollection) {
      await this.stores.collections.recordLevels(c, rows);
      await this.stores.rowCounts.countBulkRows(c, rows);
    }
    await this.stores.tiles.loadTiles([...byCollection], (records) => this.writeRecords(records, importer));
    await this.stores.rowCounts.bulkItemsLoaded(entries.length);
    const records = entries.flatMap((e) => {
      const record = recordAttributes(
        e.item,
        e.record,
        e.version,
        e.rows.map((r) => ({ pk: r.pk, sk: r.sk })),
      );
      if (e.source !== undefined) record["src"] = e.source;
      if (e.hash !== undefined) record["h"] = e.hash;
      return [...e.rows.map(rowAttributes), record];
    });
    await this.writeRecords(records, importer);
  }

  /** Row counts and, after a bulk load, the tile footprints' counts (written whole, as loaded). */
  async flushRowCounts(): Promise<void> {
    await this.stores.rowCounts.flushRowCounts();
    await this.stores.tiles.flushTileCounts((records) => this.writeRecords(records, this.bulkImporter));
  }

  private async writeRecords(records: Record<string, unknown>[], importer: Importer | undefined) {
    if (importer) {
      // Not `capacity += await …`: that reads the counter before the await and loses concurrent updates.
      const units = await importer(records);
      this.db.stats.capacity += units;
    } else await this.db.batchWrite(records.map((Item) => ({ PutRequest: { Item } })));
  }
}
