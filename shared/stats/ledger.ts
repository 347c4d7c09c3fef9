// Download records and search-parameter counters: the port, and its DynamoDB adapter. Records are
// written when a download link is issued (the transfer itself happens between client and S3); counters
// are added at write time, totals are aggregated at query time (no standing server on AWS).
import { randomBytes } from "node:crypto";
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { mapLimited } from "../concurrency.ts";
import {
  downloadKey,
  downloadRange,
  downloadsPartition,
  legacySearchParamsKey,
  PK,
  SK,
  searchParamsKey,
} from "../index/keys.ts";
import { backoff } from "../storage/dynamo-table.ts";

/** Month partitions read at once by one statistics request. */
const MONTH_READS = 8;

export interface DownloadRecord {
  time: string;
  collection: string;
  item: string;
  /** The asset key, or `files/<path>` for a file asked for by path. */
  file: string;
  user: string;
  bytes: number;
}

export interface StatsStore {
  recordDownload(r: DownloadRecord): Promise<void>;
  downloads(from: string, to: string): Promise<DownloadRecord[]>;
  recordSearch(names: string[], time: string): Promise<void>;
  searchParams(from: string, to: string): Promise<Record<string, number>>;
}

/** "YYYY-MM" of every month that [from, to] touches. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const end = to.slice(0, 7);
  for (let i = 0; i < 1200; i++) {
    const month = `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}`;
    if (month > end) break;
    out.push(month);
    m = m === 12 ? 1 : m + 1;
    if (m === 1) y++;
  }
  return out;
}

const COUNTER = /^[A-Za-z0-9_:.-]{1,64}$/;

export class DynamoStatsStore implements StatsStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async recordDownload(r: DownloadRecord): Promise<void> {
    const k = downloadKey(r.time, randomBytes(6).toString("hex"));
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { [PK]: k.pk, [SK]: k.sk, ...r } }));
  }

  async downloads(from: string, to: string): Promise<DownloadRecord[]> {
    const [lo, hi] = downloadRange(from, to);
    // A month per partition: read several at once (ten years are 121), keeping the months in order.
    const months = monthsBetween(from, to);
    const byMonth: DownloadRecord[][] = months.map(() => []);
    await mapLimited([...months.keys()], MONTH_READS, async (m) => {
      const out = byMonth[m]!;
      const month = months[m]!;
      let next: Record<string, unknown> | undefined;
      do {
        const page = await this.doc.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: "#pk = :pk AND #sk BETWEEN :lo AND :hi",
            ExpressionAttributeNames: { "#pk": PK, "#sk": SK },
            ExpressionAttributeValues: { ":pk": downloadsPartition(month), ":lo": lo, ":hi": hi },
            ...(next ? { ExclusiveStartKey: next } : {}),
          }),
        );
        for (const i of page.Items ?? []) {
          out.push({
            time: String(i["time"]),
            collection: String(i["collection"]),
            item: String(i["item"]),
            file: String(i["file"]),
            user: String(i["user"]),
            bytes: Number(i["bytes"] ?? 0),
          });
        }
        next = page.LastEvaluatedKey;
      } while (next);
    });
    return byMonth.flat();
  }

  /** One UpdateItem per search: ADD 1 to a counter per parameter name (unknown-looking names are skipped). */
  async recordSearch(names: string[], time: string): Promise<void> {
    const unique = [...new Set(names)].filter((n) => COUNTER.test(n));
    if (unique.length === 0) return;
    const k = searchParamsKey(time.slice(0, 7));
    const names_: Record<string, string> = {};
    unique.forEach((n, i) => {
      names_[`#n${i}`] = `n:${n}`;
    });
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { [PK]: k.pk, [SK]: k.sk },
        UpdateExpression: `ADD ${unique.map((_, i) => `#n${i} :one`).join(", ")}`,
        ExpressionAttributeNames: names_,
        ExpressionAttributeValues: { ":one": 1 },
      }),
    );
  }

  /**
   * Totals over the months of [from, to]. Each month's counters are read from their record and from
   * where they were kept before usage counters had a partition prefix of their own (`P#<month>`): the
   * counts cannot be recomputed, and moving them would need a write the API may no longer make. Both
   * records come in one BatchGetItem, so a month costs one request, as it did with one record.
   */
  async searchParams(from: string, to: string): Promise<Record<string, number>> {
    const totals: Record<string, number> = {};
    await mapLimited(monthsBetween(from, to), MONTH_READS, async (month) => {
      let pending: Record<string, unknown>[] | undefined = [
        searchParamsKey(month),
        legacySearchParamsKey(month),
      ].map((k) => ({ [PK]: k.pk, [SK]: k.sk }));
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        const got = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending } } }),
        );
        for (const record of got.Responses?.[this.table] ?? []) {
          for (const [name, v] of Object.entries(record)) {
            if (name.startsWith("n:")) totals[name.slice(2)] = (totals[name.slice(2)] ?? 0) + Number(v);
          }
        }
        pending = got.UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined;
        if (pending?.length) await backoff(attempt);
      }
    });
    return totals;
  }
}
