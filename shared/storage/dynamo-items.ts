// Item records in DynamoDB (the whole STAC item as JSON, its version, source and row keys) and the
// writes that keep an item's index rows with it: its collection's levels, row counts and tile
// footprints first, then its rows, its record last, stale rows after; each record write logged in the
// change log (an intent before it, its confirmation after).
import { DeleteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { TransientError } from "../errors.ts";
import { itemKey, itemsPartition, type Key, PK, SK } from "../index/keys.ts";
import type { IndexRow } from "../index/rows.ts";
import { contentHash } from "../stac/content-hash.ts";
import {
  type ExpectedItem,
  type ItemRecords,
  type ItemSource,
  itemRef,
  type StoredItem,
} from "./catalogue.ts";
import type { Deletion } from "./changes.ts";
import { type ChangeIntent, type DynamoChangeLog, nextChain } from "./dynamo-change-log.ts";
import type { DynamoCollections } from "./dynamo-collections.ts";
import type { DynamoRowCounts } from "./dynamo-row-counts.ts";
import { rowAttributes } from "./dynamo-rows.ts";
import { type DynamoTable, isConditionFailure, keyOf, sameKey } from "./dynamo-table.ts";
import type { DynamoTileFootprints } from "./dynamo-tile-footprints.ts";

/** What must hold an item's rows before they are written (each fails the write when it fails). */
export interface RowBookkeeping {
  collections: Pick<DynamoCollections, "recordLevels">;
  rowCounts: Pick<DynamoRowCounts, "countRows">;
  tiles: Pick<DynamoTileFootprints, "registerTiles">;
}

export class DynamoItems implements ItemRecords {
  constructor(
    private readonly db: DynamoTable,
    private readonly index: RowBookkeeping,
    /** Without one (bulk tools, tests of the rows alone), writes are not logged. */
    private readonly log?: DynamoChangeLog,
  ) {}

  async getItem(collection: string, id: string): Promise<StoredItem | undefined> {
    const out = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.name,
        Key: keyOf(itemKey(collection, id)),
        ReturnConsumedCapacity: "TOTAL",
      }),
    );
    this.db.count(out.ConsumedCapacity);
    return out.Item ? toStored(out.Item) : undefined;
  }

  async getItems(keys: { collection: string; id: string }[]): Promise<Map<string, StoredItem>> {
    const found = new Map<string, StoredItem>();
    const unique = [...new Map(keys.map((k) => [itemRef(k.collection, k.id), k])).values()];
    const records = await this.db.batchGet(unique.map((k) => keyOf(itemKey(k.collection, k.id))));
    for (const raw of records) {
      const s = toStored(raw);
      found.set(itemRef(s.item.collection!, s.item.id), s);
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
      this.index.collections.recordLevels(item.collection!, rows),
      this.index.rowCounts.countRows(item.collection!, rows),
      this.index.tiles.registerTiles(item.collection!, rows),
    ]);
    // Rows first, record last, stale rows after: a search never sees a record without its rows, and
    // rows of a replaced version are ignored by their version stamp until they are gone.
    await this.db.batchWrite(rows.map((r) => ({ PutRequest: { Item: rowAttributes(r) } })));
    const stored = recordAttributes(item, record, version, rowKeys);
    if (source !== undefined) stored["src"] = source;
    const hash = contentHash(item);
    stored["h"] = hash;
    const intent = await this.beginFresh({
      collection: item.collection!,
      id: item.id,
      kind: previous ? "updated" : "created",
      version,
      hash,
      after: previous?.changes?.[0],
    });
    if (intent) stored["chg"] = nextChain(intent.cursor, previous?.changes);
    try {
      const put = await this.db.doc.send(
        new PutCommand({
          TableName: this.db.name,
          Item: stored,
          ReturnConsumedCapacity: "TOTAL",
          ...(expected === undefined ? {} : expectation(expected)),
        }),
      );
      this.db.count(put.ConsumedCapacity);
    } catch (err) {
      this.db.count(undefined);
      // Rows this write added stay until the winner's next version or deletion replaces them; searches
      // skip them meanwhile by their version stamp. The caller retries, and the retry rewrites them.
      if (isConditionFailure(err)) {
        if (intent) await this.log?.abandon(intent);
        throw changedConcurrently(item.id);
      }
      throw err;
    }
    if (intent) await this.log?.confirm(intent);
    const stale = (previous?.rowKeys ?? []).filter((k) => !rowKeys.some((n) => sameKey(n, k)));
    await this.db.batchWrite(stale.map((k) => ({ DeleteRequest: { Key: keyOf(k) } })));
  }

  async deleteItem(
    collection: string,
    id: string,
    expected?: ExpectedItem,
    deletion?: Deletion,
  ): Promise<boolean> {
    const previous: ExpectedItem | undefined = expected?.rowKeys
      ? expected
      : await this.getItem(collection, id);
    if (!previous) return false;
    if (expected && !isExpected(previous, expected)) return false;
    const intent = await this.beginFresh({
      collection,
      id,
      kind: "deleted",
      version: previous.version,
      deletion: deletion ?? { cause: "other" },
      after: previous.changes?.[0],
      chain: previous.changes,
    });
    try {
      const out = await this.db.doc.send(
        new DeleteCommand({
          TableName: this.db.name,
          Key: keyOf(itemKey(collection, id)),
          ReturnConsumedCapacity: "TOTAL",
          ...(expected ? expectation(expected) : {}),
        }),
      );
      this.db.count(out.ConsumedCapacity);
    } catch (err) {
      this.db.count(undefined);
      if (isConditionFailure(err)) {
        if (intent) await this.log?.abandon(intent);
        return false;
      }
      throw err;
    }
    if (intent) await this.log?.confirm(intent);
    await this.db.batchWrite((previous.rowKeys ?? []).map((k) => ({ DeleteRequest: { Key: keyOf(k) } })));
    return true;
  }

  /**
   * Logs the intent of a change. One that is already too old for readers to wait on when it is logged
   * (a slow or overloaded table) is abandoned and logged afresh, up to three times; then the write is
   * given up with a retryable TransientError.
   */
  private async beginFresh(c: Parameters<DynamoChangeLog["begin"]>[0]): Promise<ChangeIntent | undefined> {
    if (!this.log) return undefined;
    for (let attempt = 1; ; attempt++) {
      const intent = await this.log.begin(c);
      try {
        this.log.checkFresh(intent);
        return intent;
      } catch (err) {
        await this.log.abandon(intent);
        if (attempt >= 3) throw err;
      }
    }
  }

  async *listItemSources(collection: string): AsyncIterable<ItemSource[]> {
    for await (const page of this.db.partitionPages(itemsPartition(collection), {
      attributes: [SK, "v", "src"],
    }))
      yield page.map((r) => {
        const s: ItemSource = { collection, id: r[SK] as string, version: r["v"] as string };
        if (r["src"]) s.source = r["src"] as string;
        return s;
      });
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

export const recordAttributes = (item: StoredItem["item"], record: Key, version: string, rowKeys: Key[]) =>
  ({ ...keyOf(record), item: JSON.stringify(item), v: version, rows: rowKeys }) as Record<string, unknown>;

function toStored(raw: Record<string, unknown>): StoredItem {
  const s: StoredItem = {
    item: JSON.parse(raw["item"] as string),
    version: raw["v"] as string,
    rowKeys: (raw["rows"] as Key[] | undefined) ?? [],
  };
  if (raw["src"]) s.source = raw["src"] as string;
  if (raw["chg"]) s.changes = raw["chg"] as string[];
  if (raw["h"]) s.hash = raw["h"] as string;
  return s;
}
