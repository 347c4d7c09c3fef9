// DynamoDB adapter of the Catalogue port. Rows hold a JSON summary plus the few attributes that
// DynamoDB itself filters on; items hold the whole STAC item as JSON.
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  collectionKey,
  collectionsPartition,
  failureKey,
  failuresPartition,
  itemKey,
  itemsPartition,
  type Key,
  levelOfRow,
  objectKey,
  PK,
  SK,
  statOfRow,
  statsKey,
} from "../index/keys.ts";
import type { IndexRow, ItemSummary } from "../index/rows.ts";
import type { StacCollection } from "../stac/types.ts";
import type {
  Catalogue,
  CollectionRecord,
  FailureRecord,
  IoStats,
  ObjectState,
  RowPage,
  RowQuery,
  StoredItem,
} from "./catalogue.ts";
import { itemRef } from "./catalogue.ts";

const BATCH_WRITE_CONCURRENCY = 4;
/** Bulk loads add to the row counts every this many items (and on flushRowCounts). */
const COUNT_FLUSH_ITEMS = 20_000;

async function mapLimited<T>(xs: T[], n: number, f: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, xs.length) }, async () => {
      while (next < xs.length) await f(xs[next++]!);
    }),
  );
}
const keyOf = (k: Key) => ({ [PK]: k.pk, [SK]: k.sk });
const sameKey = (a: Key, b: Key) => a.pk === b.pk && a.sk === b.sk;
const isConditionFailure = (e: unknown) =>
  (e as { name?: string }).name === "ConditionalCheckFailedException";

export class DynamoCatalogue implements Catalogue {
  readonly stats: IoStats = { requests: 0, capacity: 0 };
  /** Index levels already recorded per collection (by this instance). */
  private readonly recordedLevels = new Map<string, Set<string>>();
  /** Rows of bulk-loaded items not yet added to the row counts. */
  private readonly pendingCounts: [string, Key[]][] = [];
  private pendingItems = 0;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private count(
    consumed: { CapacityUnits?: number | undefined } | { CapacityUnits?: number | undefined }[] | undefined,
  ): number {
    this.stats.requests++;
    const units = Array.isArray(consumed)
      ? consumed.reduce((s, c) => s + (c.CapacityUnits ?? 0), 0)
      : (consumed?.CapacityUnits ?? 0);
    this.stats.capacity += units;
    return units;
  }

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

  async putItem(item: StoredItem["item"], rows: IndexRow[], record: Key, version: string, source?: string) {
    const previous = await this.getItem(item.collection!, item.id);
    const rowKeys = rows.map((r) => ({ pk: r.pk, sk: r.sk }));
    await Promise.all([this.recordLevels(item.collection!, rows), this.countRows(item.collection!, rows)]);
    // Rows first, record last, stale rows after: a search never sees a record without its rows, and
    // rows of a replaced version are ignored by their version stamp until they are gone.
    await this.batchWrite(rows.map((r) => ({ PutRequest: { Item: rowAttributes(r) } })));
    const stored = recordAttributes(item, record, version, rowKeys);
    if (source !== undefined) stored["src"] = source;
    const put = await this.doc.send(
      new PutCommand({ TableName: this.table, Item: stored, ReturnConsumedCapacity: "TOTAL" }),
    );
    this.count(put.ConsumedCapacity);
    const stale = (previous?.rowKeys ?? []).filter((k) => !rowKeys.some((n) => sameKey(n, k)));
    await this.batchWrite(stale.map((k) => ({ DeleteRequest: { Key: keyOf(k) } })));
  }

  /**
   * Bulk load of new items into an empty catalogue (benchmarks, restores): rows and records in full
   * batches, without the read of a previous version that putItem does. Returns write capacity used.
   */
  async loadItems(entries: { item: StoredItem["item"]; rows: IndexRow[]; record: Key; version: string }[]) {
    const before = this.stats.capacity;
    const byCollection = new Map<string, IndexRow[]>();
    for (const e of entries) {
      const list = byCollection.get(e.item.collection!) ?? [];
      list.push(...e.rows);
      byCollection.set(e.item.collection!, list);
    }
    for (const [c, rows] of byCollection) {
      await this.recordLevels(c, rows);
      this.pendingCounts.push([c, rows]);
    }
    this.pendingItems += entries.length;
    if (this.pendingItems >= COUNT_FLUSH_ITEMS) await this.flushRowCounts();
    const requests = entries.flatMap((e) => [
      ...e.rows.map((r) => ({ PutRequest: { Item: rowAttributes(r) } })),
      {
        PutRequest: {
          Item: recordAttributes(
            e.item,
            e.record,
            e.version,
            e.rows.map((r) => ({ pk: r.pk, sk: r.sk })),
          ),
        },
      },
    ]);
    await this.batchWrite(requests);
    return this.stats.capacity - before;
  }

  async deleteItem(collection: string, id: string): Promise<boolean> {
    const previous = await this.getItem(collection, id);
    if (!previous) return false;
    const out = await this.doc.send(
      new DeleteCommand({
        TableName: this.table,
        Key: keyOf(itemKey(collection, id)),
        ReturnConsumedCapacity: "TOTAL",
      }),
    );
    this.count(out.ConsumedCapacity);
    await this.batchWrite(previous.rowKeys.map((k) => ({ DeleteRequest: { Key: keyOf(k) } })));
    return true;
  }

  /**
   * Adds the index levels of these rows to the collection record (a string set, so concurrent writers
   * merge), before the rows are written: a search never skips a level that holds rows. The record may
   * not exist yet; the set is then kept until the collection is created.
   */
  private async recordLevels(collection: string, rows: (Key & { level?: string })[]): Promise<void> {
    const known = this.recordedLevels.get(collection) ?? new Set<string>();
    const fresh = new Set<string>();
    for (const r of rows) {
      const l = (r as { level?: string }).level ?? levelOfRow(r);
      if (l !== undefined && !known.has(l)) fresh.add(l);
    }
    if (fresh.size === 0) return;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keyOf(collectionKey(collection)),
        UpdateExpression: "ADD #lv :lv",
        ExpressionAttributeNames: { "#lv": "lv" },
        ExpressionAttributeValues: { ":lv": fresh },
      }),
    );
    this.count(undefined);
    for (const l of fresh) known.add(l);
    this.recordedLevels.set(collection, known);
  }

  /**
   * Adds these rows to the collection's row counts (one ADD per base cell touched). Counts only size
   * first pages: a failure here must not fail an ingest, and concurrent writers merge.
   */
  private async countRows(collection: string, rows: Key[]): Promise<void> {
    await this.addRowCounts([[collection, rows]]);
  }

  /** Writes the row counts of bulk-loaded items (loadItems adds them up in memory between flushes). */
  async flushRowCounts(): Promise<void> {
    const pending = this.pendingCounts.splice(0);
    this.pendingItems = 0;
    await this.addRowCounts(pending);
  }

  private async addRowCounts(batches: [string, Key[]][]): Promise<void> {
    const byRecord = new Map<string, { collection: string; base: string; counts: Map<string, number> }>();
    for (const [collection, rows] of batches)
      for (const r of rows) {
        const st = statOfRow(r);
        if (!st) continue;
        const id = `${collection}\u0000${st.base}`;
        const rec = byRecord.get(id) ?? { collection, base: st.base, counts: new Map<string, number>() };
        rec.counts.set(st.name, (rec.counts.get(st.name) ?? 0) + 1);
        byRecord.set(id, rec);
      }
    await mapLimited(
      [...byRecord.values()],
      BATCH_WRITE_CONCURRENCY,
      async ({ collection, base, counts }) => {
        const names: Record<string, string> = {};
        const values: Record<string, number> = {};
        const adds = [...counts].map(([name, n], i) => {
          names[`#n${i}`] = name;
          values[`:n${i}`] = n;
          return `#n${i} :n${i}`;
        });
        try {
          await this.doc.send(
            new UpdateCommand({
              TableName: this.table,
              Key: keyOf(statsKey(collection, base)),
              UpdateExpression: `ADD ${adds.join(", ")}`,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            }),
          );
        } catch {
          // Estimates only: a lost increment makes a first page smaller, never a result wrong.
        }
        this.count(undefined);
      },
    );
  }

  /** Batches of 25, a few in flight at once (the items of one load or one item's rows are independent). */
  private async batchWrite(requests: Record<string, unknown>[]): Promise<void> {
    const batches: Record<string, unknown>[][] = [];
    for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        let pending: Record<string, unknown>[] | undefined = batches[next++];
        for (let attempt = 0; pending && pending.length > 0; attempt++) {
          const out = await this.doc.send(
            new BatchWriteCommand({
              RequestItems: { [this.table]: pending as never },
              ReturnConsumedCapacity: "TOTAL",
            }),
          );
          this.count(out.ConsumedCapacity);
          pending = out.UnprocessedItems?.[this.table] as Record<string, unknown>[] | undefined;
          if (pending?.length) await backoff(attempt);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_WRITE_CONCURRENCY, batches.length) }, worker));
  }

  async getCollection(id: string): Promise<CollectionRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keyOf(collectionKey(id)) }));
    this.count(undefined);
    return out.Item?.["collection"] ? toCollection(out.Item) : undefined;
  }

  async listCollections(): Promise<CollectionRecord[]> {
    // A record holding only index levels belongs to a collection not created yet.
    return (await this.readPartition(collectionsPartition))
      .filter((r) => r["collection"] !== undefined)
      .map(toCollection);
  }

  /**
   * Row counts (keys.ts `statName` → count) of these collections in these base cells (and their time
   * rows and root rows): what the planner needs to estimate an area's ranges. One batch read.
   */
  async rowCounts(collections: string[], baseCells: string[]): Promise<Map<string, Record<string, number>>> {
    const out = new Map<string, Record<string, number>>(collections.map((c) => [c, {}]));
    const keys = collections.flatMap((c) => ["", ...baseCells].map((b) => keyOf(statsKey(c, b))));
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + 100);
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        const res = await this.doc.send(
          new BatchGetCommand({
            RequestItems: { [this.table]: { Keys: pending } },
            ReturnConsumedCapacity: "TOTAL",
          }),
        );
        this.count(res.ConsumedCapacity);
        for (const raw of res.Responses?.[this.table] ?? []) {
          const into = out.get((raw[PK] as string).slice(2));
          if (!into) continue;
          for (const [k, v] of Object.entries(raw))
            if (k.startsWith("n_") && typeof v === "number") into[k] = v;
        }
        pending = res.UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined;
        if (pending?.length) await backoff(attempt);
      }
    }
    return out;
  }

  /** Every record of one (small) partition, paging through DynamoDB's 1 MB pages. */
  private async readPartition(pk: string): Promise<Record<string, unknown>[]> {
    const all: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "#pk = :pk",
          ExpressionAttributeNames: { "#pk": PK },
          ExpressionAttributeValues: { ":pk": pk },
          ExclusiveStartKey: startKey,
        }),
      );
      this.count(undefined);
      all.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return all;
  }

  async putCollection(c: StacCollection): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keyOf(collectionKey(c.id)),
        UpdateExpression: "SET #c = :c",
        ExpressionAttributeNames: { "#c": "collection" },
        ExpressionAttributeValues: { ":c": JSON.stringify(c) },
      }),
    );
    this.count(undefined);
  }

  async deleteCollection(id: string): Promise<"deleted" | "missing" | "not-empty"> {
    // Item records are the truth (rows of a deleted item may linger until their cleanup finishes).
    const items = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "#pk = :pk",
        ExpressionAttributeNames: { "#pk": PK },
        ExpressionAttributeValues: { ":pk": itemsPartition(id) },
        Limit: 1,
      }),
    );
    this.count(undefined);
    if ((items.Items ?? []).length > 0) return "not-empty";
    this.recordedLevels.delete(id);
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: keyOf(collectionKey(id)),
          ConditionExpression: "attribute_exists(#c)",
          ExpressionAttributeNames: { "#c": "collection" },
        }),
      );
      this.count(undefined);
      return "deleted";
    } catch (err) {
      this.count(undefined);
      if (isConditionFailure(err)) return "missing";
      throw err;
    }
  }

  async extendCollection(id: string, s: ItemSummary): Promise<void> {
    await this.addSummaryValues(id, s);
    const durationMs = Date.parse(s.end) - Date.parse(s.start);
    const [w, so, e, n] =
      s.bbox && s.bbox[0] <= s.bbox[2] ? s.bbox : [-180, s.bbox?.[1] ?? -90, 180, s.bbox?.[3] ?? 90];
    const bounds: [string, string | number, "<" | ">"][] = [
      ["w", w, "<"],
      ["so", so, "<"],
      ["ea", e, ">"],
      ["no", n, ">"],
      ["t0", s.start, "<"],
      ["t1", s.end, ">"],
      ["maxDur", durationMs, ">"],
    ];
    const current = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keyOf(collectionKey(id)) }),
    );
    this.count(undefined);
    for (const [attr, value, op] of bounds) {
      const have = current.Item?.[attr] as string | number | undefined;
      if (have !== undefined && !(op === "<" ? value < have : value > have)) continue;
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: keyOf(collectionKey(id)),
            UpdateExpression: "SET #a = :v",
            ConditionExpression: `attribute_not_exists(#a) OR #a ${op === "<" ? ">" : "<"} :v`,
            ExpressionAttributeNames: { "#a": attr },
            ExpressionAttributeValues: { ":v": value },
          }),
        );
        this.count(undefined);
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
    }
  }

  /** Adds the item's values of the summarized properties to the collection's string sets (one write). */
  private async addSummaryValues(id: string, s: ItemSummary): Promise<void> {
    const adds: string[] = [];
    const values: Record<string, unknown> = {};
    const names: Record<string, string> = {};
    SUMMARIZED.forEach((name, i) => {
      const v = s.properties[name];
      const list = (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v])
        .map(String)
        .filter(Boolean);
      if (list.length === 0) return;
      names[`#s${i}`] = summaryAttr(i);
      values[`:s${i}`] = new Set(list);
      adds.push(`#s${i} :s${i}`);
    });
    if (adds.length === 0) return;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keyOf(collectionKey(id)),
        UpdateExpression: `ADD ${adds.join(", ")}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    this.count(undefined);
  }

  async getObjectState(key: string): Promise<ObjectState | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keyOf(objectKey(key)) }));
    this.count(undefined);
    if (!out.Item) return undefined;
    const state: ObjectState = { sequencer: out.Item["seq"] as string };
    if (out.Item["c"]) state.collection = out.Item["c"] as string;
    if (out.Item["id"]) state.id = out.Item["id"] as string;
    return state;
  }

  async advanceObjectState(key: string, state: ObjectState): Promise<boolean> {
    const item: Record<string, unknown> = { ...keyOf(objectKey(key)), seq: state.sequencer };
    if (state.collection) item["c"] = state.collection;
    if (state.id) item["id"] = state.id;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: "attribute_not_exists(#seq) OR #seq <= :seq",
          ExpressionAttributeNames: { "#seq": "seq" },
          ExpressionAttributeValues: { ":seq": state.sequencer },
        }),
      );
      this.count(undefined);
      return true;
    } catch (err) {
      this.count(undefined);
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async putFailure(f: FailureRecord): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { ...keyOf(failureKey(f.key)), ...f } }),
    );
    this.count(undefined);
  }

  async deleteFailure(key: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: keyOf(failureKey(key)) }));
    this.count(undefined);
  }

  async listFailures(): Promise<FailureRecord[]> {
    return (await this.readPartition(failuresPartition)).map((r) => {
      const f: FailureRecord = {
        key: r["key"] as string,
        reason: r["reason"] as string,
        time: r["time"] as string,
        code: r["code"] as string,
      };
      if (r["etag"]) f.etag = r["etag"] as string;
      return f;
    });
  }
}

const rowAttributes = (r: IndexRow): Record<string, unknown> => ({
  ...keyOf(r),
  j: JSON.stringify(r.summary),
  s: r.summary.start,
  e: r.summary.end,
});

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

/** Properties whose distinct values a collection's `summaries` lists, and the attribute each is kept in. */
const SUMMARIZED = [
  "platform",
  "constellation",
  "instruments",
  "product:type",
  "processing:version",
  "sar:instrument_mode",
  "sar:polarizations",
  "sat:orbit_state",
] as const;
const summaryAttr = (i: number) => `sum${i}`;

function toCollection(raw: Record<string, unknown>): CollectionRecord {
  const c = JSON.parse(raw["collection"] as string) as StacCollection;
  const summaries: Record<string, unknown> = { ...(c.summaries ?? {}) };
  SUMMARIZED.forEach((name, i) => {
    const values = raw[summaryAttr(i)];
    if (values instanceof Set && values.size > 0) summaries[name] = [...values].map(String).sort();
  });
  if (Object.keys(summaries).length > 0) c.summaries = summaries;
  if (raw["w"] !== undefined) {
    c.extent = {
      spatial: { bbox: [[raw["w"], raw["so"], raw["ea"], raw["no"]] as number[]] },
      temporal: { interval: [[raw["t0"] as string, raw["t1"] as string]] },
    };
  }
  const record: CollectionRecord = {
    collection: c,
    maxDurationMs: (raw["maxDur"] as number | undefined) ?? 0,
  };
  const levels = raw["lv"] as Set<string> | undefined;
  if (levels) record.levels = [...levels].sort();
  return record;
}

const backoff = (attempt: number) =>
  new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random())));
