// Collection records in DynamoDB: descriptions, extents and summaries widened by ingest, the index
// levels each collection uses, and the row counts that size a search's first pages.
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { mapLimited } from "../concurrency.ts";
import {
  collectionKey,
  collectionsPartition,
  INDEX_FEATURES,
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

/** Counters per UpdateItem of a recount (an update expression holds at most 4 KB). */
const RECOUNT_NAMES_PER_UPDATE = 100;

/** Bulk loads add to the row counts every this many items (and on flushRowCounts). */
export const COUNT_FLUSH_ITEMS = 20_000;

export abstract class DynamoCollections extends DynamoTable {
  /** Index levels already recorded per collection (by this instance). */
  protected readonly recordedLevels = new Map<string, Set<string>>();
  /** Rows of bulk-loaded items not yet added to the row counts. */
  protected readonly pendingCounts: [string, Key[]][] = [];
  protected pendingItems = 0;
  /** Counters (collection, base cell, name) this instance has written: bulk rows adding to them wait. */
  private readonly countedNames = new Set<string>();

  /**
   * Adds the index levels of these rows to the collection record (a string set, so concurrent writers
   * merge), before the rows are written: a search never skips a level that holds rows. The record may
   * not exist yet; the set is then kept until the collection is created.
   */
  protected async recordLevels(collection: string, rows: (Key & { level?: string })[]): Promise<void> {
    const first = !this.recordedLevels.has(collection);
    const known = this.recordedLevels.get(collection) ?? new Set<string>();
    const fresh = new Set<string>();
    for (const r of rows) {
      const l = (r as { level?: string }).level ?? levelOfRow(r);
      if (l !== undefined && !known.has(l)) fresh.add(l);
    }
    if (fresh.size === 0) return;
    const add = {
      TableName: this.table,
      Key: keyOf(collectionKey(collection)),
      UpdateExpression: "ADD #lv :lv",
      ExpressionAttributeNames: { "#lv": "lv" } as Record<string, string>,
      ExpressionAttributeValues: { ":lv": fresh } as Record<string, unknown>,
    };
    let done = false;
    if (first) {
      // No level recorded yet means no spatial row written yet: this code's index features hold for
      // every row of the collection.
      try {
        await this.doc.send(
          new UpdateCommand({
            ...add,
            UpdateExpression: "ADD #lv :lv SET #ix = :ix",
            ConditionExpression: "attribute_not_exists(#lv)",
            ExpressionAttributeNames: { ...add.ExpressionAttributeNames, "#ix": "ix" },
            ExpressionAttributeValues: { ...add.ExpressionAttributeValues, ":ix": INDEX_FEATURES },
          }),
        );
        done = true;
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
      }
      this.count(undefined);
    }
    if (!done) {
      await this.doc.send(new UpdateCommand(add));
      this.count(undefined);
    }
    for (const l of fresh) known.add(l);
    this.recordedLevels.set(collection, known);
  }

  /**
   * Adds these rows to the collection's row counts (one ADD per base cell touched; concurrent writers
   * merge), before the rows are written: a search skips a level and cell whose counter is absent
   * (keys.ts INDEX_FEATURES), so a failure here fails the ingest, as a failed row write does.
   */
  protected async countRows(collection: string, rows: Key[]): Promise<void> {
    await this.addRowCounts([[collection, rows]]);
  }

  /**
   * Bulk loads: rows adding to a counter this instance has not written yet are counted now, before
   * they are written (a search skips a level and cell without counter); the others add up in memory
   * until the next flush.
   */
  protected async countBulkRows(collection: string, rows: Key[]): Promise<void> {
    const now: Key[] = [];
    const later: Key[] = [];
    const fresh = new Set<string>();
    for (const r of rows) {
      const ids = rowStats(r).map((st) => `${collection}\u0000${st.base}\u0000${st.name}`);
      if (ids.every((id) => this.countedNames.has(id))) later.push(r);
      else {
        now.push(r);
        for (const id of ids) fresh.add(id);
      }
    }
    this.pendingCounts.push([collection, later]);
    if (now.length === 0) return;
    await this.addRowCounts([[collection, now]]);
    for (const id of fresh) this.countedNames.add(id);
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
        await this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: keyOf(statsKey(collection, base)),
            UpdateExpression: `ADD ${adds.join(", ")}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
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
   * (the quarter counts) lacks it. Each counter is set to its rows' count, and a counter without rows
   * to 1 (below); tile footprints are left as they are. Increments of ingests running meanwhile may be
   * lost (counts are estimates; none drops to 0). Returns the items counted.
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
    // Counters are set, never removed: one this recount finds no rows for stays at 1, because an
    // ingest may have added it and be writing its rows now (its item record is stored last), and a
    // search skips a level and cell whose counter is absent (keys.ts INDEX_FEATURES).
    const stored = await this.readPartition(statsPartition(collection), ["B", "B\uffff"]);
    for (const r of stored) {
      const base = (r[SK] as string).slice(1);
      const rec = totals.get(base) ?? {};
      for (const [name, v] of Object.entries(r))
        if (name.startsWith("n_") && typeof v === "number" && v > 0 && rec[name] === undefined) rec[name] = 1;
      totals.set(base, rec);
    }
    const updates = [...totals].flatMap(([base, counts]) => {
      const names = Object.keys(counts);
      const chunks: [string, string[]][] = [];
      for (let i = 0; i < names.length; i += RECOUNT_NAMES_PER_UPDATE)
        chunks.push([base, names.slice(i, i + RECOUNT_NAMES_PER_UPDATE)]);
      return chunks;
    });
    await mapLimited(updates, BATCH_WRITE_CONCURRENCY, async ([base, names]) => {
      const counts = totals.get(base)!;
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keyOf(statsKey(collection, base)),
          UpdateExpression: `SET ${names.map((_, i) => `#n${i} = :n${i}`).join(", ")}`,
          ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#n${i}`, n])),
          ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:n${i}`, counts[n]!])),
          ReturnConsumedCapacity: "TOTAL",
        }),
      );
      this.count(out.ConsumedCapacity);
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
  if (typeof raw["ix"] === "number") record.indexFeatures = raw["ix"];
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
