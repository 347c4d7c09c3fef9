// Row counts rebuilt from the item records: after replacements and deletions (which ingest never
// subtracts) the counts equal those of the rows that exist, quarter counts included; none drops to 0.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowStats } from "../../shared/index/keys.ts";
import { buildItemRows } from "../../shared/index/rows.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { withLevels } from "../../shared/storage/dynamo-row-counts.ts";
import { testCollection } from "../support/collections.ts";
import { olderRows } from "../support/older-rows.ts";
import { footprint, randomItem, rng } from "../support/random-items.ts";
import { startTestTable, type TestTable } from "../support/table.ts";

/** The counts the rows of these items add up to (as ingest adds them), per record field. */
function expectedCounts(items: StacItem[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items)
    for (const row of buildItemRows(item, "v1").rows)
      for (const st of rowStats(row)) out[`${st.base}/${st.name}`] = (out[`${st.base}/${st.name}`] ?? 0) + 1;
  return out;
}

describe("recountRows", () => {
  let stack: TestTable;
  const live = new Map<string, StacItem>();
  beforeAll(async () => {
    stack = await startTestTable();
    for (const c of ["alpha", "beta", "gamma"]) await stack.catalogue.putCollection(testCollection(c));
    const r = rng(3);
    // Random items of every footprint class (fine, medium, coarse, strips; across 180° and near the
    // poles), some of them grid tiles.
    const items = Array.from({ length: 240 }, (_, i) => {
      const it = randomItem(r, i);
      if (i % 4 === 0) it.properties["grid:code"] = `T-${i % 7}`;
      return it;
    });
    for (const it of items) await put(it);
    // Replaced elsewhere and later in time, and deleted: the counts ingest keeps now overstate.
    for (const it of items.slice(0, 40)) {
      const moved = { ...it, geometry: footprint(-60, -20, 0.5, 0.5), properties: { ...it.properties } };
      moved.properties["datetime"] = "2026-02-01T00:00:00Z";
      delete moved.properties["start_datetime"];
      delete moved.properties["end_datetime"];
      await put(moved);
    }
    for (const it of items.slice(40, 70)) {
      await stack.catalogue.deleteItem(it.collection!, it.id);
      live.delete(`${it.collection}/${it.id}`);
    }
  }, 120_000);
  afterAll(() => stack?.close());

  const put = async (item: StacItem) => {
    const built = buildItemRows(item, "v1");
    await stack.catalogue.putItem(item, built.rows, built.record, "v1");
    await stack.catalogue.extendCollection(item.collection!, built.summary);
    live.set(`${item.collection}/${item.id}`, item);
  };

  /** A collection's counts over every base cell's record, merged by counter name. */
  const stored = async (collection: string) => {
    const all = Array.from({ length: 122 }, (_, b) => String(b).padStart(3, "0"));
    return (await stack.catalogue.rowCounts([collection], all)).get(collection)!;
  };

  it("count what the item records hold, where ingest's counts only grew", async () => {
    for (const c of ["alpha", "beta", "gamma"]) {
      const items = [...live.values()].filter((it) => it.collection === c);
      const want = expectedCounts(items);
      const flat = (counts: Record<string, number>) => Object.values(counts).reduce((s, n) => s + n, 0);
      const before = await stored(c);
      expect(flat(before)).toBeGreaterThan(Object.values(want).reduce((s, n) => s + n, 0));
      expect(await stack.catalogue.recountRows(c)).toBe(items.length);
      const after = await stored(c);
      // rowCounts merges a collection's records: compare per counter name.
      const byName: Record<string, number> = {};
      for (const [k, n] of Object.entries(want)) {
        const name = k.slice(k.indexOf("/") + 1);
        byName[name] = (byName[name] ?? 0) + n;
      }
      // A counter whose rows are all gone stays at 1 (an ingest may be writing rows it counted):
      // searches still read its ranges, and the estimates are off by one row.
      const gone = Object.keys(before).filter((name) => byName[name] === undefined);
      expect(gone.length).toBeGreaterThan(0);
      expect(after).toEqual({ ...byName, ...Object.fromEntries(gone.map((name) => [name, 1])) });
      expect(after["n_T"]).toBe(items.length);
    }
  });

  it("tell a medium item's group rows from a fine or tile item's by the item's other rows", () => {
    const r = rng(9);
    let medium = 0;
    for (let i = 0; i < 400; i++) {
      const item = randomItem(r, i);
      if (i % 3 === 0) item.properties["grid:code"] = "T-1";
      // Items naming no tile get footprint tiles; those indexed before them fine or medium rows.
      const rows = i % 3 === 1 ? olderRows(item) : buildItemRows(item, "v1").rows;
      const fromKeys = withLevels(rows.map(({ pk, sk }) => ({ pk, sk })));
      expect(fromKeys.map((k) => rowStats(k))).toEqual(rows.map((row) => rowStats(row)));
      if (rows.some((row) => row.level === "M")) medium++;
    }
    expect(medium).toBeGreaterThan(10);
  });
});
