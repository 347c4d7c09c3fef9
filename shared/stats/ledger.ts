// Download records and search-parameter counters: the port, and its DynamoDB adapter. Records are
// written when a download link is issued (the transfer itself happens between client and S3); counters
// are added at write time, totals are aggregated at query time (no standing server on AWS).
import { randomBytes } from "node:crypto";
import { type DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { mapLimited } from "../concurrency.ts";
import { downloadKey, downloadRange, downloadsPartition, PK, SK } from "../index/keys.ts";
import { DynamoTable } from "../storage/dynamo-table.ts";
import { DynamoSearchCounters } from "./search-counters.ts";

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

export class DynamoStatsStore implements StatsStore {
  private readonly searchCounters: DynamoSearchCounters;
  private readonly db: DynamoTable;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    /** Which shard of a month's search counters a search adds to (default: one at random). */
    searchShard?: () => number,
  ) {
    this.searchCounters = new DynamoSearchCounters(doc, table, searchShard);
    this.db = new DynamoTable(doc, table);
  }

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
      for await (const page of this.db.partitionPages(downloadsPartition(month), { range: [lo, hi] }))
        for (const i of page)
          out.push({
            time: String(i["time"]),
            collection: String(i["collection"]),
            item: String(i["item"]),
            file: String(i["file"]),
            user: String(i["user"]),
            bytes: Number(i["bytes"] ?? 0),
          });
    });
    return byMonth.flat();
  }

  /** One UpdateItem per search, on one shard of the month's counters (./search-counters.ts). */
  recordSearch(names: string[], time: string): Promise<void> {
    return this.searchCounters.record(names, time);
  }

  /** Totals over the months of [from, to], all shards and earlier records added up. */
  searchParams(from: string, to: string): Promise<Record<string, number>> {
    return this.searchCounters.totals(monthsBetween(from, to));
  }
}
