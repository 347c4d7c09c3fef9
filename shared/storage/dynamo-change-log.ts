// The change log in DynamoDB, without transactions: a writer logs an intent before the item write it
// records and confirms it after; readers emit confirmed changes, wait on young intents, and decide old
// ones from the item record (docs/index-design.md, "Change log").
import { randomBytes } from "node:crypto";
import { GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { TransientError } from "../errors.ts";
import {
  CURSOR_SEP,
  changeKeys,
  changesPartition,
  HIGH,
  itemKey,
  PARTITION_PREFIXES,
  PK,
  SK,
} from "../index/keys.ts";
import type { ChangeKind, ChangeLogReader, ChangePage, Deletion, ItemChange } from "./changes.ts";
import { type DynamoTable, isConditionFailure, keyOf } from "./dynamo-table.ts";

/** How many of an item's newest change cursors its record keeps (`chg`), newest first. */
export const CHANGE_CHAIN = 8;

export interface ChangeLogTiming {
  /** Readers read only changes older than this: an intent becomes visible one request after its cursor. */
  settleMs: number;
  /** An unconfirmed intent younger than this holds readers back; older ones are decided from the record. */
  graceMs: number;
  /** A writer whose intent is older than this when it would write the record gives up (and retries). */
  writeDeadlineMs: number;
}
export const DEFAULT_TIMING: ChangeLogTiming = { settleMs: 5_000, graceMs: 30_000, writeDeadlineMs: 10_000 };

/** An intent: the change a writer is about to make, logged before it. */
export interface ChangeIntent {
  cursor: string;
  collection: string;
  id: string;
  kind: ChangeKind;
  version: string;
  hash?: string | undefined;
  deletion?: Deletion | undefined;
  /** The newest change cursor of the record this write replaces or deletes. */
  after?: string | undefined;
  /** Deletions: the deleted record's change chain, so a reader can tell that earlier writes landed. */
  chain?: string[] | undefined;
}

/** Days a reader walks in one page at most (a cursor a year old takes a dozen pages of nothing). */
const MAX_DAYS_PER_PAGE = 31;
const START_PK = `${PARTITION_PREFIXES.changes}start`;
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)~([0-9a-f]{8})$/;

export class DynamoChangeLog implements ChangeLogReader {
  private readonly started = new Set<string>();

  constructor(
    private readonly db: DynamoTable,
    readonly timing: ChangeLogTiming = DEFAULT_TIMING,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Logs the intent of a change (both copies, one request); its cursor follows the item's last one. */
  async begin(c: Omit<ChangeIntent, "cursor">): Promise<ChangeIntent> {
    // An item's cursors only grow, whatever the writers' clocks say: the next follows the last.
    const floor = c.after ? cursorTime(c.after) + 1 : 0;
    const t = new Date(Math.max(this.clock(), floor)).toISOString();
    const intent: ChangeIntent = { ...c, cursor: `${t}${CURSOR_SEP}${randomBytes(4).toString("hex")}` };
    await this.markStart(intent);
    await this.write(intent, { st: "p" });
    return intent;
  }

  /**
   * Logs the intents of many changes in one batch write (a bulk writer's), each as `begin` would; the
   * caller writes their records, then confirms them with confirmAll.
   */
  async beginAll(cs: Omit<ChangeIntent, "cursor">[]): Promise<ChangeIntent[]> {
    const intents = cs.map((c) => {
      const floor = c.after ? cursorTime(c.after) + 1 : 0;
      const t = new Date(Math.max(this.clock(), floor)).toISOString();
      return { ...c, cursor: `${t}${CURSOR_SEP}${randomBytes(4).toString("hex")}` };
    });
    const first = new Map(intents.map((i) => [i.collection, i]));
    for (const i of first.values()) await this.markStart(i);
    await this.db.batchWrite(intents.flatMap((i) => this.requests(i, { st: "p" })));
    return intents;
  }

  /** After the records of these intents landed: the changes are visible to readers (one batch write). */
  confirmAll(intents: ChangeIntent[]): Promise<void> {
    const at = new Date(this.clock()).toISOString();
    return this.db.batchWrite(intents.flatMap((i) => this.requests(i, { st: "ok", at })));
  }

  /** Before the item write: refuses (retryably) when the intent is so old that readers may have decided it. */
  checkFresh(intent: ChangeIntent): void {
    if (this.clock() - cursorTime(intent.cursor) > this.timing.writeDeadlineMs)
      throw new TransientError(`change of '${intent.id}' took too long to write; retrying`);
  }

  /** After the item write landed: the change is visible to readers. */
  confirm(intent: ChangeIntent): Promise<void> {
    return this.write(intent, { st: "ok", at: new Date(this.clock()).toISOString() });
  }

  /** After the item write certainly failed: readers skip the intent at once (best effort). */
  async abandon(intent: ChangeIntent): Promise<void> {
    await this.write(intent, { st: "x" }).catch(() => undefined);
  }

  async readChanges(o: { since?: string; collection?: string; limit: number }): Promise<ChangePage> {
    const now = this.clock();
    const horizon = `${new Date(now - this.timing.settleMs).toISOString()}${CURSOR_SEP}${HIGH}`;
    let position = o.since === undefined ? await this.startOf(o.collection) : sinceKey(o.since);
    if (position === undefined || position >= horizon) return { changes: [] };
    const from = position;
    const changes: ItemChange[] = [];
    let day = position.slice(0, 10);
    const lastDay = horizon.slice(0, 10);
    read: for (let days = 0; day <= lastDay && days < MAX_DAYS_PER_PAGE; days++, day = nextDay(day)) {
      let startKey: Record<string, unknown> | undefined;
      const lo = `${position}\u0000`;
      do {
        const out = await this.db.doc.send(
          new QueryCommand({
            TableName: this.db.name,
            KeyConditionExpression: "#pk = :pk AND #sk BETWEEN :lo AND :hi",
            ExpressionAttributeNames: { "#pk": PK, "#sk": SK },
            ExpressionAttributeValues: {
              ":pk": changesPartition(day, o.collection),
              ":lo": lo,
              ":hi": horizon,
            },
            Limit: Math.max(10, o.limit - changes.length + 1),
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
            ReturnConsumedCapacity: "TOTAL",
          }),
        );
        this.db.count(out.ConsumedCapacity);
        for (const raw of out.Items ?? []) {
          if (changes.length >= o.limit) break read;
          const e = fromRecord(raw);
          if (raw["st"] === "p") {
            // A young intent may still land: stop before it, so no reader passes a change that lands later.
            if (now - cursorTime(e.cursor) < this.timing.graceMs) break read;
            if (await this.landed(e, raw)) changes.push(e);
          } else if (raw["st"] === "ok") changes.push(e);
          position = e.cursor;
        }
        startKey = out.LastEvaluatedKey;
      } while (startKey);
      // The whole day is read (and older than the horizon): the next page starts after it.
      if (day < lastDay) position = `${day}T23:59:59.999Z${CURSOR_SEP}ffffffff`;
    }
    return position > from ? { changes, next: position } : { changes };
  }

  /** Whether an unconfirmed intent older than the grace period landed, from its item's record. */
  private async landed(e: ItemChange, raw: Record<string, unknown>): Promise<boolean> {
    const out = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.name,
        Key: keyOf(itemKey(e.collection, e.id)),
        ProjectionExpression: "#v, #chg",
        ExpressionAttributeNames: { "#v": "v", "#chg": "chg" },
        ConsistentRead: true,
        ReturnConsumedCapacity: "TOTAL",
      }),
    );
    this.db.count(out.ConsumedCapacity);
    const record = out.Item;
    const chain = (record?.["chg"] as string[] | undefined) ?? [];
    if (e.kind === "deleted") {
      if (!record) return true;
      const after = raw["after"] as string | undefined;
      // The record it meant to delete is still there (the same chain) unless the item was written anew.
      return after ? !chain.includes(after) : record["v"] !== e.version;
    }
    if (chain.includes(e.cursor)) return true;
    // Gone or written anew since: it landed if a later deletion removed the record it wrote.
    return this.deletedLater(e);
  }

  private async deletedLater(e: ItemChange): Promise<boolean> {
    const today = new Date(this.clock()).toISOString().slice(0, 10);
    for (let day = e.cursor.slice(0, 10); day <= today; day = nextDay(day)) {
      for await (const page of this.db.partitionPages(changesPartition(day, e.collection), {
        range: [`${e.cursor}\u0000`, HIGH],
      }))
        if (
          page.some((r) => r["id"] === e.id && ((r["pc"] as string[] | undefined) ?? []).includes(e.cursor))
        )
          return true;
    }
    return false;
  }

  /** Where an unbounded read starts: the first day anything was logged (catalogue-wide or in the collection). */
  private async startOf(collection: string | undefined): Promise<string | undefined> {
    const out = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.name,
        Key: keyOf({ pk: START_PK, sk: collection ?? "*" }),
        ReturnConsumedCapacity: "TOTAL",
      }),
    );
    this.db.count(out.ConsumedCapacity);
    const day = out.Item?.["day"] as string | undefined;
    return day ? `${day}T00:00:00.000Z` : undefined;
  }

  /** Records the first day of the log and of the collection's log, once per process. */
  private async markStart(intent: ChangeIntent): Promise<void> {
    for (const scope of ["*", intent.collection]) {
      if (this.started.has(scope)) continue;
      try {
        await this.db.doc.send(
          new PutCommand({
            TableName: this.db.name,
            Item: { ...keyOf({ pk: START_PK, sk: scope }), day: intent.cursor.slice(0, 10) },
            ConditionExpression: `attribute_not_exists(${PK})`,
          }),
        );
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      } finally {
        this.db.count(undefined);
      }
      this.started.add(scope);
    }
  }

  private write(intent: ChangeIntent, state: Record<string, unknown>): Promise<void> {
    return this.db.batchWrite(this.requests(intent, state));
  }

  /** The puts of an intent's two copies in this state. */
  private requests(intent: ChangeIntent, state: Record<string, unknown>): Record<string, unknown>[] {
    const body: Record<string, unknown> = {
      c: intent.collection,
      id: intent.id,
      k: intent.kind,
      v: intent.version,
      ...state,
    };
    if (intent.hash !== undefined) body["h"] = intent.hash;
    if (intent.deletion !== undefined) body["del"] = intent.deletion;
    if (intent.after !== undefined) body["after"] = intent.after;
    if (intent.chain?.length) body["pc"] = intent.chain;
    return changeKeys(intent.cursor, intent.collection).map((k) => ({
      PutRequest: { Item: { ...keyOf(k), ...body } },
    }));
  }
}

/** The item record's change chain after a write with this cursor. */
export const nextChain = (cursor: string, previous: string[] | undefined): string[] =>
  [cursor, ...(previous ?? [])].slice(0, CHANGE_CHAIN);

export const isCursor = (s: string): boolean => CURSOR.test(s);

/** The exclusive lower bound of a read from `since`: a cursor, or an RFC 3339 time (changes at it included). */
export function sinceKey(since: string): string {
  if (isCursor(since)) return since;
  const t = Date.parse(since);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(since) || Number.isNaN(t)) throw new RangeError(since);
  // Just before every cursor of that millisecond.
  return new Date(t).toISOString();
}

const cursorTime = (cursor: string): number => Date.parse(cursor.slice(0, 24));

const nextDay = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);

function fromRecord(r: Record<string, unknown>): ItemChange {
  const cursor = r[SK] as string;
  const c: ItemChange = {
    cursor,
    collection: r["c"] as string,
    id: r["id"] as string,
    kind: r["k"] as ChangeKind,
    at: (r["at"] as string | undefined) ?? cursor.slice(0, 24),
    version: r["v"] as string,
  };
  if (r["h"] !== undefined) c.hash = r["h"] as string;
  if (r["del"] !== undefined) c.deletion = r["del"] as Deletion;
  return c;
}
