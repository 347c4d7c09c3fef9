// Collection records in DynamoDB: descriptions, extents and summaries widened by ingest, the index
// levels each collection uses, and the row counts that size a search's first pages.
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { mapLimited } from "../concurrency.ts";
import {
  collectionKey,
  collectionsPartition,
  itemsPartition,
  type Key,
  type Level,
  levelOfRow,
  PK,
  rowStats,
  SK,
  statsKey,
  statsPartition,
} from "../index/keys.ts";
import type { ItemSummary } from "../index/rows.ts";
import type { StacCollection } from "../stac/types.ts";
import type { CollectionRecord } from "./catalogue.ts";
import { BATCH_WRITE_CONCURRENCY, backoff, DynamoTable, isConditionFailure, keyOf } from "./dynamo-table.ts";

/** Bulk loads add to the row counts every this many items (and on flushRowCounts). */
export const COUNT_FLUSH_ITEMS = 20_000;

export abstract class DynamoCollections extends DynamoTable {
  /** Index levels already recorded per collection (by this instance). */
  protected readonly recordedLevels = new Map<string, Set<string>>();
  /** Rows of bulk-loaded items not yet added to the row counts. */
  protected readonly pendingCounts: [string, Key[]][] = [];
  protected pendingItems = 0;

  /**
   * Adds the index levels of these rows to the collection record (a string set, so concurrent writers
   * merge), before the rows are written: a search never skips a level that holds rows. The record may
   * not exist yet; the set is then kept until the collection is created.
   */
  protected async recordLevels(collection: string, rows: (Key & { level?: string })[]): Promise<void> {
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
  protected async countRows(collection: string, rows: Key[]): Promise<void> {
    await this.addRowCounts([[collection, rows]]);
  }

  /** Writes the row counts of bulk-loaded items (loadItems adds them up in memory between flushes). */
  async flushRowCounts(): Promise<void> {
    const pending = this.pendingCounts.splice(0);
    this.pendingItems = 0;
    await this.addRowCounts(pending);
  }

  protected async addRowCounts(batches: [string, Key[]][]): Promise<void> {
    const byRecord = new Map<string, { collection: string; base: string; counts: Map<string, number> }>();
    for (const [collection, rows] of batches)
      for (const r of rows)
        for (const st of rowStats(r)) {
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

  /**
   * Rebuilds a collection's row counts from its item records, the truth: counts only grow at ingest
   * (replaced and deleted items are not subtracted), and a catalogue indexed before a counter existed
   * (the quarter counts) lacks it. Each base cell's record is replaced whole; records of base cells
   * that hold no rows any more are deleted; tile footprints are left as they are. Increments of
   * ingests running meanwhile may be lost (counts are estimates). Returns the items counted.
   */
  async recountRows(collection: string): Promise<number> {
    const totals = new Map<string, Record<string, number>>();
    let items = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "#pk = :pk",
          ProjectionExpression: "#r",
          ExpressionAttributeNames: { "#pk": PK, "#r": "rows" },
          ExpressionAttributeValues: { ":pk": itemsPartition(collection) },
          ExclusiveStartKey: startKey,
          ReturnConsumedCapacity: "TOTAL",
        }),
      );
      this.count(out.ConsumedCapacity);
      for (const raw of out.Items ?? []) {
        items++;
        for (const k of withLevels((raw["rows"] as Key[] | undefined) ?? []))
          for (const st of rowStats(k)) {
            const rec = totals.get(st.base) ?? {};
            rec[st.name] = (rec[st.name] ?? 0) + 1;
            totals.set(st.base, rec);
          }
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    const stored = await this.readPartition(statsPartition(collection), ["B", "B\uffff"]);
    const stale = stored.map((r) => (r[SK] as string).slice(1)).filter((base) => !totals.has(base));
    await mapLimited(stale, BATCH_WRITE_CONCURRENCY, async (base) => {
      await this.doc.send(
        new DeleteCommand({ TableName: this.table, Key: keyOf(statsKey(collection, base)) }),
      );
      this.count(undefined);
    });
    await mapLimited([...totals], BATCH_WRITE_CONCURRENCY, async ([base, counts]) => {
      const put = await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keyOf(statsKey(collection, base)), ...counts },
          ReturnConsumedCapacity: "TOTAL",
        }),
      );
      this.count(put.ConsumedCapacity);
    });
    return items;
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
  protected async addSummaryValues(id: string, s: ItemSummary): Promise<void> {
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

/**
 * An item's stored row keys with the level their keys alone do not tell: its group rows are a medium
 * item's ("M") when it has no fine cell row and no tile row (shared/index/rows.ts `buildItemRows`).
 */
export function withLevels(rows: Key[]): (Key & { level?: Level })[] {
  const levels = rows.map((k) => levelOfRow(k));
  const medium = !levels.some((l) => l === "3" || l === "P");
  return rows.map((k, i) => (medium && levels[i] === "G" ? { ...k, level: "M" as const } : k));
}
