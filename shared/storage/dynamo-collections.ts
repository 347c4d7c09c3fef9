// Collection records in DynamoDB: descriptions, extents and summaries widened by ingest, and the index
// levels each collection uses (recorded before its rows are written, so a search never skips one).
import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { TransientError } from "../errors.ts";
import {
  collectionKey,
  collectionsPartition,
  INDEX_FEATURES,
  itemsPartition,
  type Key,
  levelOfRow,
  PK,
} from "../index/keys.ts";
import type { ItemSummary } from "../index/rows.ts";
import type { StacCollection } from "../stac/types.ts";
import type { CollectionRecord, CollectionRecords } from "./catalogue.ts";
import { type DynamoTable, isConditionFailure, keyOf } from "./dynamo-table.ts";

export class DynamoCollections implements CollectionRecords {
  /** Index levels already recorded per collection (by this instance). */
  private readonly recordedLevels = new Map<string, Set<string>>();

  constructor(private readonly db: DynamoTable) {}

  /**
   * Adds the index levels of these rows to the collection record (a string set, so concurrent writers
   * merge), before the rows are written: a search never skips a level that holds rows. The record may
   * not exist yet; the set is then kept until the collection is created.
   */
  async recordLevels(collection: string, rows: (Key & { level?: string })[]): Promise<void> {
    const first = !this.recordedLevels.has(collection);
    const known = this.recordedLevels.get(collection) ?? new Set<string>();
    const fresh = new Set<string>();
    for (const r of rows) {
      const l = (r as { level?: string }).level ?? levelOfRow(r);
      if (l !== undefined && !known.has(l)) fresh.add(l);
    }
    if (fresh.size === 0) return;
    const add = {
      TableName: this.db.name,
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
        await this.db.doc.send(
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
      this.db.count(undefined);
    }
    if (!done) {
      await this.db.doc.send(new UpdateCommand(add));
      this.db.count(undefined);
    }
    for (const l of fresh) known.add(l);
    this.recordedLevels.set(collection, known);
  }

  async getCollection(id: string): Promise<CollectionRecord | undefined> {
    const out = await this.db.doc.send(
      new GetCommand({ TableName: this.db.name, Key: keyOf(collectionKey(id)) }),
    );
    this.db.count(undefined);
    return out.Item?.["collection"] ? toCollection(out.Item) : undefined;
  }

  async listCollections(): Promise<CollectionRecord[]> {
    // A record holding only index levels belongs to a collection not created yet.
    return (await this.db.readPartition(collectionsPartition))
      .filter((r) => r["collection"] !== undefined)
      .map(toCollection);
  }

  async putCollection(c: StacCollection): Promise<void> {
    await this.db.doc.send(
      new UpdateCommand({
        TableName: this.db.name,
        Key: keyOf(collectionKey(c.id)),
        UpdateExpression: "SET #c = :c",
        ExpressionAttributeNames: { "#c": "collection" },
        ExpressionAttributeValues: { ":c": JSON.stringify(c) },
      }),
    );
    this.db.count(undefined);
  }

  async updateCollection(id: string, change: (c: StacCollection) => StacCollection): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const out = await this.db.doc.send(
        new GetCommand({
          TableName: this.db.name,
          Key: keyOf(collectionKey(id)),
          ProjectionExpression: "#c",
          ExpressionAttributeNames: { "#c": "collection" },
          ConsistentRead: true,
        }),
      );
      this.db.count(undefined);
      const before = out.Item?.["collection"];
      if (typeof before !== "string") return false;
      const after = JSON.stringify(change(JSON.parse(before) as StacCollection));
      if (after === before) return true;
      // Only if the stored collection is still the one read: a PUT in between is re-read, not overwritten.
      const written = await this.db.applied(() =>
        this.db.doc.send(
          new UpdateCommand({
            TableName: this.db.name,
            Key: keyOf(collectionKey(id)),
            UpdateExpression: "SET #c = :after",
            ConditionExpression: "#c = :before",
            ExpressionAttributeNames: { "#c": "collection" },
            ExpressionAttributeValues: { ":after": after, ":before": before },
          }),
        ),
      );
      if (written) return true;
      if (attempt >= 5)
        throw new TransientError(`collection '${id}' changed under every one of 5 updates; try again`);
    }
  }

  async deleteCollection(id: string): Promise<"deleted" | "missing" | "not-empty"> {
    // Item records are the truth (rows of a deleted item may linger until their cleanup finishes).
    const items = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.name,
        KeyConditionExpression: "#pk = :pk",
        ExpressionAttributeNames: { "#pk": PK },
        ExpressionAttributeValues: { ":pk": itemsPartition(id) },
        Limit: 1,
      }),
    );
    this.db.count(undefined);
    if ((items.Items ?? []).length > 0) return "not-empty";
    this.recordedLevels.delete(id);
    try {
      await this.db.doc.send(
        new DeleteCommand({
          TableName: this.db.name,
          Key: keyOf(collectionKey(id)),
          ConditionExpression: "attribute_exists(#c)",
          ExpressionAttributeNames: { "#c": "collection" },
        }),
      );
      this.db.count(undefined);
      return "deleted";
    } catch (err) {
      this.db.count(undefined);
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
    const current = await this.db.doc.send(
      new GetCommand({ TableName: this.db.name, Key: keyOf(collectionKey(id)) }),
    );
    this.db.count(undefined);
    for (const [attr, value, op] of bounds) {
      const have = current.Item?.[attr] as string | number | undefined;
      if (have !== undefined && !(op === "<" ? value < have : value > have)) continue;
      try {
        await this.db.doc.send(
          new UpdateCommand({
            TableName: this.db.name,
            Key: keyOf(collectionKey(id)),
            UpdateExpression: "SET #a = :v",
            ConditionExpression: `attribute_not_exists(#a) OR #a ${op === "<" ? ">" : "<"} :v`,
            ExpressionAttributeNames: { "#a": attr },
            ExpressionAttributeValues: { ":v": value },
          }),
        );
        this.db.count(undefined);
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
    await this.db.doc.send(
      new UpdateCommand({
        TableName: this.db.name,
        Key: keyOf(collectionKey(id)),
        UpdateExpression: `ADD ${adds.join(", ")}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    this.db.count(undefined);
  }
}

/** Properties whose distinct values a collection's `summaries` lists, and the attribute each is kept in. */
export const SUMMARIZED = [
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
