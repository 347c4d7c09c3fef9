// Row counts in DynamoDB: per collection and base cell, how many index rows each level has there (and
// the collection's time rows and quarters), added before the rows they count so a search may skip a
// level and cell without a counter; read by the planner to size first pages, rebuilt by a recount.
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mapLimited } from "../concurrency.ts";
import {
  baseCellOfStatsKey,
  collectionOfStatsPartition,
  itemsPartition,
  type Key,
  type Level,
  levelOfRow,
  PK,
  rowStats,
  SK,
  statsKey,
  statsPartition,
  statsRecordRange,
} from "../index/keys.ts";
import type { RowCountReader } from "./catalogue.ts";
import { BATCH_WRITE_CONCURRENCY, type DynamoTable, keyOf } from "./dynamo-table.ts";

/** Counters per UpdateItem of a recount (an update expression holds at most 4 KB). */
const RECOUNT_NAMES_PER_UPDATE = 100;

/** Bulk loads add to the row counts every this many items (and on flushRowCounts). */
export const COUNT_FLUSH_ITEMS = 20_000;

export class DynamoRowCounts implements Required<RowCountReader> {
  /** Rows of bulk-loaded items not yet added to the row counts. */
  /** Counts of bulk-loaded rows not yet written, added up per stats record (not the rows themselves). */
  private pendingCounts: CountRecords = new Map();
  private pendingItems = 0;
  /** Counters (collection, base cell, name) this instance has written: bulk rows adding to them wait. */
  private readonly countedNames = new Set<string>();

  constructor(private readonly db: DynamoTable) {}

  /**
   * Adds these rows to the collection's row counts (one ADD per base cell touched; concurrent writers
   * merge), before the rows are written: a search skips a level and cell whose counter is absent
   * (keys.ts INDEX_FEATURES), so a failure here fails the ingest, as a failed row write does.
   */
  async countRows(collection: string, rows: Key[]): Promise<void> {
    await this.addRowCounts([[collection, rows]]);
  }

  /**
   * Bulk loads: rows adding to a counter this instance has not written yet are counted now, before
   * they are written (a search skips a level and cell without counter); the others add up in memory
   * until the next flush.
   */
  async countBulkRows(collection: string, rows: Key[]): Promise<void> {
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
    tally(this.pendingCounts, [[collection, later]]);
    if (now.length === 0) return;
    await this.addRowCounts([[collection, now]]);
    for (const id of fresh) this.countedNames.add(id);
  }

  /** Bulk loads: these many more items were loaded; their rows' counts are written every COUNT_FLUSH_ITEMS. */
  async bulkItemsLoaded(items: number): Promise<void> {
    this.pendingItems += items;
    if (this.pendingItems >= COUNT_FLUSH_ITEMS) await this.flushRowCounts();
  }

  /** Writes the row counts of bulk-loaded items (loadItems adds them up in memory between flushes). */
  async flushRowCounts(): Promise<void> {
    const pending = this.pendingCounts;
    this.pendingCounts = new Map();
    this.pendingItems = 0;
    await this.writeCounts(pending);
  }

  private async addRowCounts(batches: [string, Key[]][]): Promise<void> {
    await this.writeCounts(tally(new Map(), batches));
  }

  /** Adds these counts to their stats records (one UpdateItem each, a few at once). */
  private async writeCounts(byRecord: CountRecords): Promise<void> {
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
        await this.db.doc.send(
          new UpdateCommand({
            TableName: this.db.name,
            Key: keyOf(statsKey(collection, base)),
            UpdateExpression: `ADD ${adds.join(", ")}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        this.db.count(undefined);
      },
    );
  }

  /**
   * Row counts (keys.ts `statName` → count) of these collections in these base cells (and their time
   * rows and root rows): what the planner needs to estimate an area's ranges. One batch read.
   */
  async rowCounts(collections: string[], baseCells: string[]): Promise<Map<string, Record<string, number>>> {
    const out = new Map<string, Record<string, number>>(collections.map((c) => [c, {}]));
    const keys = collections.flatMap((c) => ["", ...baseCells].map((b) => keyOf(statsKey(c, b))));
    for (const raw of await this.db.batchGet(keys)) {
      const into = out.get(collectionOfStatsPartition(raw[PK] as string));
      if (!into) continue;
      for (const [k, v] of Object.entries(raw)) if (k.startsWith("n_") && typeof v === "number") into[k] = v;
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
    for await (const page of this.db.partitionPages(itemsPartition(collection), { attributes: ["rows"] }))
      for (const raw of page) {
        items++;
        for (const k of withLevels((raw["rows"] as Key[] | undefined) ?? []))
          for (const st of rowStats(k)) {
            const rec = totals.get(st.base) ?? {};
            rec[st.name] = (rec[st.name] ?? 0) + 1;
            totals.set(st.base, rec);
          }
      }
    // Counters are set, never removed: one this recount finds no rows for stays at 1, because an
    // ingest may have added it and be writing its rows now (its item record is stored last), and a
    // search skips a level and cell whose counter is absent (keys.ts INDEX_FEATURES).
    const stored = await this.db.readPartition(statsPartition(collection), statsRecordRange);
    for (const r of stored) {
      const base = baseCellOfStatsKey(r[SK] as string);
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
      const out = await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.name,
          Key: keyOf(statsKey(collection, base)),
          UpdateExpression: `SET ${names.map((_, i) => `#n${i} = :n${i}`).join(", ")}`,
          ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#n${i}`, n])),
          ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:n${i}`, counts[n]!])),
          ReturnConsumedCapacity: "TOTAL",
        }),
      );
      this.db.count(out.ConsumedCapacity);
    });
    return items;
  }
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

/** Row counts per stats record (collection and base cell), keyed by both. */
type CountRecords = Map<string, { collection: string; base: string; counts: Map<string, number> }>;

/** Adds the rows' counts into `into` (and returns it). */
function tally(into: CountRecords, batches: [string, Key[]][]): CountRecords {
  for (const [collection, rows] of batches)
    for (const r of rows)
      for (const st of rowStats(r)) {
        const id = `${collection}\u0000${st.base}`;
        const rec = into.get(id) ?? { collection, base: st.base, counts: new Map<string, number>() };
        rec.counts.set(st.name, (rec.counts.get(st.name) ?? 0) + 1);
        into.set(id, rec);
      }
  return into;
}
