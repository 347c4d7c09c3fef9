// The reindex that gives a collection indexed before base rows (stamp 2) its base rows in place: searches
// equal brute force before, during (new items ingested, one deleted) and after it, base ranges are read
// only once it has stamped the collection, and a run stopped after any number of writes and resumed
// leaves the same rows, records and counters as a run never stopped, having written no row twice.
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeLifecycleHandler, REINDEX_MARGIN_MS } from "../../lambdas/lifecycle/app.ts";
import { intersects } from "../../shared/geo/geometry.ts";
import {
  BASE_ROWS_FEATURE,
  COUNTED_ROWS_FEATURE,
  collectionKey,
  itemsPartition,
  type Key,
  levelOfRow,
  rowStats,
  SK,
  statsPartition,
  statsRecordRange,
} from "../../shared/index/keys.ts";
import { buildItemRows, summarize } from "../../shared/index/rows.ts";
import { silentLogger } from "../../shared/log.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import type { ReindexReport } from "../../shared/storage/dynamo-base-rows.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { testCollection } from "../support/collections.ts";
import { firstPage } from "../support/first-page.ts";
import { footprint, randomItem, rng } from "../support/random-items.ts";
import { startTestTable, type TestTable } from "../support/table.ts";

let stack: TestTable;
const T0 = Date.UTC(2023, 0, 1);
const YEAR = 365 * 86_400_000;

/** Items of every footprint class (tiles, swaths, strips, none), a quarter of them north of 80°. */
function makeItems(collection: string, n: number, seed: number, prefix = "scene"): StacItem[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const id = `${prefix}-${String(i).padStart(3, "0")}`;
    if (i % 4 === 1) return { ...randomItem(r, i), id, collection };
    const polar = i % 4 === 0;
    const [lon, lat] = [r() * 358 - 179, polar ? 80.5 + r() * 8 : Math.asin(2 * r() - 1) * (180 / Math.PI)];
    return {
      type: "Feature",
      stac_version: "1.1.0",
      id,
      collection,
      geometry: i === 7 ? null : footprint(lon, lat, polar ? 4 : 1.2, 1),
      properties: { datetime: new Date(T0 + Math.floor(r() * YEAR)).toISOString() },
      links: [],
      assets: {},
    } as StacItem;
  });
}

/** Loads items as the code before base rows did: their rows without base rows, the collection stamped 2. */
async function loadOlder(collection: string, items: StacItem[]): Promise<void> {
  await stack.catalogue.putCollection(testCollection(collection));
  await stack.catalogue.loadItems(
    items.map((item) => {
      const built = buildItemRows(item, "v1");
      return {
        item,
        rows: built.rows.filter((r) => levelOfRow(r) !== "B"),
        record: built.record,
        version: "v1",
      };
    }),
  );
  await stack.catalogue.flushRowCounts();
  for (const item of items) await stack.catalogue.extendCollection(collection, summarize(item, "v1"));
  await stack.doc.send(
    new UpdateCommand({
      TableName: stack.table,
      Key: { pk: collectionKey(collection).pk, sk: collectionKey(collection).sk },
      UpdateExpression: "SET ix = :ix",
      ExpressionAttributeValues: { ":ix": COUNTED_ROWS_FEATURE },
    }),
  );
}

/** Ingests an item as ingest does now (every row, base rows included, whatever the stamp). */
async function ingest(item: StacItem): Promise<void> {
  const built = buildItemRows(item, "v1");
  await stack.catalogue.putItem(item, built.rows, built.record, "v1");
  await stack.catalogue.extendCollection(item.collection!, built.summary);
}

async function search(collection: string, live: Map<string, StacItem>, body: Record<string, unknown>) {
  const { req, plan, result } = await firstPage(stack.catalogue, body, [collection]);
  const want = [...live.values()]
    .map((i) => summarize(i, "v1"))
    .filter((s) => s.geometry && intersects(s.geometry, req.geometry!))
    .filter((s) => s.start <= req.interval.to && s.end >= req.interval.from)
    .sort((a, b) => (a.datetime < b.datetime ? 1 : -1))
    .slice(0, req.limit)
    .map((s) => s.id);
  const baseRanges = plan.queries.filter((q) => /^\d{3}\^$/.test(q.order?.prefix ?? "")).length;
  return { got: result.items.map((i) => i.id), want, baseRanges, rows: result.stats.rowsRead };
}

const POLAR = { bbox: [-180, 80, 180, 90], limit: 10 };
const CONTINENT = {
  bbox: [-10, 35, 30, 60],
  datetime: "2023-03-01T00:00:00Z/2023-08-31T23:59:59Z",
  limit: 5,
};

async function records(collection: string): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const r of await stack.catalogue.table.readPartition(itemsPartition(collection)))
    out.set(r[SK] as string, r);
  return out;
}

/** The row counters of a collection, by record and name. */
async function counters(collection: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await stack.catalogue.table.readPartition(statsPartition(collection), statsRecordRange))
    for (const [k, v] of Object.entries(r)) if (k.startsWith("n_")) out[`${r[SK]}/${k}`] = v as number;
  return out;
}

/** Every base row (level "B") a collection's item records list, as `pk sk j` with the collection name out. */
async function baseRows(collection: string): Promise<string[]> {
  const keys = [...(await records(collection)).values()].flatMap((r) =>
    ((r["rows"] as Key[]) ?? []).filter((k) => levelOfRow(k) === "B"),
  );
  const rows = await stack.catalogue.table.batchGet(keys.map((k) => ({ pk: k.pk, sk: k.sk })));
  expect(rows.length).toBe(keys.length);
  return rows.map((r) => `${r["pk"]} ${r["sk"]} ${r["j"]}`.replaceAll(collection, "C")).sort();
}

beforeAll(async () => {
  stack = await startTestTable();
}, 60_000);
afterAll(() => stack?.close());

describe("base rows reindex", () => {
  it("stamps a stamp-2 collection only when done; searches equal brute force before, during and after", async () => {
    const items = makeItems("old", 200, 11);
    await loadOlder("old", items);
    const live = new Map(items.map((i) => [i.id, i]));
    const before = await search("old", live, POLAR);
    expect(before.got).toEqual(before.want);
    expect(before.baseRanges).toBe(0);

    const dry = await stack.catalogue.reindexBaseRows("old", { dryRun: true });
    expect(dry.rowsWritten).toBeGreaterThan(0);
    expect((await stack.catalogue.getCollection("old"))?.indexFeatures).toBe(COUNTED_ROWS_FEATURE);
    expect(await baseRows("old")).toEqual([]);

    // Ingested meanwhile: ids before the checkpoint ("new-…") and after it ("zz-…").
    const fresh = makeItems("old", 12, 12, "new").map((i, n) => (n % 2 ? { ...i, id: `zz-${i.id}` } : i));
    const during: string[] = [];
    const report = await stack.catalogue.reindexBaseRows("old", {
      pageSize: 40,
      afterPage: async (r) => {
        if (r.pages === 2) {
          // New items ingested, and one not walked yet deleted.
          for (const item of fresh) {
            await ingest(item);
            live.set(item.id, item);
          }
          expect(await stack.catalogue.deleteItem("old", "scene-190")).toBe(true);
          live.delete("scene-190");
        }
        for (const body of [POLAR, CONTINENT]) {
          const s = await search("old", live, body);
          expect(s.got).toEqual(s.want);
          // Not stamped yet: no base range is read, though some items have their base rows.
          expect(s.baseRanges).toBe(0);
          during.push(`${r.pages}:${s.got.length}`);
        }
        expect((await stack.catalogue.getCollection("old"))?.indexFeatures).toBe(COUNTED_ROWS_FEATURE);
      },
    });
    console.log(
      `reindex: ${report.items} items read, ${report.updated} given base rows, ${report.rowsWritten} rows written ` +
        `(${report.rowsPresent} present), ${report.wcu} WCU, ${report.rcu} RCU (dry run estimated ${dry.wcu} WCU)`,
    );
    expect(during.length).toBe(2 * report.pages);
    expect(report.done).toBe(true);
    // The dry run counted what the run wrote (the run also saw the items ingested meanwhile, which had theirs).
    expect(report.rowsWritten).toBe(dry.rowsWritten - (await baseRowsOf("scene-190", items)));
    const stored = await stack.catalogue.getCollection("old");
    expect(stored?.indexFeatures).toBe(BASE_ROWS_FEATURE);
    expect(stored?.levels).toContain("B");

    // Every item up to coarse size lists its base rows, and they exist.
    const recs = await records("old");
    for (const item of live.values()) {
      const want = buildItemRows(item, "v1")
        .rows.filter((r) => levelOfRow(r) === "B")
        .map((r) => r.sk);
      const listed = ((recs.get(item.id)?.["rows"] as Key[]) ?? []).filter((k) => levelOfRow(k) === "B");
      expect(listed.map((k) => k.sk).sort()).toEqual(want.sort());
    }
    expect((await baseRows("old")).length).toBeGreaterThan(0);
    // Base counters equal the base rows listed (those of the deleted item were never written).
    const truth: Record<string, number> = {};
    for (const r of recs.values())
      for (const k of ((r["rows"] as Key[]) ?? []).filter((k) => levelOfRow(k) === "B"))
        for (const st of rowStats(k))
          truth[`B${st.base}/${st.name}`] = (truth[`B${st.base}/${st.name}`] ?? 0) + 1;
    const stats = await counters("old");
    expect(Object.fromEntries(Object.entries(stats).filter(([k]) => k.includes("/n_B_")))).toEqual(truth);

    for (const body of [POLAR, CONTINENT]) {
      const after = await search("old", live, body);
      expect(after.got).toEqual(after.want);
      expect(after.baseRanges).toBeGreaterThan(0);
      if (body === POLAR) {
        console.log(
          `polar cap, 10 newest: ${before.rows} time rows before, ${after.rows} rows by base ranges after`,
        );
        expect(after.rows).toBeLessThan(before.rows);
      }
    }

    // Done: a rerun reads and writes nothing; nor does a run on a collection without rows yet.
    const again = await stack.catalogue.reindexBaseRows("old");
    expect(again).toMatchObject({ alreadyDone: true, done: true, items: 0, rowsWritten: 0, wcu: 0 });
    await stack.catalogue.putCollection(testCollection("empty"));
    expect(await stack.catalogue.reindexBaseRows("empty")).toMatchObject({ alreadyDone: true, wcu: 0 });
  }, 180_000);

  it("a run stopped after any number of writes and resumed leaves what a clean run leaves, writing no row twice", async () => {
    for (const c of ["clean", "stopped"]) await loadOlder(c, makeItems(c, 120, 21));
    const clean = await stack.catalogue.reindexBaseRows("clean", { pageSize: 20 });
    expect(clean.done).toBe(true);

    // Every run is stopped after 17 writes (refused conditional writes included), like a killed process.
    let created = 0;
    let listed = 0;
    let runs = 0;
    for (;;) {
      runs++;
      let writes = 0;
      const dying = {
        send: async (cmd: { constructor: { name: string }; input: Record<string, unknown> }) => {
          const write = /^(Put|Update|Delete|BatchWrite)Command$/.test(cmd.constructor.name);
          if (write && ++writes > 17) throw new Error("killed");
          const out = await stack.doc.send(cmd as never);
          const key = ((cmd.input["Item"] ?? cmd.input["Key"]) as { pk?: string } | undefined)?.pk ?? "";
          if (cmd.constructor.name === "PutCommand" && key.startsWith("S#")) created++;
          if (cmd.constructor.name === "UpdateCommand" && key.startsWith("I#")) listed++;
          return out;
        },
      };
      const catalogue = new DynamoCatalogue(dying as never, stack.table);
      const outcome = await catalogue.reindexBaseRows("stopped", { pageSize: 20 }).then(
        (r) => r,
        (e: Error) => e,
      );
      if (!(outcome instanceof Error)) {
        expect(outcome.done).toBe(true);
        break;
      }
      expect(outcome.message).toBe("killed");
      expect(runs).toBeLessThan(200);
    }
    console.log(
      `stopped every 17 writes: ${runs} runs; clean run: ${clean.rowsWritten} rows, ${clean.wcu} WCU`,
    );
    expect(runs).toBeGreaterThan(5);
    expect(created).toBe(clean.rowsWritten);
    expect(listed).toBe(clean.updated);
    expect((await stack.catalogue.getCollection("stopped"))?.indexFeatures).toBe(BASE_ROWS_FEATURE);
    expect(await baseRows("stopped")).toEqual(await baseRows("clean"));
    expect(await counters("stopped")).toEqual(await counters("clean"));
    const [a, b] = [await records("clean"), await records("stopped")];
    for (const [id, r] of a)
      expect(JSON.stringify(b.get(id)?.["rows"])).toBe(
        JSON.stringify(r["rows"]).replaceAll("clean", "stopped"),
      );
  }, 300_000);

  it("never overwrites the rows of an item replaced while it runs", async () => {
    const items = makeItems("raced", 80, 31);
    await loadOlder("raced", items);
    const live = new Map(items.map((i) => [i.id, i]));
    // The newest polar item is replaced (same footprint and time, new version) just before the job
    // creates its base rows: the replacement's rows are there first and must stay.
    const polar = items.filter((i) => (summarize(i, "v1").bbox?.[1] ?? 0) > 80);
    const target = polar.sort((a, b) => (a.properties.datetime! < b.properties.datetime! ? 1 : -1))[0]!;
    let replaced = false;
    const racing = {
      send: async (cmd: { constructor: { name: string }; input: Record<string, unknown> }) => {
        const pk = (cmd.input["Item"] as { pk?: string } | undefined)?.pk ?? "";
        const j = (cmd.input["Item"] as { j?: string } | undefined)?.j ?? "";
        if (
          !replaced &&
          cmd.constructor.name === "PutCommand" &&
          pk.startsWith("S#") &&
          j.includes(`"${target.id}"`)
        ) {
          replaced = true;
          const v2 = { ...target, properties: { ...target.properties, "eo:cloud_cover": 3 } };
          const built = buildItemRows(v2, "v2");
          await stack.catalogue.putItem(v2, built.rows, built.record, "v2");
          live.set(v2.id, v2);
        }
        return stack.doc.send(cmd as never);
      },
    };
    const report = await new DynamoCatalogue(racing as never, stack.table).reindexBaseRows("raced");
    expect(replaced).toBe(true);
    expect(report.done).toBe(true);
    expect(report.changed).toBe(1);
    expect(report.rowsPresent).toBeGreaterThan(0);
    // Its base rows are the replacement's, not the older read's.
    const keys = buildItemRows(target, "v2").rows.filter((r) => levelOfRow(r) === "B");
    const rows = await stack.catalogue.table.batchGet(keys.map((k) => ({ pk: k.pk, sk: k.sk })));
    expect(rows.length).toBe(keys.length);
    for (const r of rows) expect(JSON.parse(r["j"] as string).version).toBe("v2");
    const after = await search("raced", live, POLAR);
    expect(after.got).toContain(target.id);
    expect(after.got).toEqual(after.want);
  }, 120_000);
});

describe("the lifecycle function's reindex job", () => {
  it("stops before its time runs out, and the next invocation resumes and stamps", async () => {
    await loadOlder("by-lambda", makeItems("by-lambda", 150, 41));
    const handler = makeLifecycleHandler({
      jobs: { catalogue: stack.catalogue, log: silentLogger } as never,
      readInput: async () => undefined,
      deletionsKey: "deletions.json",
      retentionKey: "retention.json",
    });
    // No time left past the margin: one page (100 items), then it stops.
    const short = { getRemainingTimeInMillis: () => REINDEX_MARGIN_MS } as Context;
    const first = (await handler({ job: "reindex", collection: "by-lambda" }, short)) as ReindexReport;
    expect(first).toMatchObject({ items: 100, done: false });
    expect((await stack.catalogue.getCollection("by-lambda"))?.indexFeatures).toBe(COUNTED_ROWS_FEATURE);
    const second = (await handler({ job: "reindex", collection: "by-lambda" }, short)) as ReindexReport;
    expect(second).toMatchObject({ items: 50, done: true, resumedAfter: "scene-099" });
    expect((await stack.catalogue.getCollection("by-lambda"))?.indexFeatures).toBe(BASE_ROWS_FEATURE);
    await expect(handler({ job: "reindex" }, short)).rejects.toThrow(/needs a 'collection'/);
  }, 120_000);
});

/** How many base rows an item of these would have. */
async function baseRowsOf(id: string, items: StacItem[]): Promise<number> {
  const item = items.find((i) => i.id === id)!;
  return buildItemRows(item, "v1").rows.filter((r) => levelOfRow(r) === "B").length;
}
