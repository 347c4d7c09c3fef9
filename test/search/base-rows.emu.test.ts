// Base rows (keys.ts level "B"): areas too large for group ranges — a continent, a polar cap — read the
// few res-0 cells they touch instead of every collection's time rows, and collections indexed before
// base rows existed keep reading time rows (their older items have none).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { intersects } from "../../shared/geo/geometry.ts";
import { COUNTED_ROWS_FEATURE } from "../../shared/index/keys.ts";
import { buildItemRows } from "../../shared/index/rows.ts";
import { executeSearch } from "../../shared/search/execute.ts";
import { planSearch } from "../../shared/search/plan/choose.ts";
import { planCollections } from "../../shared/search/plan/inputs.ts";
import type { PlanCollection } from "../../shared/search/plan/types.ts";
import { parseSearch } from "../../shared/search/request.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { testCollection } from "../support/collections.ts";
import { footprint, rng } from "../support/random-items.ts";
import { startTestTable, type TestTable } from "../support/table.ts";

let stack: TestTable;
const T0 = Date.UTC(2023, 0, 1);
const DAY = 86_400_000;
const items: StacItem[] = [];

beforeAll(async () => {
  stack = await startTestTable();
  await stack.catalogue.putCollection(testCollection("tiles"));
  const r = rng(5);
  // 500 tile-sized scenes anywhere on Earth, a fifth of them north of 80°, over one year.
  for (let i = 0; i < 500; i++) {
    const polar = i % 5 === 0;
    const [lon, lat] = [r() * 358 - 179, polar ? 80.5 + r() * 8 : Math.asin(2 * r() - 1) * (180 / Math.PI)];
    const item: StacItem = {
      type: "Feature",
      stac_version: "1.1.0",
      id: `scene-${String(i).padStart(3, "0")}`,
      collection: "tiles",
      geometry: footprint(lon, lat, polar ? 4 : 1.2, 1),
      properties: { datetime: new Date(T0 + Math.floor(r() * 365 * DAY)).toISOString() },
      links: [],
      assets: {},
    };
    const built = buildItemRows(item, "v1");
    await stack.catalogue.putItem(item, built.rows, built.record, "v1");
    await stack.catalogue.extendCollection("tiles", built.summary);
    items.push(item);
  }
}, 180_000);
afterAll(() => stack?.close());

async function search(body: Record<string, unknown>, older = false) {
  const req = parseSearch(body, { source: "body" });
  const listed = await stack.catalogue.listCollections();
  const inputs = await planCollections(stack.catalogue, listed, req.geometry);
  // A collection indexed before base rows existed: the same rows but for the feature level.
  const collections: PlanCollection[] = older
    ? inputs.map((c) => ({ ...c, indexFeatures: COUNTED_ROWS_FEATURE }))
    : inputs;
  const plan = planSearch({ geometry: req.geometry, interval: req.interval, limit: req.limit, collections });
  const result = await executeSearch(stack.catalogue, {
    plan,
    geometry: req.geometry,
    interval: req.interval,
    collections: new Set(["tiles"]),
    limit: req.limit,
  });
  const want = items
    .filter((i) => intersects(i.geometry!, req.geometry!))
    .filter((i) => i.properties.datetime! >= req.interval.from && i.properties.datetime! <= req.interval.to)
    .sort((a, b) => (a.properties.datetime! < b.properties.datetime! ? 1 : -1))
    .slice(0, req.limit)
    .map((i) => i.id);
  return { plan, result, want };
}

/** Base ranges: group rows (`^`) of a res-0 cell (3 digits) in its own partition. */
const baseRanges = (plan: { queries: { pk: string; order?: { prefix: string } }[] }) =>
  plan.queries.filter((q) => /^\d{3}\^$/.test(q.order?.prefix ?? ""));

describe("base rows", () => {
  it("serve a polar cap with a few res-0 ranges instead of the time rows", async () => {
    const body = { bbox: [-180, 80, 180, 90], limit: 10 };
    const { plan, result, want } = await search(body);
    const older = await search(body, true);
    console.log(
      `10 newest north of 80°: ${result.stats.rowsRead} rows in ${result.stats.requests} requests by base ranges, ${older.result.stats.rowsRead} time rows`,
    );
    expect(result.items.map((i) => i.id)).toEqual(want);
    expect(older.result.items.map((i) => i.id)).toEqual(want);
    expect(baseRanges(plan).length).toBeGreaterThan(0);
    expect(baseRanges(plan).length).toBeLessThanOrEqual(6);
    // Indexed before base rows, the collection's older items have none: its time rows are read.
    expect(older.plan.strategy).toBe("time");
    expect(baseRanges(older.plan)).toEqual([]);
    // One in five items is in the cap: the time rows read ≈ 5 per result, the base ranges far fewer.
    expect(result.stats.rowsRead).toBeLessThanOrEqual(3 * result.items.length);
    expect(older.result.stats.rowsRead).toBeGreaterThan(2 * result.stats.rowsRead);
  });

  it("serve a continent over a month, equal to brute force", async () => {
    const body = { bbox: [-10, 35, 30, 60], datetime: "2023-03-01T00:00:00Z/2023-05-31T23:59:59Z", limit: 5 };
    const { plan, result, want } = await search(body);
    expect(baseRanges(plan).length).toBeGreaterThan(0);
    expect(result.items.map((i) => i.id)).toEqual(want);
  });
});
