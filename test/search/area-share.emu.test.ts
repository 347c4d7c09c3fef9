// Time rows serve large areas over short periods. How many of them match is the share of the
// collection's items in the area: a national archive holds most of its items in its own region, which
// an even spread over the globe would call a few per cent of them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COUNTED_ROWS_FEATURE } from "../../shared/index/keys.ts";
import { buildItemRows } from "../../shared/index/rows.ts";
import { executeSearch } from "../../shared/search/execute.ts";
import { planSearch } from "../../shared/search/plan/choose.ts";
import { planCollections } from "../../shared/search/plan/inputs.ts";
import { parseSearch } from "../../shared/search/request.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { testCollection } from "../support/collections.ts";
import { footprint, rng } from "../support/random-items.ts";
import { startTestTable, type TestTable } from "../support/table.ts";

let stack: TestTable;
const T0 = Date.UTC(2022, 0, 1);
const DAY = 86_400_000;

beforeAll(async () => {
  stack = await startTestTable();
  await stack.catalogue.putCollection(testCollection("national"));
  const r = rng(11);
  // 320 scenes over Bohemia and 80 anywhere on Earth, over two years.
  for (let i = 0; i < 400; i++) {
    const home = i % 5 !== 0;
    const [lon, lat] = home ? [12.5 + r() * 4, 49 + r() * 2] : [r() * 340 - 170, r() * 140 - 70];
    const item: StacItem = {
      type: "Feature",
      stac_version: "1.1.0",
      id: `scene-${String(i).padStart(3, "0")}`,
      collection: "national",
      geometry: footprint(lon, lat, 1.4, 1),
      properties: { datetime: new Date(T0 + Math.floor(r() * 730 * DAY)).toISOString() },
      links: [],
      assets: {},
    };
    const built = buildItemRows(item, "v1");
    await stack.catalogue.putItem(item, built.rows, built.record, "v1");
    await stack.catalogue.extendCollection("national", built.summary);
  }
}, 120_000);
afterAll(() => stack?.close());

describe("time rows of a large area", () => {
  it("are read back as far as the area's counted rows say, not as an even spread over the globe", async () => {
    // Europe, the whole two years, 20 newest: too many res-2 cells for cell ranges.
    const req = parseSearch({ bbox: [-10, 35, 30, 60], limit: 20 }, { source: "body" });
    const listed = await stack.catalogue.listCollections();
    const collections = await planCollections(stack.catalogue, listed, req.geometry);
    const search = async (areaCounts: boolean) => {
      const plan = planSearch({
        geometry: req.geometry,
        interval: req.interval,
        limit: req.limit,
        // Without the set of counted base cells the planner has no counts of the area's own cells.
        // Time rows are what is measured: as a collection indexed before base rows (which would
        // serve the area from its res-0 cells, base-rows.emu.test.ts).
        collections: collections.map((c) => {
          const older = { ...c, indexFeatures: COUNTED_ROWS_FEATURE };
          return areaCounts || !c.rows
            ? older
            : { ...older, rows: { counts: c.rows.counts, from: c.rows.from, to: c.rows.to } };
        }),
      });
      expect(plan.strategy).toBe("time");
      return executeSearch(stack.catalogue, {
        plan,
        geometry: req.geometry,
        interval: req.interval,
        collections: new Set(["national"]),
        limit: req.limit,
      });
    };
    const byArea = await search(true);
    const even = await search(false);
    console.log(
      `20 newest over Europe of a national archive: ${byArea.stats.rowsRead} time rows read by the area's counts, ${even.stats.rowsRead} by an even spread (rounds ${byArea.stats.rounds}, ${even.stats.rounds})`,
    );
    expect(byArea.items.map((i) => i.id)).toEqual(even.items.map((i) => i.id));
    expect(byArea.items).toHaveLength(20);
    expect(byArea.stats.rounds).toBe(2);
    // 4 in 5 items are in the area: a round for ~27 matches reads a few dozen rows, not the archive.
    expect(byArea.stats.rowsRead).toBeLessThanOrEqual(60);
    expect(even.stats.rowsRead).toBeGreaterThan(3 * byArea.stats.rowsRead);
  });
});
