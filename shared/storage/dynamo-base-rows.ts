// The reindex that gives a collection indexed before base rows existed (stamp COUNTED_ROWS_FEATURE) its
// base rows in place: it walks the item records, creates each item's missing base rows and lists them on
// its record, checkpointed page by page; then it adds their counters and stamps the collection
// BASE_ROWS_FEATURE, from which searches read base ranges. Searches keep the old plan until then.
import { randomUUID } from "node:crypto";
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mapLimited } from "../concurrency.ts";
import { BadRequestError, ConflictError, NotFoundError } from "../errors.ts";
import {
  BASE_ROWS_FEATURE,
  COUNTED_ROWS_FEATURE,
  collectionKey,
  itemKey,
  itemsPartition,
  type Key,
  levelOfRow,
  PK,
  reindexKey,
  rowStats,
  SK,
  statsKey,
} from "../index/keys.ts";
import { buildItemRows, type IndexRow } from "../index/rows.ts";
import type { StacItem } from "../stac/types.ts";
import type { DynamoCollections } from "./dynamo-collections.ts";
import { rowAttributes } from "./dynamo-rows.ts";
import { BATCH_WRITE_CONCURRENCY, type DynamoTable, isConditionFailure, keyOf } from "./dynamo-table.ts";

/** Item records per page: one Query, their rows and records, then one checkpoint write. */
export const REINDEX_PAGE_ITEMS = 100;

export interface ReindexOptions {
  /** Read and report what would be written; write nothing. */
  dryRun?: boolean;
  pageSize?: number;
  /** Epoch ms: stop after the page that ends past it (a Lambda's time budget); the next run resumes. */
  until?: number;
  /** Called after each checkpointed page. */
  afterPage?: (report: ReindexReport) => Promise<void>;
}

export interface ReindexReport {
  collection: string;
  /** Item records this run read. */
  items: number;
  /** Records this run listed base rows on (dry run: would). */
  updated: number;
  /** Base rows this run created (dry run: would create). */
  rowsWritten: number;
  /** Base rows found already there (ingest wrote them meanwhile, or a run that was stopped did). */
  rowsPresent: number;
  /** Items replaced or deleted between this run's read and its write (their new version has its rows). */
  changed: number;
  /** Checkpoints written. */
  pages: number;
  /** Write capacity units this run used (dry run: an estimate of the whole job's) and read units. */
  wcu: number;
  rcu: number;
  /** The walk is finished, the counters added and the collection stamped BASE_ROWS_FEATURE. */
  done: boolean;
  /** It was so before this run: nothing was written. */
  alreadyDone: boolean;
  /** This run resumed a stopped one after this item id. */
  resumedAfter?: string;
}

/** A reindex's progress, stored at keys.ts `reindexKey`. */
interface Checkpoint {
  job: string;
  /** The last item id done (the walk is in item-id order). */
  after?: string;
  /** Base rows counted so far, by stats record (base cell) and counter; added to the counters at the end. */
  counts: Record<string, Record<string, number>>;
  done: boolean;
}

/** Counts of rows, by base cell of their stats record and counter name. */
type Tally = Record<string, Record<string, number>>;

function add(into: Tally, base: string, name: string, n: number): void {
  const rec = into[base] ?? {};
  rec[name] = (rec[name] ?? 0) + n;
  into[base] = rec;
}

function tally(into: Tally, rows: Key[]): void {
  for (const k of rows) for (const st of rowStats(k)) add(into, st.base, st.name, 1);
}

function merged(a: Tally, b: Tally): Tally {
  const out: Tally = structuredClone(a);
  for (const [base, names] of Object.entries(b))
    for (const [name, n] of Object.entries(names)) add(out, base, name, n);
  return out;
}

const isBase = (k: Key) => levelOfRow(k) === "B";
/** Write units of a record of this many bytes (DynamoDB: 1 per KB started). */
const units = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

export class DynamoBaseRows {
  constructor(
    private readonly db: DynamoTable,
    private readonly collections: Pick<DynamoCollections, "recordLevels">,
  ) {}

  /**
   * Gives the collection's items their base rows (see the module header). Resumable: a stopped run's
   * checkpoint says where the next one starts; rows are created only where absent and records listed
   * only once, so a rerun writes nothing twice, and a page's rows are counted with its checkpoint, so
   * no counter counts a row twice. Items ingested meanwhile get their base rows from ingest itself
   * (rows.ts `buildItemRows` writes them whatever the stamp) and are skipped.
   */
  async reindex(collection: string, o: ReindexOptions = {}): Promise<ReindexReport> {
    const report: ReindexReport = {
      collection,
      items: 0,
      updated: 0,
      rowsWritten: 0,
      rowsPresent: 0,
      changed: 0,
      pages: 0,
      wcu: 0,
      rcu: 0,
      done: false,
      alreadyDone: false,
    };
    const { features, levels } = await this.collectionState(collection);
    let cp = await this.readCheckpoint(collection);
    if (features >= BASE_ROWS_FEATURE) {
      // Stamped: complete, or stopped between its stamp and marking its checkpoint done.
      if (cp && !cp.done && !o.dryRun) await this.finish(collection, cp, report);
      return { ...report, done: true, alreadyDone: true };
    }
    // No row yet: its first rows will be stamped with this code's features.
    if (features === 0 && levels.size === 0) return { ...report, done: true, alreadyDone: true };
    if (features < COUNTED_ROWS_FEATURE)
      throw new BadRequestError(
        `collection '${collection}' was indexed before row counts (index features ${features || "none"}): ` +
          "its index cannot be completed in place; load its items into a new collection",
      );
    if (cp?.after !== undefined) report.resumedAfter = cp.after;
    if (o.dryRun) {
      await this.walk(collection, cp?.after, o, report, async (page) => {
        for (const raw of page) this.estimate(raw, report);
      });
      return report;
    }
    cp ??= await this.startCheckpoint(collection);
    // Before any base row: the collection's levels include "B" by the time it is stamped.
    if (!levels.has("B")) await this.collections.recordLevels(collection, [{ pk: "", sk: "", level: "B" }]);
    const job = cp.job;
    let current = cp;
    const finished = await this.walk(collection, cp.after, o, report, async (page) => {
      const counted: Tally = {};
      await mapLimited(page, BATCH_WRITE_CONCURRENCY, (raw) =>
        this.backfillItem(collection, raw, job, counted, report),
      );
      current = await this.advance(
        collection,
        current,
        page[page.length - 1]![SK] as string,
        counted,
        report,
      );
      report.pages++;
      await o.afterPage?.(report);
    });
    if (finished) await this.finish(collection, current, report);
    return report;
  }

  /** Reads the item records after `after` page by page; false when stopped by `until` before the end. */
  private async walk(
    collection: string,
    after: string | undefined,
    o: ReindexOptions,
    report: ReindexReport,
    each: (page: Record<string, unknown>[]) => Promise<void>,
  ): Promise<boolean> {
    let startKey: Record<string, unknown> | undefined =
      after === undefined ? undefined : keyOf(itemKey(collection, after));
    for (;;) {
      const out = await this.db.doc.send(
        new QueryCommand({
          TableName: this.db.name,
          KeyConditionExpression: "#pk = :pk",
          ProjectionExpression: "#sk, #v, #rows, #item, #bf",
          ExpressionAttributeNames: {
            "#pk": PK,
            "#sk": SK,
            "#v": "v",
            "#rows": "rows",
            "#item": "item",
            "#bf": "bf",
          },
          ExpressionAttributeValues: { ":pk": itemsPartition(collection) },
          ExclusiveStartKey: startKey,
          Limit: o.pageSize ?? REINDEX_PAGE_ITEMS,
          ReturnConsumedCapacity: "TOTAL",
        }),
      );
      report.rcu += this.db.count(out.ConsumedCapacity);
      const page = out.Items ?? [];
      report.items += page.length;
      if (page.length > 0) await each(page);
      startKey = out.LastEvaluatedKey;
      if (!startKey) return true;
      if (o.until !== undefined && Date.now() >= o.until) return false;
    }
  }

  /** The base rows an item lacks: none when its record lists some (or it needs none: strips, root, no geometry). */
  private missingRows(raw: Record<string, unknown>): { keys: Key[]; base: IndexRow[] } {
    const keys = (raw["rows"] as Key[] | undefined) ?? [];
    if (keys.some(isBase)) return { keys, base: [] };
    const item = JSON.parse(raw["item"] as string) as StacItem;
    return { keys, base: buildItemRows(item, raw["v"] as string).rows.filter(isBase) };
  }

  private estimate(raw: Record<string, unknown>, report: ReindexReport): void {
    const { keys, base } = this.missingRows(raw);
    if (base.length === 0) return;
    report.updated++;
    report.rowsWritten += base.length;
    for (const r of base) report.wcu += units(JSON.stringify(rowAttributes(r)).length);
    const all = [...keys, ...base.map((r) => ({ pk: r.pk, sk: r.sk }))];
    report.wcu += units((raw["item"] as string).length + JSON.stringify(all).length + 100);
  }

  private async backfillItem(
    collection: string,
    raw: Record<string, unknown>,
    job: string,
    counted: Tally,
    report: ReindexReport,
  ): Promise<void> {
    const { keys, base } = this.missingRows(raw);
    if (base.length === 0) {
      // Listed by a stopped run of this job, whose checkpoint did not count it: counted with this page.
      if (raw["bf"] === job) tally(counted, keys.filter(isBase));
      return;
    }
    // Created only where absent: a row there is the item's own (a replacement's, written by ingest
    // meanwhile, or this job's before it was stopped), never overwritten by this older read.
    await mapLimited(base, base.length, async (r) => {
      if (
        await this.write(
          new PutCommand({
            TableName: this.db.name,
            Item: rowAttributes(r),
            ConditionExpression: "attribute_not_exists(#pk)",
            ExpressionAttributeNames: { "#pk": PK },
            ReturnConsumedCapacity: "TOTAL",
          }),
          report,
        )
      )
        report.rowsWritten++;
      else report.rowsPresent++;
    });
    const baseKeys = base.map((r) => ({ pk: r.pk, sk: r.sk }));
    // Only onto the record read: same version, same rows (a replacement lists its own rows, base ones too).
    const listed = await this.write(
      new UpdateCommand({
        TableName: this.db.name,
        Key: keyOf(itemKey(collection, raw[SK] as string)),
        UpdateExpression: "SET #rows = :rows, #bf = :job",
        ConditionExpression:
          raw["rows"] === undefined
            ? "#v = :v AND attribute_not_exists(#rows)"
            : "#v = :v AND size(#rows) = :n",
        ExpressionAttributeNames: { "#rows": "rows", "#bf": "bf", "#v": "v" },
        ExpressionAttributeValues: {
          ":rows": [...keys, ...baseKeys],
          ":job": job,
          ":v": raw["v"],
          ...(raw["rows"] === undefined ? {} : { ":n": keys.length }),
        },
        ReturnConsumedCapacity: "TOTAL",
      }),
      report,
    );
    if (listed) report.updated++;
    else report.changed++;
    // Counted either way: the rows exist (a replaced item's may stay behind, skipped by their version
    // stamp like any stale row), and a counter may be high, never absent for rows that exist.
    tally(counted, baseKeys);
  }

  /** Sends a conditional write: true when applied; its write units go to the report (1 when refused). */
  private async write(cmd: PutCommand | UpdateCommand, report: ReindexReport): Promise<boolean> {
    try {
      const out = (await this.db.doc.send(cmd as PutCommand)) as {
        ConsumedCapacity?: { CapacityUnits?: number };
      };
      report.wcu += this.db.count(out.ConsumedCapacity);
      return true;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      // DynamoDB charges a refused write (at least 1 unit) but does not say how much.
      this.db.count(undefined);
      report.wcu += 1;
      return false;
    }
  }

  private async collectionState(collection: string): Promise<{ features: number; levels: Set<string> }> {
    const out = await this.db.doc.send(
      new GetCommand({
        TableName: this.db.name,
        Key: keyOf(collectionKey(collection)),
        ConsistentRead: true,
      }),
    );
    this.db.count(undefined);
    if (!out.Item?.["collection"]) throw new NotFoundError(`collection '${collection}' does not exist`);
    return {
      features: typeof out.Item["ix"] === "number" ? out.Item["ix"] : 0,
      levels: (out.Item["lv"] as Set<string> | undefined) ?? new Set(),
    };
  }

  private async readCheckpoint(collection: string): Promise<Checkpoint | undefined> {
    const out = await this.db.doc.send(
      new GetCommand({ TableName: this.db.name, Key: keyOf(reindexKey(collection)), ConsistentRead: true }),
    );
    this.db.count(undefined);
    const r = out.Item;
    if (!r) return undefined;
    const cp: Checkpoint = {
      job: r["job"] as string,
      counts: JSON.parse(r["t"] as string),
      done: r["done"] === true,
    };
    if (typeof r["after"] === "string") cp.after = r["after"];
    return cp;
  }

  private async startCheckpoint(collection: string): Promise<Checkpoint> {
    const cp: Checkpoint = { job: randomUUID(), counts: {}, done: false };
    const created = await this.db.applied(() =>
      this.db.doc.send(
        new PutCommand({
          TableName: this.db.name,
          Item: { ...keyOf(reindexKey(collection)), job: cp.job, t: "{}", done: false },
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": PK },
        }),
      ),
    );
    if (!created) throw concurrentRun(collection);
    return cp;
  }

  /** Moves the checkpoint past a page and adds its counts, unless another run moved it meanwhile. */
  private async advance(
    collection: string,
    cp: Checkpoint,
    after: string,
    page: Tally,
    report: ReindexReport,
  ): Promise<Checkpoint> {
    const next: Checkpoint = { ...cp, after, counts: merged(cp.counts, page) };
    const t = JSON.stringify(next.counts);
    const moved = await this.db.applied(() =>
      this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.name,
          Key: keyOf(reindexKey(collection)),
          UpdateExpression: "SET #after = :after, #t = :t",
          ConditionExpression:
            cp.after === undefined
              ? "#job = :job AND attribute_not_exists(#after)"
              : "#job = :job AND #after = :prev",
          ExpressionAttributeNames: { "#after": "after", "#t": "t", "#job": "job" },
          ExpressionAttributeValues: {
            ":after": after,
            ":t": t,
            ":job": cp.job,
            ...(cp.after === undefined ? {} : { ":prev": cp.after }),
          },
        }),
      ),
    );
    if (!moved) throw concurrentRun(collection);
    // Not returned by a conditional write helper: the record's size says it.
    report.wcu += units(t.length + after.length + 100);
    return next;
  }

  /**
   * Adds the job's counts to the row counters (each stats record once: it keeps the job's id), then
   * stamps the collection and marks the checkpoint done. Each step may be repeated by a rerun.
   */
  private async finish(collection: string, cp: Checkpoint, report: ReindexReport): Promise<void> {
    // A rerun adds only what the stopped run did not (a record that keeps the job's id has its counts).
    const applied = new Set(
      (
        await this.db.batchGet(
          Object.keys(cp.counts).map((base) => keyOf(statsKey(collection, base))),
          { consistent: true },
        )
      )
        .filter((r) => r["rj"] === cp.job)
        .map((r) => r[SK] as string),
    );
    const pending = Object.entries(cp.counts).filter(([base]) => !applied.has(statsKey(collection, base).sk));
    await mapLimited(pending, BATCH_WRITE_CONCURRENCY, async ([base, counts]) => {
      const names = Object.keys(counts);
      await this.write(
        new UpdateCommand({
          TableName: this.db.name,
          Key: keyOf(statsKey(collection, base)),
          UpdateExpression: `ADD ${names.map((_, i) => `#n${i} :n${i}`).join(", ")} SET #rj = :job`,
          ConditionExpression: "attribute_not_exists(#rj) OR #rj <> :job",
          ExpressionAttributeNames: {
            "#rj": "rj",
            ...Object.fromEntries(names.map((n, i) => [`#n${i}`, n])),
          },
          ExpressionAttributeValues: {
            ":job": cp.job,
            ...Object.fromEntries(names.map((n, i) => [`:n${i}`, counts[n]!])),
          },
          ReturnConsumedCapacity: "TOTAL",
        }),
        report,
      );
    });
    await this.write(
      new UpdateCommand({
        TableName: this.db.name,
        Key: keyOf(collectionKey(collection)),
        UpdateExpression: "SET #ix = :ix",
        ConditionExpression: "attribute_exists(#ix) AND #ix < :ix",
        ExpressionAttributeNames: { "#ix": "ix" },
        ExpressionAttributeValues: { ":ix": BASE_ROWS_FEATURE },
        ReturnConsumedCapacity: "TOTAL",
      }),
      report,
    );
    await this.write(
      new UpdateCommand({
        TableName: this.db.name,
        Key: keyOf(reindexKey(collection)),
        UpdateExpression: "SET #done = :done",
        ConditionExpression: "#job = :job",
        ExpressionAttributeNames: { "#done": "done", "#job": "job" },
        ExpressionAttributeValues: { ":done": true, ":job": cp.job },
        ReturnConsumedCapacity: "TOTAL",
      }),
      report,
    );
    report.done = true;
  }
}

const concurrentRun = (collection: string) =>
  new ConflictError(
    `another run of the reindex of '${collection}' moved its checkpoint: this run stops; run it again to resume`,
  );
