// DynamoDB adapter of the Catalogue port. Rows hold a JSON summary plus the few attributes that
// DynamoDB itself filters on; items hold the whole STAC item as JSON.
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { TransientError } from "../errors.ts";
import { itemKey, itemsPartition, type Key, PK, SK } from "../index/keys.ts";
import type { IndexRow, ItemSummary } from "../index/rows.ts";
import type {
  Catalogue,
  ExpectedItem,
  FailureRecord,
  ItemSource,
  RowPage,
  RowQuery,
  StoredItem,
} from "./catalogue.ts";
import { itemRef } from "./catalogue.ts";

import { COUNT_FLUSH_ITEMS } from "./dynamo-collections.ts";
import { DynamoFailures } from "./dynamo-failures.ts";
import { backoff, isConditionFailure, keyOf, sameKey } from "./dynamo-table.ts";
import { DynamoTiles } from "./dynamo-tiles.ts";

type Importer = (records: Record<string, unknown>[]) => Promise<number>;

export class DynamoCatalogue extends DynamoTiles implements Catalogue {
  /** The bulk import path of the last loadItems, for the tile counts written by flushRowCounts. */
  private bulkImporter: Importer | undefined;
  private readonly failures = new DynamoFailures(this.doc, this.table);

  async queryRows(q: RowQuery): Promise<RowPage> {
    const names: Record<string, string> = { "#pk": PK, "#sk": SK };
    const values: Record<string, unknown> = { ":pk": q.pk };
    let cond = "#pk = :pk";
    if (q.range) {
      cond += " AND #sk BETWEEN :lo AND :hi";
      values[":lo"] = q.range[0];
      values[":hi"] = q.range[1];
    } else if (q.prefix !== undefined && q.prefix !== "") {
      cond += " AND begins_with(#sk, :prefix)";
      values[":prefix"] = q.prefix;
    }
    let filter: string | undefined;
    if (q.overlaps) {
      filter = "#s <= :to AND #e >= :from";
      names["#s"] = "s";
      names["#e"] = "e";
      values[":from"] = q.overlaps.from;
      values[":to"] = q.overlaps.to;
    }
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: cond,
        FilterExpression: filter,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: !q.descending,
        Limit: q.pageSize,
        ExclusiveStartKey: q.startKey,
        ReturnConsumedCapacity: "TOTAL",
      }),
    );
    const capacity = this.count(out.ConsumedCapacity);
    const rows: IndexRow[] = (out.Items ?? []).map((r) => ({
      pk: r[PK] as string,
      sk: r[SK] as string,
      summary: JSON.parse(r["j"] as string) as ItemSummary,
    }));
    const page: RowPage = { rows, scanned: out.ScannedCount ?? rows.length, capacity };
    if (out.LastEvaluatedKey) page.next = out.LastEvaluatedKey;
    return page;
  }

  async getItem(collection: string, id: string): Promise<StoredItem | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: keyOf(itemKey(collection, id)),
        ReturnConsumedCapacity: "TOTAL",
      }),
    );
    this.count(out.ConsumedCapacity);
    return out.Item ? toStored(out.Item) : undefined;
  }

  async getItems(keys: { collection: string; id: string }[]): Promise<Map<string, StoredItem>> {
    const found = new Map<string, StoredItem>();
    const unique = [...new Map(keys.map((k) => [itemRef(k.collection, k.id), k])).values()];
    for (let i = 0; i < unique.length; i += 100) {
      let pending: Record<string, unknown>[] | undefined = unique
        .slice(i, i + 100)
        .map((k) => keyOf(itemKey(k.collection, k.id)));
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        const out = await this.doc.send(
          new BatchGetCommand({
            RequestItems: { [this.table]: { Keys: pending } },
            ReturnConsumedCapacity: "TOTAL",
          }),
        );
        this.count(out.ConsumedCapacity);
        for (const raw of out.Responses?.[this.table] ?? []) {
          const s = toStored(raw);
          found.set(itemRef(s.item.collection!, s.item.id), s);
        }
        pending = out.UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined;
        if (pending?.length) await backoff(attempt);
      }
    }
    return found;
  }

  async putItem(
    item: StoredItem["item"],
    rows: IndexRow[],
    record: Key,
    version: string,
    source?: string,
    expected?: ExpectedItem | null,
  ) {
    // What the caller read of the record is as good as a read here: the write is conditional on it.
    const previous: ExpectedItem | undefined =
      expected === null
        ? undefined
        : expected?.rowKeys
          ? expected
          : await this.getItem(item.collection!, item.id);
    if (expected !== undefined && !isExpected(previous, expected)) throw changedConcurrently(item.id);
    const rowKeys = rows.map((r) => ({ pk: r.pk, sk: r.sk }));
    await Promise.all([
      this.recordLevels(item.collection!, rows),
      this.countRows(item.collection!, rows),
      this.registerTiles(item.collection!, rows),
    ]);
    // Rows first, record last, stale rows after: a search never sees a record without its rows, and
    // rows of a replaced version are ignored by their version stamp until they are gone.
    await this.batchWrite(rows.map((r) => ({ PutRequest: { Item: rowAttributes(r) } })));
    const stored = recordAttributes(item, record, version, rowKeys);
    if (source !== undefined) stored["src"] = source;
    try {
      const put = await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: stored,
          ReturnConsumedCapacity: "TOTAL",
          ...(expected === undefined ? {} : expectation(expected)),
        }),
      );
      this.count(put.ConsumedCapacity);
    } catch (err) {
      this.count(undefined);
      // Rows this write added stay until the winner's next version or deletion replaces them; searches
      // skip them meanwhile by their version stamp. The caller retries, and the retry rewrites them.
      if (isConditionFailure(err)) throw changedConcurrently(item.id);
      throw err;
    }
    const stale = (previous?.rowKeys ?? []).filter((k) => !rowKeys.some((n) => sameKey(n, k)));
    await this.batchWrite(stale.map((k) => ({ DeleteRequest: { Key: keyOf(k) } })));
  }

  /**
   * Bulk load of new items into an empty catalogue (benchmarks, restores): rows and records in full
   * batches, without the read of a previous version that putItem does; row counts added up in memory.
   * `importer` (a bulk import path, e.g. the bench emulator's) takes the records instead of
   * BatchWriteItem and returns the write units they cost; collection levels and counts still go through
   * the API. Write capacity is counted in `stats`.
   */
  async loadItems(
    entries: { item: StoredItem["item"]; rows: IndexRow[]; record: Key; version: string }[],
    importer?: Importer,
  ): Promise<void> {
    this.bulkImporter = importer;
    const byCollection = new Map<string, IndexRow[]>();
    for (const e of entries) {
      const list = byCollection.get(e.item.collection!) ?? [];
      list.push(...e.rows);
      byCollection.set(e.item.collection!, list);
    }
    for (const [c, rows] of byCollection) {
      await this.recordLevels(c, rows);
      await this.countBulkRows(c, rows);
    }
    await this.loadTiles([...byCollection], (records) => this.writeRecords(records, importer));
    this.pendingItems += entries.length;
    if (this.pendingItems >= COUNT_FLUSH_ITEMS) await super.flushRowCounts();
    const records = entries.flatMap((e) => [
      ...e.rows.map(rowAttributes),
      recordAttributes(
        e.item,
        e.record,
        e.version,
        e.rows.map((r) => ({ pk: r.pk, sk: r.sk })),
      ),
    ]);
    await this.writeRecords(records, importer);
  }

  /** Row counts and, after a bulk load, the tile footprints' counts (written whole, as loaded). */
  override async flushRowCounts(): Promise<void> {
    await super.flushRowCounts();
    await this.flushTileCounts((records) => this.writeRecords(records, this.bulkImporter));
  }

  private async writeRecords(records: Record<string, unknown>[], importer: Importer | undefined) {
    if (importer) {
      // Not `capacity += await …`: that reads the counter before the await and loses concurrent updates.
      const units = await importer(records);
      this.stats.capacity += units;
    } else await this.batchWrite(records.map((Item) => ({ PutRequest: { Item } })));
  }

  async deleteItem(collection: string, id: string, expected?: ExpectedItem): Promise<boolean> {
    const previous: ExpectedItem | undefined = expected?.rowKeys
      ? expected
      : await this.getItem(collection, id);
    if (!previous) return false;
    if (expected && !isExpected(previous, expected)) return false;
    try {
      const out = await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: keyOf(itemKey(collection, id)),
          ReturnConsumedCapacity: "TOTAL",
          ...(expected ? expectation(expected) : {}),
        }),
      );
      this.count(out.ConsumedCapacity);
    } catch (err) {
      this.count(undefined);
      if (isConditionFailure(err)) return false;
      throw err;
    }
    await this.batchWrite((previous.rowKeys ?? []).map((k) => ({ DeleteRequest: { Key: keyOf(k) } })));
    return true;
  }

  putFailure(f: FailureRecord): Promise<void> {
    return this.failures.putFailure(f);
  }

  deleteFailure(key: string, time?: string): Promise<void> {
    return this.failures.deleteFailure(key, time);
  }

  listFailures(): Promise<FailureRecord[]> {
    return this.failures.listFailures();
  }

  async *listItemSources(collection: string): AsyncIterable<ItemSource[]> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "#pk = :pk",
          ProjectionExpression: "#sk, #v, #src",
          ExpressionAttributeNames: { "#pk": PK, "#sk": SK, "#v": "v", "#src": "src" },
          ExpressionAttributeValues: { ":pk": itemsPartition(collection) },
          ExclusiveStartKey: startKey,
          ReturnConsumedCapacity: "TOTAL",
        }),
      );
      this.count(out.ConsumedCapacity);
      yield (out.Items ?? []).map((r) => {
        const s: ItemSource = { collection, id: r[SK] as string, version: r["v"] as string };
        if (r["src"]) s.source = r["src"] as string;
        return s;
      });
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }
}

const isExpected = (stored: ExpectedItem | undefined, expected: ExpectedItem | null): boolean =>
  expected === null
    ? stored === undefined
    : stored !== undefined && stored.version === expected.version && stored.source === expected.source;

/** The condition that the stored record is still the expected one. */
function expectation(expected: ExpectedItem | null) {
  if (expected === null) return { ConditionExpression: `attribute_not_exists(${PK})` };
  const names: Record<string, string> = { "#v": "v", "#src": "src" };
  const values: Record<string, unknown> = { ":v": expected.version };
  if (expected.source === undefined)
    return {
      ConditionExpression: "#v = :v AND attribute_not_exists(#src)",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  values[":src"] = expected.source;
  return {
    ConditionExpression: "#v = :v AND #src = :src",
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

const changedConcurrently = (id: string) =>
  new TransientError(`item '${id}' was changed by another writer meanwhile; retrying`);

/** An item's rows share its summary object: serialise it once per item, not once per row. */
const summaryJson = new WeakMap<IndexRow["summary"], string>();

function rowAttributes(r: IndexRow): Record<string, unknown> {
  let j = summaryJson.get(r.summary);
  if (j === undefined) {
    j = JSON.stringify(r.summary);
    summaryJson.set(r.summary, j);
  }
  return { ...keyOf(r), j, s: r.summary.start, e: r.summary.end };
}

const recordAttributes = (item: StoredItem["item"], record: Key, version: string, rowKeys: Key[]) =>
  ({ ...keyOf(record), item: JSON.stringify(item), v: version, rows: rowKeys }) as Record<string, unknown>;

function toStored(raw: Record<string, unknown>): StoredItem {
  const s: StoredItem = {
    item: JSON.parse(raw["item"] as string),
    version: raw["v"] as string,
    rowKeys: (raw["rows"] as Key[] | undefined) ?? [],
  };
  if (raw["src"]) s.source = raw["src"] as string;
  return s;
}
