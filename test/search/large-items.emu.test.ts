// Boxes of every size (the bench's `uniform` shape, small): a point search over all time finds mostly
// large boxes (a box contains a point as often as its area says). Boxes of ≈ 400–1,000 km were res-1
// rows (cells ≈ 780 km across) and of ≈ 2,000–3,000 km strips (res-0 cells, ≈ 2,500 km): a point read
// every box touching its cell, 5.7 rows per result. Large boxes now get res-2 rows and boxes up to 30
// res-1 cells res-1 rows (rows.ts ITEM_INDEX). Items indexed by the older bounds stay findable.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { intersects } from "../../shared/geo/geometry.ts";
import { buildItemRows, ITEM_INDEX_BEFORE_LARGE, type ItemSummary } from "../../shared/index/rows.ts";
import { compareDesc } from "../../shared/search/cursor.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { testCollection } from "../support/collections.ts";
import { firstPage } from "../support/first-page.ts";
import { footprint, rng } from "../support/random-items.ts";
import { startTestTable, type TestTable } from "../support/table.ts";

const NEW = ["a", "b", "c", "d"];
/** The same boxes, every other one indexed by the bounds before large items (a catalogue indexed then). */
const MIXED = ["m", "n"];
const T0 = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;
let stack: TestTable;
const summaries: ItemSummary[] = [];

function boxes(seed: number, n: number, collections: string[], prefix: string): StacItem[] {
  const r = rng(seed);
  const out: StacItem[] = [];
  for (let i = 0; i < n; i++) {
    // Sides log-uniform from 1 to 5,000 km, centres uniform on the sphere up to 85°.
    const side = () => 5_000 ** r();
    const lat = (Math.asin((2 * r() - 1) * Math.sin((85 * Math.PI) / 180)) * 180) / Math.PI;
    const lon = r() * 360 - 180;
    const w = Math.min(120, side() / (111 * Math.max(0.05, Math.cos((lat * Math.PI) / 180))));
    const start = T0 + Math.floor(r() * 120 * DAY);
    out.push({
      type: "Feature",
      stac_version: "1.1.0",
      id: `${prefix}-${String(i).padStart(4, "0")}`,
      collection: collections[i % collections.length]!,
      geometry: footprint(lon, lat, w, side() / 111),
      properties: {
        datetime: new Date(start).toISOString(),
        start_datetime: new Date(start).toISOString(),
        end_datetime: new Date(start + Math.floor(r() * 3_600_000)).toISOString(),
      },
      links: [],
      assets: {},
    });
  }
  return out;
}

beforeAll(async () => {
  stack = await startTestTable();
  for (const id of [...NEW, ...MIXED]) await stack.catalogue.putCollection(testCollection(id));
  const fresh = boxes(8, 1_600, NEW, "u").map((item) => ({
    item,
    ...buildItemRows(item, "v1"),
    version: "v1",
  }));
  const mixed = boxes(9, 1_000, MIXED, "x").map((item, i) => ({
    item,
    ...buildItemRows(item, "v1", i % 2 === 0 ? ITEM_INDEX_BEFORE_LARGE : undefined),
    version: "v1",
  }));
  const entries = [...fresh, ...mixed];
  summaries.push(...entries.map((e) => e.summary));
  await stack.catalogue.loadItems(entries);
  await stack.catalogue.flushRowCounts();
  for (const e of entries) await stack.catalogue.extendCollection(e.item.collection!, e.summary);
}, 240_000);
afterAll(() => stack?.close());

async function search(body: Record<string, unknown>) {
  const { req, result } = await firstPage(stack.catalogue, body);
  const want = summaries
    .filter((i) => req.collections!.includes(i.collection))
    .filter((i) => i.start <= req.interval.to && i.end >= req.interval.from)
    .filter((i) => i.geometry !== null && intersects(i.geometry, req.geometry!))
    .sort(compareDesc)
    .slice(0, req.limit)
    .map((i) => i.id);
  return { got: result.items.map((i) => i.id), want, stats: result.stats };
}

/** 80 points uniform on the sphere up to 80°, and a few named ones (Prague, Fiji by the antimeridian). */
const POINTS: [number, number][] = [
  [14.42, 50.08],
  [179.9, -17],
  [-179.9, -17],
  [0, 0],
];
const pr = rng(77);
while (POINTS.length < 80)
  POINTS.push([
    pr() * 360 - 180,
    (Math.asin((2 * pr() - 1) * Math.sin((80 * Math.PI) / 180)) * 180) / Math.PI,
  ]);

describe("boxes of every size, searched at a point over all time", () => {
  it("reads at most 4 rows per result", async () => {
    let rows = 0;
    let results = 0;
    for (const [lon, lat] of POINTS) {
      const { got, want, stats } = await search({
        intersects: { type: "Point", coordinates: [lon, lat] },
        collections: NEW,
        limit: 100,
      });
      expect(got).toEqual(want);
      rows += stats.rowsRead;
      results += got.length;
    }
    console.log(
      `80 points, all time: ${results} results, ${rows} rows, ${(rows / results).toFixed(2)} per result`,
    );
    expect(results).toBeGreaterThanOrEqual(60);
    expect(rows / results).toBeLessThanOrEqual(4);
  });

  it("finds items indexed by the older bounds and by the new ones alike", async () => {
    const bodies: Record<string, unknown>[] = [
      ...POINTS.map(([lon, lat]) => ({ intersects: { type: "Point", coordinates: [lon, lat] }, limit: 100 })),
      { bbox: [176, -20, -178, -15], limit: 10 },
      { bbox: [-180, 80, 180, 90], datetime: "2024-02-01T00:00:00Z/2024-02-29T23:59:59Z", limit: 10 },
      { bbox: [-10, 35, 30, 60], datetime: "2024-03-01T00:00:00Z/2024-03-14T23:59:59Z", limit: 10 },
      { bbox: [10, 45, 16, 50], limit: 20 },
    ];
    let found = 0;
    for (const body of bodies) {
      const { got, want } = await search({ ...body, collections: MIXED });
      expect(got).toEqual(want);
      found += want.length;
    }
    expect(found).toBeGreaterThanOrEqual(40);
  });
});
