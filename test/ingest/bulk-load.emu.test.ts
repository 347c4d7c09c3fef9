// A bulk load of an NDJSON file (shared/ingest/bulk-load.ts) indexes exactly what the same items
// written one by one index: every search answers the same, a bad line is reported by number and nothing
// of it is written; and a load that fails half-way, resumed by a new process from its checkpoint, ends
// with the same answers, each item once; and through the emulator's bulk import channel (npm run load's
// path with the local stack stopped) it indexes the same.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBenchDynamo } from "../../dev/bench/emulator.ts";
import { generateItem } from "../../dev/bench/generate.ts";
import { UNRESTRICTED } from "../../shared/auth/authorize.ts";
import { itemsPartition } from "../../shared/index/keys.ts";
import { buildItemRows } from "../../shared/index/rows.ts";
import { type BulkCheckpoint, type BulkSink, bulkLoadNdjson } from "../../shared/ingest/bulk-load.ts";
import { apiVersion, indexItem } from "../../shared/ingest/index-item.ts";
import { fileOpener } from "../../shared/ingest/ndjson-file.ts";
import { API_SOURCE } from "../../shared/products/object-home.ts";
import { parseSearch } from "../../shared/search/request.ts";
import { searchItems } from "../../shared/search/search.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import type { Catalogue } from "../../shared/storage/catalogue.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { DynamoTable } from "../../shared/storage/dynamo-table.ts";
import { testCollection } from "../support/collections.ts";
import { startTestTable, type TestTable } from "../support/table.ts";

const ITEMS = 240;
/** Line of the bad item (1-based, after the collection lines). */
const BAD_LINE = 100;

/** Generated items of two shapes (tiles named and not), dated so both paths store the same JSON. */
function items(): StacItem[] {
  const out: StacItem[] = [];
  for (let i = 0; i < ITEMS; i++) {
    const { item } = generateItem(31, i, i % 2 ? "no-tiles" : "default");
    item.properties["created"] = "2026-01-01T00:00:00Z";
    item.properties["updated"] = "2026-01-01T00:00:00Z";
    out.push(item);
  }
  return out;
}

/** An in-memory checkpoint store, as a file or an S3 object would keep it. */
function memoryCheckpoint() {
  let saved: BulkCheckpoint | undefined;
  let cleared = false;
  return {
    store: {
      read: async () => saved,
      write: async (cp: BulkCheckpoint) => {
        saved = cp;
      },
      clear: async () => {
        saved = undefined;
        cleared = true;
      },
    },
    saved: () => saved,
    cleared: () => cleared,
  };
}

const QUERIES: Record<string, unknown>[] = [
  {},
  { bbox: [-10, 35, 30, 60] },
  { bbox: [12, 48, 19, 51.5], datetime: "2020-01-01T00:00:00Z/2030-01-01T00:00:00Z" },
  { intersects: { type: "Point", coordinates: [15, 50] } },
  { bbox: [170, -20, -170, 20] },
  { bbox: [-180, 75, 180, 90] },
  { filter: { op: "<", args: [{ property: "eo:cloud_cover" }, 30] }, "filter-lang": "cql2-json" },
  { bbox: [-180, -90, 180, 90], sortby: [{ field: "properties.datetime", direction: "asc" }] },
];

async function answers(catalogue: Catalogue, collections: string[]): Promise<string[][]> {
  const out: string[][] = [];
  for (const q of QUERIES) {
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const raw = { collections, limit: 50, ...q, ...(token ? { token } : {}) };
      const page = await searchItems(catalogue, parseSearch(raw, { source: "body" }), UNRESTRICTED, {
        count: false,
      });
      ids.push(...page.items.map((i) => `${i.collection}/${i.id}`));
      token = page.nextToken;
    } while (token);
    out.push(ids);
  }
  return out;
}

/** Item records in the table, per collection: each item once. */
async function recordCount(t: TestTable, collections: string[]): Promise<number> {
  const table = new DynamoTable(t.doc, t.table);
  let n = 0;
  for (const c of collections)
    for await (const page of table.partitionPages(itemsPartition(c), { attributes: ["pk"] }))
      n += page.length;
  return n;
}

describe("bulk load of an NDJSON file", () => {
  const all = items();
  const collections = [...new Set(all.map((i) => i.collection!))].sort();
  const good = all.filter((_, i) => i + collections.length + 1 !== BAD_LINE);
  let file: string;
  let oneByOne: TestTable;
  let expected: string[][];
  const tables: TestTable[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "bulk-load-"));
    file = join(dir, "catalogue.ndjson");
    const lines = [
      ...collections.map((c) => JSON.stringify(testCollection(c))),
      ...all.map((it) => JSON.stringify(it)),
    ];
    // The bad line: an item without a datetime, in place of a good one.
    const bad = { ...all[BAD_LINE - collections.length - 1]!, properties: { "eo:cloud_cover": 3 } };
    lines[BAD_LINE - 1] = JSON.stringify(bad);
    writeFileSync(file, `${lines.join("\n")}\n`);
    oneByOne = await startTestTable();
    tables.push(oneByOne);
    for (const c of collections) await oneByOne.catalogue.putCollection(testCollection(c));
    const version = apiVersion(new Date());
    for (const it of good)
      await indexItem({ catalogue: oneByOne.catalogue, describeCollection: testCollection }, it, {
        version,
        source: API_SOURCE,
      });
    expected = await answers(oneByOne.catalogue, collections);
  }, 240_000);
  afterAll(async () => {
    for (const t of tables) await t.close();
  });

  it("indexes what one-by-one writes index, and reports the bad line without writing it", async () => {
    const t = await startTestTable();
    tables.push(t);
    const cp = memoryCheckpoint();
    const bad: [number, string][] = [];
    const result = await bulkLoadNdjson({
      open: fileOpener(file),
      sink: t.catalogue,
      checkpoint: cp.store,
      batchLines: 40,
      checkpointItems: 60,
      onBad: (line, reason) => bad.push([line, reason]),
    });
    expect(bad).toHaveLength(1);
    expect(bad[0]![0]).toBe(BAD_LINE);
    expect(bad[0]![1]).toMatch(/datetime/);
    expect(result).toMatchObject({ items: good.length, bad: 1, collections: collections.length });
    expect(cp.cleared()).toBe(true);
    const got = await answers(t.catalogue, collections);
    expect(got.map((ids) => ids.length)).toEqual(expected.map((ids) => ids.length));
    expect(got).toEqual(expected);
    expect(expected[0]).toHaveLength(good.length);
    expect(await recordCount(t, collections)).toBe(good.length);
  }, 240_000);

  it("indexes the same through the emulator's bulk import channel", async () => {
    const store = await startBenchDynamo(mkdtempSync(join(tmpdir(), "bulk-import-")));
    try {
      const result = await bulkLoadNdjson({
        open: fileOpener(file),
        sink: store.catalogue,
        importer: store.importer,
        checkpoint: memoryCheckpoint().store,
        batchLines: 40,
        checkpointItems: 60,
      });
      expect(result).toMatchObject({ items: good.length, bad: 1 });
      expect(await answers(store.catalogue, collections)).toEqual(expected);
      expect(await store.countItems()).toBe(good.length);
    } finally {
      await store.close();
    }
  }, 240_000);

  it("resumes a load that failed half-way from its checkpoint, ending identical, each item once", async () => {
    const t = await startTestTable();
    tables.push(t);
    const cp = memoryCheckpoint();
    // The first run's process: its fifth write fails (as a kill would end it), after checkpoints.
    const first = new DynamoCatalogue(t.doc, t.table);
    let writes = 0;
    const failing: BulkSink = {
      getCollection: (id) => first.getCollection(id),
      putCollection: (c) => first.putCollection(c),
      flushRowCounts: () => first.flushRowCounts(),
      extendCollection: (id, s) => first.extendCollection(id, s),
      loadItems: async (entries, importer) => {
        if (++writes === 5) throw new Error("injected failure");
        await first.loadItems(entries, importer);
      },
    };
    const options = { open: fileOpener(file), checkpoint: cp.store, batchLines: 40, checkpointItems: 60 };
    await expect(bulkLoadNdjson({ ...options, sink: failing })).rejects.toThrow("injected failure");
    const stopped = cp.saved()!;
    expect(stopped.line).toBeGreaterThan(0);
    expect(stopped.items).toBeLessThan(good.length);
    // A new process: nothing in memory from the first run (row counts, tile footprints, collections).
    const bad: number[] = [];
    const result = await bulkLoadNdjson({
      ...options,
      sink: new DynamoCatalogue(t.doc, t.table),
      onBad: (line) => bad.push(line),
    });
    expect(result.resumedAfterLine).toBe(stopped.line);
    expect(result.written).toBe(good.length - stopped.items);
    expect(result.items).toBe(good.length);
    expect(bad).toEqual(stopped.line < BAD_LINE ? [BAD_LINE] : []);
    expect(await answers(t.catalogue, collections)).toEqual(expected);
    expect(await recordCount(t, collections)).toBe(good.length);
  }, 240_000);

  it("widens the tile footprints an earlier run stored instead of writing smaller ones over them", async () => {
    const t = await startTestTable();
    tables.push(t);
    await t.catalogue.putCollection(testCollection("tiles"));
    // Two revisits of one named tile, 0.6° apart: the second alone does not reach the first's area.
    const visit = (id: string, lon: number, day: number): StacItem => ({
      type: "Feature",
      stac_version: "1.1.0",
      id,
      collection: "tiles",
      geometry: {
        type: "Polygon",
        coordinates: [
          [
            [lon, 50],
            [lon + 0.5, 50],
            [lon + 0.5, 50.5],
            [lon, 50.5],
            [lon, 50],
          ],
        ],
      },
      properties: { datetime: `2025-06-0${day}T10:00:00Z`, "grid:code": "MGRS-33UVR" },
      links: [],
      assets: {},
    });
    const entry = (it: StacItem) => {
      const built = buildItemRows(it, "v1");
      return { item: it, rows: built.rows, record: built.record, version: "v1" };
    };
    // Two processes, one after the other, as a killed load and its resumption.
    const first = new DynamoCatalogue(t.doc, t.table);
    await first.loadItems([entry(visit("a", 14, 1))]);
    await first.flushRowCounts();
    const second = new DynamoCatalogue(t.doc, t.table);
    await second.loadItems([entry(visit("b", 14.6, 2))]);
    await second.flushRowCounts();
    const found = await searchItems(
      t.catalogue,
      parseSearch({ collections: ["tiles"], bbox: [14.1, 50.1, 14.2, 50.2] }, { source: "body" }),
      UNRESTRICTED,
    );
    expect(found.items.map((i) => i.id)).toEqual(["a"]);
  }, 60_000);
});
