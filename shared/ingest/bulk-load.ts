// A bulk load of an NDJSON catalogue (collections and items, one a line, as `hexarchive export` writes
// them) straight into the catalogue's table through its bulk path (storage/dynamo-bulk-load.ts): rows
// and records in large batches without per-item reads or change-log entries, batches prepared while the
// previous one is written, and a checkpoint (line and byte offset) after every `checkpointItems` items
// so that a killed load resumes where it stopped, without duplicates and without losing items.
//
// What it does not do: log each item in the change log (mirrors and subscriptions do not see bulk-loaded
// items; docs/operations.md), nor remove the rows of an item it replaces (searches ignore them by their
// version stamp; the row counts, estimates, count them until `npm run recount`).
import type { ItemSummary } from "../index/rows.ts";
import { newCollection } from "../products/new-collection.ts";
import type { StacCollection } from "../stac/types.ts";
import type { BulkEntry, Importer } from "../storage/dynamo-bulk-load.ts";
import { SUMMARIZED } from "../storage/dynamo-collections.ts";
import { type PreparedLine, prepareLines } from "./bulk-item.ts";
import { apiVersion } from "./index-item.ts";
import { type NdjsonLine, ndjsonLines, type OpenAt, type StreamPosition } from "./ndjson-lines.ts";

/** Where a load stands: lines and bytes done, and what they held. */
export interface BulkCheckpoint extends StreamPosition {
  items: number;
  bad: number;
  collections: number;
}

/** Where the checkpoint is kept (a local file, an S3 object, a table record). */
export interface CheckpointStore {
  read(): Promise<BulkCheckpoint | undefined>;
  write(cp: BulkCheckpoint): Promise<void>;
  /** The load is complete. */
  clear(): Promise<void>;
}

/** The catalogue's side of a bulk load (DynamoCatalogue has all of it). */
export interface BulkSink {
  getCollection(id: string): Promise<unknown>;
  putCollection(c: StacCollection): Promise<void>;
  loadItems(entries: BulkEntry[], importer?: Importer): Promise<void>;
  /** Row counts and tile footprint counts held in memory, written. */
  flushRowCounts(): Promise<void>;
  extendCollection(id: string, s: ItemSummary): Promise<void>;
}

/** Prepares a batch of lines (bulk-item.ts prepareLines, or the same in worker threads). */
export type PrepareBatch = (lines: NdjsonLine[], version: string, now: string) => Promise<PreparedLine[]>;

export interface BulkLoadOptions {
  open: OpenAt;
  sink: BulkSink;
  checkpoint: CheckpointStore;
  /** A bulk import path for the records (e.g. the bench emulator's); BatchWriteItem without one. */
  importer?: Importer;
  prepare?: PrepareBatch;
  /** Lines per batch (default 2,000): each batch writes the counters its rows are the first to add to. */
  batchLines?: number;
  /**
   * Items between checkpoints (default 20,000): the most a resume writes twice. Each checkpoint writes the
   * row counts (one UpdateItem per collection and base cell touched, ≈ 300 on a worldwide catalogue).
   */
  checkpointItems?: number;
  /** Items of a collection neither in the catalogue nor earlier in the file: create a bare one. */
  createCollections?: boolean;
  /** A line refused (not JSON, not a valid item, unknown collection): reported, not written. */
  onBad?: (line: number, reason: string) => void;
  onCheckpoint?: (cp: BulkCheckpoint) => void;
  now?: () => Date;
}

export interface BulkLoadResult extends BulkCheckpoint {
  /** Where this run started (0: a fresh load). */
  resumedAfterLine: number;
  /** Items written by this run. */
  written: number;
}

export async function bulkLoadNdjson(o: BulkLoadOptions): Promise<BulkLoadResult> {
  const now = o.now ?? (() => new Date());
  const prepare = o.prepare ?? prepareLines;
  const batchLines = o.batchLines ?? 2000;
  const checkpointItems = o.checkpointItems ?? 20_000;
  const saved = await o.checkpoint.read();
  const cp: BulkCheckpoint = saved ? { ...saved } : { line: 0, offset: 0, items: 0, bad: 0, collections: 0 };
  const resumedAfterLine = cp.line;
  const lines = ndjsonLines(o.open, cp)[Symbol.asyncIterator]();
  const known = new Map<string, boolean>();
  const digests = new Map<string, CollectionDigest>();
  let sinceCheckpoint = 0;
  let written = 0;
  /** Done up to here, not yet checkpointed. */
  let done: StreamPosition = { line: cp.line, offset: cp.offset };

  const collectionExists = async (id: string) => {
    let there = known.get(id);
    if (there === undefined) {
      there = (await o.sink.getCollection(id)) !== undefined;
      known.set(id, there);
    }
    return there;
  };
  const readBatch = async (): Promise<NdjsonLine[]> => {
    const batch: NdjsonLine[] = [];
    while (batch.length < batchLines) {
      const next = await lines.next();
      if (next.done) break;
      batch.push(next.value);
    }
    return batch;
  };
  const prepareNext = async () => {
    const batch = await readBatch();
    const t = now();
    return batch.length === 0 ? undefined : prepare(batch, apiVersion(t), t.toISOString());
  };
  const checkpoint = async () => {
    await o.sink.flushRowCounts();
    for (const [id, d] of digests) for (const s of d.summaries()) await o.sink.extendCollection(id, s);
    digests.clear();
    cp.line = done.line;
    cp.offset = done.offset;
    await o.checkpoint.write({ ...cp });
    o.onCheckpoint?.({ ...cp });
    sinceCheckpoint = 0;
  };
  const bad = (line: number, reason: string) => {
    cp.bad++;
    o.onBad?.(line, reason);
  };

  let next = prepareNext();
  // A failed write ends the load; the batch prepared meanwhile is dropped, not reported.
  const drop = () => next.catch(() => undefined);
  try {
    for (let batch = await next; batch; batch = await next) {
      // The next batch is read and prepared while this one is written.
      next = prepareNext();
      let entries: { entry: BulkEntry; summary: ItemSummary; line: number }[] = [];
      const write = async () => {
        if (entries.length === 0) return;
        // An id twice in one write: the later line wins (one record, one set of rows).
        const last = new Map(entries.map((e) => [`${e.entry.item.collection}\u0000${e.entry.item.id}`, e]));
        const kept = [...last.values()];
        await o.sink.loadItems(
          kept.map((e) => e.entry),
          o.importer,
        );
        for (const e of kept) {
          const c = e.entry.item.collection!;
          const d = digests.get(c) ?? new CollectionDigest();
          d.add(e.summary);
          digests.set(c, d);
        }
        cp.items += kept.length;
        written += kept.length;
        sinceCheckpoint += kept.length;
        entries = [];
      };
      for (const p of batch) {
        if (p.kind === "bad") bad(p.line, p.reason);
        else if (p.kind === "collection") {
          await write();
          const id = String(p.collection["id"]);
          if (!(await collectionExists(id))) {
            await o.sink.putCollection(p.collection as unknown as StacCollection);
            known.set(id, true);
            cp.collections++;
          }
        } else if (p.kind === "item") {
          const c = p.entry.item.collection!;
          if (!(await collectionExists(c))) {
            if (!o.createCollections) {
              bad(p.line, `collection '${c}' does not exist (put it in the file before its items)`);
              continue;
            }
            await o.sink.putCollection(
              newCollection({
                id: c,
                title: c,
                description: c,
                license: "other",
                providers: [],
                keywords: [],
              }),
            );
            known.set(c, true);
            cp.collections++;
          }
          entries.push({ entry: p.entry, summary: p.summary, line: p.line });
        }
      }
      await write();
      const lastLine = batch[batch.length - 1]!;
      done = { line: lastLine.line, offset: lastLine.end };
      if (sinceCheckpoint >= checkpointItems) await checkpoint();
    }
  } catch (err) {
    await drop();
    throw err;
  }
  await checkpoint();
  await o.checkpoint.clear();
  return { ...cp, resumedAfterLine, written };
}

/**
 * What a run of items adds to their collection, in three summaries that extendCollection widens the
 * collection by: the earliest start and latest end (as instants), the longest item, each with the
 * union of the boxes; the first with every summarized property value met.
 */
export class CollectionDigest {
  private first: ItemSummary | undefined;
  private last: ItemSummary | undefined;
  private longest: ItemSummary | undefined;
  private box: [number, number, number, number] | undefined;
  private readonly values = new Map<string, Set<string>>();

  add(s: ItemSummary): void {
    const dur = (x: ItemSummary) => Date.parse(x.end) - Date.parse(x.start);
    if (!this.first || s.start < this.first.start) this.first = s;
    if (!this.last || s.end > this.last.end) this.last = s;
    if (!this.longest || dur(s) > dur(this.longest)) this.longest = s;
    // A box across the antimeridian (west > east) spans every longitude, as extendCollection reads it.
    const b = s.bbox ?? [-180, -90, 180, 90];
    const [w, so, e, n] = b[0] <= b[2] ? b : [-180, b[1], 180, b[3]];
    this.box = this.box
      ? [
          Math.min(this.box[0], w),
          Math.min(this.box[1], so),
          Math.max(this.box[2], e),
          Math.max(this.box[3], n),
        ]
      : [w, so, e, n];
    for (const name of SUMMARIZED) {
      const v = s.properties[name];
      for (const x of Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]) {
        const set = this.values.get(name) ?? new Set<string>();
        set.add(String(x));
        this.values.set(name, set);
      }
    }
  }

  summaries(): ItemSummary[] {
    if (!this.first || !this.last || !this.longest || !this.box) return [];
    const bbox = this.box;
    const props = Object.fromEntries([...this.values].map(([k, v]) => [k, [...v]]));
    const instant = (s: ItemSummary, at: string, properties: Record<string, unknown>): ItemSummary => ({
      ...s,
      start: at,
      end: at,
      bbox,
      properties,
    });
    return [
      instant(this.first, this.first.start, props),
      instant(this.last, this.last.end, {}),
      { ...this.longest, bbox, properties: {} },
    ];
  }
}
