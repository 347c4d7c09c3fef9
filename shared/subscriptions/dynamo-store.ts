// SubscriptionStore over the catalogue table (partitions WS#, WQ#, WX#, WP#, WD#: shared/index/keys.ts).
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import {
  deadLetterKey,
  deadLetterPartition,
  dispatcherKey,
  eventSequence,
  ownerSubscriptionsRange,
  queueKey,
  queuePartition,
  SK,
  subscriptionKey,
  subscriptionsPartition,
  toldKey,
  toldPartition,
} from "../index/keys.ts";
import { type DynamoTable, keyOf } from "../storage/dynamo-table.ts";
import type { Subscription } from "./model.ts";
import type { DeadLetter, DispatchState, QueuedEvent, SubscriptionStore } from "./store.ts";

const HEALTH_FIELDS = ["backlog", "delivered", "failures", "deadLetters"] as const;

function toSubscription(r: Record<string, unknown>): Subscription {
  const s: Subscription = {
    id: r["id"] as string,
    owner: r["owner"] as string,
    created: r["created"] as string,
    search: JSON.parse(r["search"] as string),
    events: r["events"] as Subscription["events"],
    delivery: r["delivery"] as Subscription["delivery"],
    health: {
      backlog: Math.max(0, Number(r["backlog"] ?? 0)),
      delivered: Number(r["delivered"] ?? 0),
      failures: Number(r["failures"] ?? 0),
      deadLetters: Number(r["deadLetters"] ?? 0),
    },
  };
  if (r["secret"]) s.secret = r["secret"] as string;
  if (Array.isArray(r["cells"])) s.cells = r["cells"] as string[];
  if (r["lastDeliveryAt"]) s.health.lastDeliveryAt = r["lastDeliveryAt"] as string;
  if (r["lastError"]) s.health.lastError = r["lastError"] as string;
  return s;
}

function toQueued(r: Record<string, unknown>): QueuedEvent {
  const e: QueuedEvent = {
    seq: Number(r[SK]),
    body: r["body"] as string,
    eventId: r["eventId"] as string,
    product: r["product"] as string,
    attempts: Number(r["attempts"] ?? 0),
  };
  if (r["notBefore"]) e.notBefore = r["notBefore"] as string;
  if (r["lastError"]) e.lastError = r["lastError"] as string;
  return e;
}

export class DynamoSubscriptionStore implements SubscriptionStore {
  constructor(private readonly db: DynamoTable) {}

  private async send(cmd: PutCommand | UpdateCommand | DeleteCommand): Promise<void> {
    await this.db.doc.send(cmd as PutCommand);
    this.db.count(undefined);
  }

  async put(s: Subscription): Promise<void> {
    const { health, search, ...rest } = s;
    await this.send(
      new PutCommand({
        TableName: this.db.name,
        Item: {
          ...keyOf(subscriptionKey(s.owner, s.id)),
          ...rest,
          search: JSON.stringify(search),
          ...health,
        },
      }),
    );
  }

  async get(owner: string, id: string): Promise<Subscription | undefined> {
    const out = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.name,
        Key: keyOf(subscriptionKey(owner, id)),
        ConsistentRead: true,
      }),
    );
    this.db.count(undefined);
    return out.Item ? toSubscription(out.Item) : undefined;
  }

  async listOwned(owner: string): Promise<Subscription[]> {
    return (await this.db.readPartition(subscriptionsPartition, ownerSubscriptionsRange(owner))).map(
      toSubscription,
    );
  }

  async listAll(): Promise<Subscription[]> {
    return (await this.db.readPartition(subscriptionsPartition)).map(toSubscription);
  }

  async remove(owner: string, id: string): Promise<boolean> {
    const applied = await this.db.applied(() =>
      this.db.doc.send(
        new DeleteCommand({
          TableName: this.db.name,
          Key: keyOf(subscriptionKey(owner, id)),
          ConditionExpression: "attribute_exists(#sk)",
          ExpressionAttributeNames: { "#sk": SK },
        }),
      ),
    );
    if (!applied) return false;
    for (const pk of [queuePartition(id), deadLetterPartition(id)]) {
      for await (const page of this.db.partitionPages(pk, { attributes: [SK] }))
        await this.db.batchWrite(
          page.map((r) => ({ DeleteRequest: { Key: { ...keyOf({ pk, sk: r[SK] as string }) } } })),
        );
    }
    return true;
  }

  /** Adds to a health counter, only while the subscription exists (a deleted one is not brought back). */
  private async health(
    s: Pick<Subscription, "owner" | "id">,
    add: Partial<Record<(typeof HEALTH_FIELDS)[number], number>>,
    set: Record<string, unknown> = {},
  ): Promise<void> {
    const names: Record<string, string> = { "#sk": SK };
    const values: Record<string, unknown> = {};
    const adds = Object.entries(add).map(([k, v], i) => {
      names[`#a${i}`] = k;
      values[`:a${i}`] = v;
      return `#a${i} :a${i}`;
    });
    const sets = Object.entries(set).map(([k, v], i) => {
      names[`#s${i}`] = k;
      values[`:s${i}`] = v;
      return `#s${i} = :s${i}`;
    });
    const expr = [sets.length ? `SET ${sets.join(", ")}` : "", adds.length ? `ADD ${adds.join(", ")}` : ""]
      .filter(Boolean)
      .join(" ");
    await this.db.applied(() =>
      this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.name,
          Key: keyOf(subscriptionKey(s.owner, s.id)),
          UpdateExpression: expr,
          ConditionExpression: "attribute_exists(#sk)",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  async enqueue(s: Pick<Subscription, "owner" | "id">, e: QueuedEvent): Promise<boolean> {
    const { seq, ...rest } = e;
    const added = await this.db.applied(() =>
      this.db.doc.send(
        new PutCommand({
          TableName: this.db.name,
          Item: { ...keyOf(queueKey(s.id, seq)), ...rest },
          ConditionExpression: "attribute_not_exists(#sk)",
          ExpressionAttributeNames: { "#sk": SK },
        }),
      ),
    );
    if (added) await this.health(s, { backlog: 1 });
    return added;
  }

  async pending(subscription: string, limit: number): Promise<QueuedEvent[]> {
    const out: QueuedEvent[] = [];
    for await (const page of this.db.partitionPages(queuePartition(subscription))) {
      out.push(...page.map(toQueued));
      if (out.length >= limit) break;
    }
    return out.slice(0, limit);
  }

  async delivered(s: Pick<Subscription, "owner" | "id">, seqs: number[], at: string): Promise<void> {
    if (seqs.length === 0) return;
    await this.db.batchWrite(seqs.map((q) => ({ DeleteRequest: { Key: keyOf(queueKey(s.id, q)) } })));
    await this.health(
      s,
      { backlog: -seqs.length, delivered: seqs.length },
      { failures: 0, lastDeliveryAt: at },
    );
  }

  async failed(s: Pick<Subscription, "owner" | "id">, e: QueuedEvent, error: string, notBefore: string) {
    await this.send(
      new UpdateCommand({
        TableName: this.db.name,
        Key: keyOf(queueKey(s.id, e.seq)),
        UpdateExpression: "SET attempts = :n, notBefore = :t, lastError = :e",
        ConditionExpression: "attribute_exists(#sk)",
        ExpressionAttributeNames: { "#sk": SK },
        ExpressionAttributeValues: { ":n": e.attempts + 1, ":t": notBefore, ":e": error },
      }),
    ).catch(() => undefined);
    await this.health(s, { failures: 1 }, { lastError: error });
  }

  async deadLetter(s: Pick<Subscription, "owner" | "id">, e: QueuedEvent, error: string, at: string) {
    const { seq, ...rest } = e;
    await this.send(
      new PutCommand({
        TableName: this.db.name,
        Item: { ...keyOf(deadLetterKey(s.id, eventSequence(seq))), ...rest, lastError: error, failedAt: at },
      }),
    );
    await this.send(new DeleteCommand({ TableName: this.db.name, Key: keyOf(queueKey(s.id, seq)) }));
    await this.health(s, { backlog: -1, deadLetters: 1, failures: 1 }, { lastError: error });
  }

  async deadLetters(subscription: string, limit: number): Promise<DeadLetter[]> {
    const out: DeadLetter[] = [];
    for await (const page of this.db.partitionPages(deadLetterPartition(subscription))) {
      out.push(...page.map((r) => ({ ...toQueued(r), failedAt: r["failedAt"] as string })));
      if (out.length >= limit) break;
    }
    return out.slice(0, limit);
  }

  async told(collection: string, id: string, subscription: string): Promise<void> {
    await this.send(
      new PutCommand({ TableName: this.db.name, Item: keyOf(toldKey(collection, id, subscription)) }),
    );
  }

  async toldSubscriptions(collection: string, id: string): Promise<string[]> {
    return (await this.db.readPartition(toldPartition(collection, id))).map((r) => r[SK] as string);
  }

  async forgetTold(collection: string, id: string, subscriptions: string[]): Promise<void> {
    await this.db.batchWrite(
      subscriptions.map((s) => ({ DeleteRequest: { Key: keyOf(toldKey(collection, id, s)) } })),
    );
  }

  async dispatchState(): Promise<DispatchState> {
    const out = await this.db.doc.send(
      new GetCommand({ TableName: this.db.name, Key: keyOf(dispatcherKey), ConsistentRead: true }),
    );
    this.db.count(undefined);
    const seq = Number(out.Item?.["seq"] ?? 0);
    const cursor = out.Item?.["cursor"] as string | undefined;
    return cursor === undefined ? { seq } : { cursor, seq };
  }

  async saveDispatchState(s: DispatchState): Promise<void> {
    await this.send(new PutCommand({ TableName: this.db.name, Item: { ...keyOf(dispatcherKey), ...s } }));
  }
}
