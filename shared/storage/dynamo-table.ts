// The DynamoDB plumbing every store over the one table shares, as one object passed to each: the
// client and table, request and capacity counting, conditional writes, batched reads and writes with
// retries of unprocessed keys and items, and whole-partition reads.
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
} from "@aws-sdk/lib-dynamodb";
import { type Key, PK, SK } from "../index/keys.ts";
import type { IoStats } from "./catalogue.ts";

export const BATCH_WRITE_CONCURRENCY = 4;

export const keyOf = (k: Key) => ({ [PK]: k.pk, [SK]: k.sk });
export const sameKey = (a: Key, b: Key) => a.pk === b.pk && a.sk === b.sk;
export const isConditionFailure = (e: unknown) =>
  (e as { name?: string }).name === "ConditionalCheckFailedException";
export const backoff = (attempt: number) =>
  new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random())));

export class DynamoTable {
  /** Requests and capacity of every store sharing this object. */
  readonly stats: IoStats = { requests: 0, capacity: 0 };

  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  /** Counts one request and its consumed capacity (returned). */
  count(
    consumed: { CapacityUnits?: number | undefined } | { CapacityUnits?: number | undefined }[] | undefined,
  ): number {
    this.stats.requests++;
    const units = Array.isArray(consumed)
      ? consumed.reduce((s, c) => s + (c.CapacityUnits ?? 0), 0)
      : (consumed?.CapacityUnits ?? 0);
    this.stats.capacity += units;
    return units;
  }

  /** Sends a conditional write: true when it applied, false when its condition failed (one request either way). */
  async applied(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    } finally {
      this.count(undefined);
    }
  }

  /**
   * The records of these keys that exist, in batches of 100 one after another, unprocessed keys
   * retried; `consistent`: strongly consistent reads.
   */
  async batchGet(
    keys: Record<string, unknown>[],
    o: { consistent?: boolean } = {},
  ): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + 100);
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        const out = await this.doc.send(
          new BatchGetCommand({
            RequestItems: {
              [this.name]: { Keys: pending, ...(o.consistent ? { ConsistentRead: true } : {}) },
            },
            ReturnConsumedCapacity: "TOTAL",
          }),
        );
        this.count(out.ConsumedCapacity);
        found.push(...(out.Responses?.[this.name] ?? []));
        pending = out.UnprocessedKeys?.[this.name]?.Keys as Record<string, unknown>[] | undefined;
        if (pending?.length) await backoff(attempt);
      }
    }
    return found;
  }

  /** Batches of 25, a few in flight at once (the items of one load or one item's rows are independent). */
  async batchWrite(requests: Record<string, unknown>[]): Promise<void> {
    const batches: Record<string, unknown>[][] = [];
    for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        let pending: Record<string, unknown>[] | undefined = batches[next++];
        for (let attempt = 0; pending && pending.length > 0; attempt++) {
          const out = await this.doc.send(
            new BatchWriteCommand({
              RequestItems: { [this.name]: pending as never },
              ReturnConsumedCapacity: "TOTAL",
            }),
          );
          this.count(out.ConsumedCapacity);
          pending = out.UnprocessedItems?.[this.name] as Record<string, unknown>[] | undefined;
          if (pending?.length) await backoff(attempt);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_WRITE_CONCURRENCY, batches.length) }, worker));
  }

  /**
   * The records of one partition, or of a sort-key range of it, page by page (DynamoDB's 1 MB pages);
   * with `attributes`, only those (and nothing else) of each record.
   */
  async *partitionPages(
    pk: string,
    o: { range?: [string, string] | undefined; attributes?: string[] } = {},
  ): AsyncIterable<Record<string, unknown>[]> {
    const names: Record<string, string> = { "#pk": PK, ...(o.range ? { "#sk": SK } : {}) };
    o.attributes?.forEach((a, i) => {
      names[`#a${i}`] = a;
    });
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.name,
          KeyConditionExpression: o.range ? "#pk = :pk AND #sk BETWEEN :lo AND :hi" : "#pk = :pk",
          ...(o.attributes ? { ProjectionExpression: o.attributes.map((_, i) => `#a${i}`).join(", ") } : {}),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: o.range
            ? { ":pk": pk, ":lo": o.range[0], ":hi": o.range[1] }
            : { ":pk": pk },
          ExclusiveStartKey: startKey,
          ReturnConsumedCapacity: "TOTAL",
        }),
      );
      this.count(out.ConsumedCapacity);
      yield out.Items ?? [];
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }

  /** Every record of one (small) partition, or of a sort-key range of it. */
  async readPartition(pk: string, range?: [string, string]): Promise<Record<string, unknown>[]> {
    const all: Record<string, unknown>[] = [];
    for await (const page of this.partitionPages(pk, { range })) all.push(...page);
    return all;
  }
}
