// Aggregation extension: counts over the same search parameters as Item Search.
import { cellToParent, latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.ts";
import { COLLECTIONS, ITEMS, SPECS } from "./dataset.ts";
import { seed } from "./seed.ts";

let stack: TestApp;

beforeAll(async () => {
  stack = await startTestApp();
  await seed(stack, COLLECTIONS, ITEMS);
});
afterAll(() => stack?.close());

type Agg = { name: string; value?: unknown; buckets?: { key: string; frequency: number }[] };
const byName = (body: { aggregations: Agg[] }, name: string) =>
  body.aggregations.find((a) => a.name === name)!;
const freq = (a: Agg) => Object.fromEntries(a.buckets!.map((b) => [b.key, b.frequency]));

describe("aggregation", () => {
  it("lists the available aggregations", async () => {
    const res = await stack.get("/aggregations");
    expect(res.status).toBe(200);
    expect(res.body.aggregations.map((a: { name: string }) => a.name)).toEqual(
      expect.arrayContaining([
        "total_count",
        "collection_frequency",
        "datetime_frequency",
        "cloud_cover_frequency",
        "centroid_geohex_grid_frequency",
      ]),
    );
    expect((await stack.get("/collections/radar/aggregations")).status).toBe(200);
  });

  it("counts totals, collections, months and cloud-cover buckets", async () => {
    const res = await stack.get(
      "/aggregate?aggregations=total_count,collection_frequency,datetime_frequency,cloud_cover_frequency,datetime_min,datetime_max",
    );
    expect(res.status).toBe(200);
    expect(res.body.type).toBe("AggregationCollection");
    expect(byName(res.body, "total_count").value).toBe(24);
    expect(freq(byName(res.body, "collection_frequency"))).toEqual({ optical: 16, radar: 8 });
    expect(freq(byName(res.body, "datetime_frequency"))).toEqual({ "2024-01": 12, "2024-02": 12 });
    const clouds: Record<string, number> = {};
    for (const s of SPECS) {
      if (s.cloud === undefined) continue;
      const lo = Math.floor(s.cloud / 10) * 10;
      clouds[`${lo}-${lo + 10}`] = (clouds[`${lo}-${lo + 10}`] ?? 0) + 1;
    }
    expect(freq(byName(res.body, "cloud_cover_frequency"))).toEqual(clouds);
    expect(byName(res.body, "datetime_min").value).toBe("2024-01-01T10:00:00.000Z");
    expect(byName(res.body, "datetime_max").value).toBe("2024-02-12T10:00:00.000Z");
  });

  it("aggregates only what the search matches, GET and POST, on a collection too", async () => {
    const post = await stack.post("/aggregate", {
      filter: { op: "<", args: [{ property: "eo:cloud_cover" }, 30] },
      aggregations: ["total_count", "datetime_frequency"],
      datetime_frequency_interval: "day",
    });
    const want = SPECS.filter((s) => s.cloud !== undefined && s.cloud < 30);
    expect(byName(post.body, "total_count").value).toBe(want.length);
    expect(byName(post.body, "datetime_frequency").buckets!.map((b) => b.key)).toEqual(
      want.map((s) => s.datetime.slice(0, 10)).sort(),
    );
    const coll = await stack.get(
      "/collections/radar/aggregate?aggregations=total_count&datetime=2024-02-01T00:00:00Z/..",
    );
    expect(byName(coll.body, "total_count").value).toBe(
      SPECS.filter((s) => s.collection === "radar" && s.datetime >= "2024-02").length,
    );
  });

  it("counts footprint centroids per H3 cell at the requested precision", async () => {
    const res = await stack.get(
      "/aggregate?aggregations=centroid_geohex_grid_frequency&centroid_geohex_grid_frequency_precision=2",
    );
    const cells: Record<string, number> = {};
    for (const s of SPECS) {
      const cell = cellToParent(latLngToCell(s.lat, s.lon, 15), 2);
      cells[cell] = (cells[cell] ?? 0) + 1;
    }
    expect(freq(byName(res.body, "centroid_geohex_grid_frequency"))).toEqual(cells);
    // Buckets nest: each precision-2 bucket is the sum of its precision-3 children.
    const fine = await stack.get(
      "/aggregate?aggregations=centroid_geohex_grid_frequency&centroid_geohex_grid_frequency_precision=3",
    );
    const rolled: Record<string, number> = {};
    for (const b of byName(fine.body, "centroid_geohex_grid_frequency").buckets!)
      rolled[cellToParent(b.key, 2)] = (rolled[cellToParent(b.key, 2)] ?? 0) + b.frequency;
    expect(rolled).toEqual(cells);
  });

  it("refuses unknown aggregations and bad precisions", async () => {
    const bad = await stack.get("/aggregate?aggregations=mean_color");
    expect(bad.status).toBe(400);
    expect(bad.body.description).toMatch(/mean_color/);
    expect((await stack.get("/aggregate?centroid_geohex_grid_frequency_precision=16")).status).toBe(400);
    expect((await stack.get("/aggregate?datetime_frequency_interval=fortnight")).status).toBe(400);
    expect((await stack.get("/collections/radar/aggregate?ids=x")).status).toBe(400);
  });
});
