// Search-parameter usage counters in DynamoDB: one UpdateItem per search on one of a month's shards
// (chosen at random, so that no single record takes every search), summed over all shards on read.
import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mapLimited } from "../concurrency.ts";
import { PK, SEARCH_USAGE_SHARDS, SK, searchParamsKey, searchParamsKeys } from "../index/keys.ts";
import { DynamoTable } from "../storage/dynamo-table.ts";

/** Month records read at once by one statistics request. */
const MONTH_READS = 8;
const COUNTER = /^[A-Za-z0-9_:.-]{1,64}$/;

export class DynamoSearchCounters {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    /** Which shard a search adds to (tests pick one). */
    private readonly shard: () => number = () => Math.floor(Math.random() * SEARCH_USAGE_SHARDS),
  ) {}

  /** ADD 1 to a counter per parameter name (unknown-looking names are skipped) on one shard of the month. */
  async record(names: string[], time: string): Promise<void> {
    const unique = [...new Set(names)].filter((n) => COUNTER.test(n));
    if (unique.length === 0) return;
    const k = searchParamsKey(time.slice(0, 7), this.shard());
    const attributeNames: Record<string, string> = {};
    unique.forEach((n, i) => {
      attributeNames[`#n${i}`] = `n:${n}`;
    });
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { [PK]: k.pk, [SK]: k.sk },
        UpdateExpression: `ADD ${unique.map((_, i) => `#n${i} :one`).join(", ")}`,
        ExpressionAttributeNames: attributeNames,
        ExpressionAttributeValues: { ":one": 1 },
      }),
    );
  }

  /**
   * Totals over these months. A month's counters are the sum of its shards and of the records they were
   * kept in before (searchParamsKeys): counts cannot be recomputed, and moving them would need writes
   * the API may no longer make. One BatchGetItem per month reads them all.
   */
  async totals(months: string[]): Promise<Record<string, number>> {
    const totals: Record<string, number> = {};
    const db = new DynamoTable(this.doc, this.table);
    await mapLimited(months, MONTH_READS, async (month) => {
      const keys = searchParamsKeys(month).map((k) => ({ [PK]: k.pk, [SK]: k.sk }));
      for (const record of await db.batchGet(keys))
        for (const [name, v] of Object.entries(record))
          if (name.startsWith("n:")) totals[name.slice(2)] = (totals[name.slice(2)] ?? 0) + Number(v);
    });
    return totals;
  }
}
