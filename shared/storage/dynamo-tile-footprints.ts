// Tile footprints in DynamoDB: for each collection, res-2 cell and grid tile, the bounding box of the
// tile's items touching that cell and how many there are. A search reads those of its area's res-2
// cells with the row counts and reads the tile rows of the tiles whose box meets its area, so a box
// must hold every item of its tile before the item's rows are written (it only ever grows).
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mapLimited } from "../concurrency.ts";
import { bboxContains, bboxUnion } from "../geo/bbox.ts";
import {
  cellOfFootprintKey,
  type Key,
  PK,
  SK,
  statsPartition,
  tileFootprintKey,
  tileFootprintRanges,
  tileOfFootprintKey,
} from "../index/keys.ts";
import type { IndexRow } from "../index/rows.ts";
import type { BBox } from "../stac/types.ts";
import type { TileFootprint, TileFootprintReader } from "./catalogue.ts";
import {
  BATCH_WRITE_CONCURRENCY,
  backoff,
  type DynamoTable,
  isConditionFailure,
  keyOf,
} from "./dynamo-table.ts";

/** A tile footprint as stored: "west,south,east,north" (west > east: across the antimeridian). */
const encodeBox = (b: BBox) => b.slice(0, 4).join(",");
const decodeBox = (s: string): BBox => s.split(",").map(Number) as BBox;

interface TileUpdate {
  key: Key;
  box: BBox;
  items: number;
}

/** What these rows add to tile footprints: one entry per collection, res-2 cell and tile. */
function tileUpdates(collection: string, rows: IndexRow[]): Map<string, TileUpdate> {
  const out = new Map<string, TileUpdate>();
  for (const r of rows) {
    const box = r.summary.bbox;
    if (!r.tile || !box) continue;
    for (const cell of r.tile.cells) {
      const key = tileFootprintKey(collection, cell, r.tile.code);
      const id = `${key.pk}\u0000${key.sk}`;
      const u = out.get(id);
      out.set(id, { key, box: bboxUnion(u?.box, box), items: (u?.items ?? 0) + 1 });
    }
  }
  return out;
}

/**
 * Conditional writes of one footprint before giving up. Every failed attempt means another writer's box
 * was stored (lock-free progress), and a box only grows, so n concurrent writers of one tile need at
 * most n attempts; 8 was too few for the tests' 25 concurrent revisits of one tile on a loaded machine.
 */
const MAX_ATTEMPTS = 30;

export class DynamoTileFootprints implements Required<TileFootprintReader> {
  /** Boxes known to be stored (read or written by this instance); stored boxes only grow. */
  private readonly knownBoxes = new Map<string, BBox>();
  /** Bulk loads: every tile footprint loaded so far, and what of it is written. */
  private readonly bulkTiles = new Map<string, { key: Key; box: BBox; items: number; written: number }>();

  constructor(private readonly db: DynamoTable) {}

  /**
   * Widens the tile footprints of these rows' tiles to hold them, before the rows are written, with a
   * conditional write on the box read (concurrent ingests of one tile retry); adds to their counts.
   * Failures propagate: an item must not be indexed under a box that does not hold it.
   */
  async registerTiles(collection: string, rows: IndexRow[]): Promise<void> {
    const updates = [...tileUpdates(collection, rows)];
    await mapLimited(updates, BATCH_WRITE_CONCURRENCY, async ([id, u]) => {
      const known = this.knownBoxes.get(id);
      if (known && bboxContains(known, u.box)) return this.addTileItems(u);
      // First assume the stored box is the one known (none: no footprint yet); on a mismatch, read it.
      let stored = known;
      for (let attempt = 0; ; attempt++) {
        if (stored && bboxContains(stored, u.box)) {
          this.knownBoxes.set(id, stored);
          return this.addTileItems(u);
        }
        const box = bboxUnion(stored, u.box);
        try {
          await this.db.doc.send(
            new UpdateCommand({
              TableName: this.db.name,
              Key: keyOf(u.key),
              UpdateExpression: "SET #b = :b ADD #n :n",
              ConditionExpression: stored ? "#b = :old" : "attribute_not_exists(#b)",
              ExpressionAttributeNames: { "#b": "b", "#n": "n" },
              ExpressionAttributeValues: {
                ":b": encodeBox(box),
                ":n": u.items,
                ...(stored ? { ":old": encodeBox(stored) } : {}),
              },
            }),
          );
          this.db.count(undefined);
          this.knownBoxes.set(id, box);
          return;
        } catch (err) {
          this.db.count(undefined);
          if (!isConditionFailure(err) || attempt + 1 >= MAX_ATTEMPTS) throw err;
        }
        if (attempt > 0) await backoff(attempt);
        const out = await this.db.doc.send(
          new GetCommand({ TableName: this.db.name, Key: keyOf(u.key), ConsistentRead: true }),
        );
        this.db.count(undefined);
        const b = out.Item?.["b"];
        stored = typeof b === "string" ? decodeBox(b) : undefined;
      }
    });
  }

  /** Counts are estimates: a lost increment must not fail an ingest. */
  private async addTileItems(u: TileUpdate): Promise<void> {
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.name,
          Key: keyOf(u.key),
          UpdateExpression: "ADD #n :n",
          ExpressionAttributeNames: { "#n": "n" },
          ExpressionAttributeValues: { ":n": u.items },
        }),
      );
    } catch {
      // Estimates only.
    }
    this.db.count(undefined);
  }

  /**
   * Bulk loads (one writer): footprints are kept in memory; those that grow are written whole before the
   * rows (through `write`), counts on flushTileCounts. A footprint this instance has not seen yet is read
   * first (one batch read for all of them), so that a load into a catalogue that has some already, or
   * one resumed after a kill, widens the stored box instead of writing a smaller one over it.
   */
  async loadTiles(
    batches: [string, IndexRow[]][],
    write: (records: Record<string, unknown>[]) => Promise<void>,
  ): Promise<void> {
    const updates = batches.flatMap(([collection, rows]) => [...tileUpdates(collection, rows)]);
    const unseen = new Map(updates.filter(([id]) => !this.bulkTiles.has(id)).map(([id, u]) => [id, u.key]));
    if (unseen.size > 0)
      for (const r of await this.db.batchGet([...unseen.values()].map(keyOf), { consistent: true })) {
        const key = { pk: r[PK] as string, sk: r[SK] as string };
        const id = `${key.pk}\u0000${key.sk}`;
        const items = typeof r["n"] === "number" ? r["n"] : 0;
        // A concurrent load call may have seen it meanwhile: what it holds already includes this.
        if (typeof r["b"] === "string" && !this.bulkTiles.has(id))
          this.bulkTiles.set(id, {
            key,
            box: decodeBox(r["b"]),
            items,
            written: items,
          });
      }
    const grown: Record<string, unknown>[] = [];
    for (const [id, u] of updates) {
      const t = this.bulkTiles.get(id) ?? { key: u.key, box: u.box, items: 0, written: -1 };
      t.items += u.items;
      const box = bboxUnion(t.box, u.box);
      if (t.written < 0 || !bboxContains(t.box, box)) {
        t.box = box;
        t.written = t.items;
        grown.push(tileRecord(t));
      }
      this.bulkTiles.set(id, t);
    }
    if (grown.length > 0) await write(grown);
  }

  /** Writes the counts of bulk-loaded tile footprints that changed since they were last written. */
  async flushTileCounts(write: (records: Record<string, unknown>[]) => Promise<void>): Promise<void> {
    const dirty = [...this.bulkTiles.values()].filter((t) => t.written !== t.items);
    for (const t of dirty) t.written = t.items;
    if (dirty.length > 0) await write(dirty.map(tileRecord));
  }

  /** Tile footprints of these collections in these res-2 cells: one Query per collection and cell. */
  async tileFootprints(collections: string[], cells: string[]): Promise<Map<string, TileFootprint[]>> {
    const out = new Map<string, Map<string, TileFootprint>>(collections.map((c) => [c, new Map()]));
    const wanted = new Set(cells);
    const ranges = tileFootprintRanges(wanted);
    const reads = collections.flatMap((c) => ranges.map((range) => [c, range] as const));
    await mapLimited(reads, 16, async ([collection, range]) => {
      const records = await this.db.readPartition(statsPartition(collection), range);
      const into = out.get(collection)!;
      for (const r of records) {
        if (typeof r["b"] !== "string" || !wanted.has(cellOfFootprintKey(r[SK] as string))) continue;
        const tile = tileOfFootprintKey(r[SK] as string);
        const box = decodeBox(r["b"]);
        const items = typeof r["n"] === "number" ? r["n"] : 0;
        const seen = into.get(tile);
        // A tile over several cells: one box holding all, the largest count as its items.
        into.set(tile, { tile, bbox: bboxUnion(seen?.bbox, box), items: Math.max(items, seen?.items ?? 0) });
      }
    });
    return new Map([...out].map(([c, m]) => [c, [...m.values()]]));
  }
}

const tileRecord = (t: { key: Key; box: BBox; items: number }): Record<string, unknown> => ({
  ...keyOf(t.key),
  b: encodeBox(t.box),
  n: t.items,
});
