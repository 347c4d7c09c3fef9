// DynamoDB store of tombstones (partitions X#<collection>, one record per deleted item): written once,
// conditionally, so that the first deletion's cause and time stay; listed by collection, cause and time;
// found by the item's datetime through a pointer (XT#<collection>) for the DHuS facade's UUIDs.
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { BadRequestError } from "../errors.ts";
import {
  PK,
  SK,
  timeRange,
  tombstoneKey,
  tombstonesPartition,
  tombstoneTimeKey,
  tombstoneTimePartition,
} from "../index/keys.ts";
import { type DynamoTable, isConditionFailure, keyOf } from "./dynamo-table.ts";
import type { Tombstone, TombstonePage, TombstoneQuery, TombstoneStore } from "./tombstones.ts";

interface Cursor {
  /** The collection the next page starts in, and the id it starts after ("" from its start). */
  c: string;
  a: string;
}

export class DynamoTombstones implements TombstoneStore {
  constructor(
    private readonly db: DynamoTable,
    /** Every collection id that may hold tombstones, for catalogue-wide listings. */
    private readonly collections: () => Promise<string[]>,
  ) {}

  async getTombstone(collection: string, id: string): Promise<Tombstone | undefined> {
    const out = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.name,
        Key: keyOf(tombstoneKey(collection, id)),
        ConsistentRead: true,
      }),
    );
    this.db.count(undefined);
    return out.Item ? fromRecord(out.Item) : undefined;
  }

  async putTombstone(t: Tombstone): Promise<Tombstone> {
    // The pointer first: one without its tombstone (a write cut short) leads a reader to nothing.
    await this.db.doc.send(
      new PutCommand({
        TableName: this.db.name,
        Item: keyOf(tombstoneTimeKey(t.collection, t.datetime, t.id)),
      }),
    );
    this.db.count(undefined);
    const written = await this.db.applied(() =>
      this.db.doc.send(
        new PutCommand({
          TableName: this.db.name,
          Item: {
            ...keyOf(tombstoneKey(t.collection, t.id)),
            t: JSON.stringify(t),
            at: t.deletedAt,
            cause: t.deletion.cause,
          },
          // A complete deletion's tombstone gives way: the item came back (uploaded again) and goes again.
          ConditionExpression: `attribute_not_exists(${PK}) OR attribute_exists(#done)`,
          ExpressionAttributeNames: { "#done": "done" },
        }),
      ),
    );
    if (written) return t;
    return (await this.getTombstone(t.collection, t.id)) ?? t;
  }

  async markObjectsRemoved(collection: string, id: string, at: string): Promise<void> {
    const stored = await this.getTombstone(collection, id);
    if (!stored || stored.objectsRemovedAt) return;
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.name,
          Key: keyOf(tombstoneKey(collection, id)),
          UpdateExpression: "SET #t = :t, #done = :at",
          ConditionExpression: `attribute_exists(${PK})`,
          ExpressionAttributeNames: { "#t": "t", "#done": "done" },
          ExpressionAttributeValues: { ":t": JSON.stringify({ ...stored, objectsRemovedAt: at }), ":at": at },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    } finally {
      this.db.count(undefined);
    }
  }

  async tombstonesAt(collection: string, datetime: string): Promise<Tombstone[]> {
    const [lo, hi] = timeRange(datetime, datetime);
    const found: Tombstone[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.doc.send(
        new QueryCommand({
          TableName: this.db.name,
          KeyConditionExpression: "#pk = :pk AND #sk BETWEEN :lo AND :hi",
          ExpressionAttributeNames: { "#pk": PK, "#sk": SK },
          ExpressionAttributeValues: { ":pk": tombstoneTimePartition(collection), ":lo": lo, ":hi": hi },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      this.db.count(undefined);
      for (const r of out.Items ?? []) {
        const id = (r[SK] as string).slice(datetime.length + 1);
        const t = await this.getTombstone(collection, id);
        // A pointer left by an item that came back with another datetime leads nowhere.
        if (t?.datetime === datetime) found.push(t);
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return found;
  }

  async listTombstones(q: TombstoneQuery): Promise<TombstonePage> {
    const cursor = q.cursor === undefined ? undefined : parseCursor(q.cursor);
    const all = q.collection !== undefined ? [q.collection] : (await this.collections()).sort();
    let from = cursor ? all.indexOf(cursor.c) : 0;
    if (cursor && from < 0) from = all.findIndex((c) => c > cursor.c);
    const found: Tombstone[] = [];
    for (let i = Math.max(0, from); i >= 0 && i < all.length; i++) {
      const collection = all[i]!;
      let after = cursor && collection === cursor.c ? cursor.a : "";
      for (;;) {
        const { page, more } = await this.queryPage(collection, after, q);
        for (const t of page) {
          // One more than the page holds: a next link only when there is more to read.
          if (found.length === q.limit) {
            const last = found[found.length - 1]!;
            const c: Cursor = { c: last.collection, a: last.id };
            return { tombstones: found, next: Buffer.from(JSON.stringify(c)).toString("base64url") };
          }
          found.push(t);
        }
        if (!more) break;
        after = more;
      }
    }
    return { tombstones: found };
  }

  /** One DynamoDB page of a collection's tombstones after `after`, filtered; `more`: the id to go on from. */
  private async queryPage(collection: string, after: string, q: TombstoneQuery) {
    const filters: string[] = [];
    const names: Record<string, string> = { "#pk": PK };
    const values: Record<string, unknown> = { ":pk": tombstonesPartition(collection) };
    if (q.cause) {
      filters.push("#cause = :cause");
      names["#cause"] = "cause";
      values[":cause"] = q.cause;
    }
    if (q.since) {
      filters.push("#at >= :since");
      names["#at"] = "at";
      values[":since"] = q.since;
    }
    const out = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.name,
        KeyConditionExpression: "#pk = :pk",
        ...(filters.length ? { FilterExpression: filters.join(" AND ") } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ...(after ? { ExclusiveStartKey: { [PK]: tombstonesPartition(collection), [SK]: after } } : {}),
      }),
    );
    this.db.count(undefined);
    const more = out.LastEvaluatedKey?.[SK] as string | undefined;
    return { page: (out.Items ?? []).map(fromRecord), more };
  }
}

const fromRecord = (r: Record<string, unknown>): Tombstone => JSON.parse(r["t"] as string) as Tombstone;

function parseCursor(s: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as Cursor;
    if (typeof c.c === "string" && typeof c.a === "string") return c;
  } catch {
    // answered below
  }
  throw new BadRequestError(`'cursor' is not one this listing handed out: '${s.slice(0, 80)}'`);
}
