// The H3 index is a pre-filter: whatever the plan, a search must return exactly the items a brute-force
// exact filter returns — across the antimeridian, at the poles, for points, boxes and polygons.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNRESTRICTED } from "../../shared/auth/authorize.ts";
import { mapLimited } from "../../shared/concurrency.ts";
import { intersects } from "../../shared/geo/geometry.ts";
import { normalizeGeometry } from "../../shared/geo/normalize.ts";
import { INDEX_FEATURES } from "../../shared/index/keys.ts";
import { buildItemRows, type ItemSummary, summarize } from "../../shared/index/rows.ts";
import { compareAsc, compareDesc } from "../../shared/search/cursor.ts";
import { executeSearch } from "../../shared/search/execute.ts";
import { summaryTest } from "../../shared/search/filter.ts";
import { planSearch } from "../../shared/search/plan/choose.ts";
import { areaBaseCells, tileCells } from "../../shared/search/plan/inputs.ts";
import { filterPlanInput, parseSearch, requestFilter } from "../../shared/search/request.ts";
import { searchItems } from "../../shared/search/search.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { testCollection } from "../support/collections.ts";
import { footprint, randomItem, rng } from "../support/random-items.ts";
import { startTestTable, type TestTable } from "../support/table.ts";

let stack: TestTable;
const items: StacItem[] = [];

/** Cloud cover of a grid tile's revisit: any 0–100, or exactly at or next to a band's bound. */
const pickCloud = (r: () => number): number => {
  const x = r();
  return x < 0.6 ? Math.round(r() * 1000) / 10 : [0, 10, 10.01, 30, 30.5, 100][Math.floor((x - 0.6) * 15)]!;
};

/** A CQL2-JSON cloud-cover bound, as sentinelsat-like and STAC clients write it. */
const cloudBelow = (op: "<" | "<=", max: number) => ({
  filter: { op, args: [{ property: "eo:cloud_cover" }, max] },
});
const summaries: ItemSummary[] = [];

beforeAll(async () => {
  stack = await startTestTable();
  const r = rng(42);
  // Random items; one footprint class each (tiles, swaths); grid tiles; orbit frames (below).
  for (const c of ["alpha", "beta", "gamma", "tiles", "swaths", "grid", "orbits"]) {
    await stack.catalogue.putCollection(testCollection(c));
  }
  for (let i = 0; i < 600; i++) items.push(randomItem(r, i));
  // Two collections of one footprint class each (as missions are): high-latitude tiles and long
  // swaths, so that some areas are cheapest with cell ranges for one and time rows for the other.
  for (let i = 0; i < 300; i++) {
    const tile = i % 2 === 0;
    const lon = r() * 360 - 180;
    const lat = tile ? 60 + r() * 29 : Math.asin(2 * r() - 1) * (180 / Math.PI);
    const [w, h] = tile ? [0.5 + r() * 2, 0.5 + r() * 1] : [8 + r() * 12, 60 + r() * 80];
    const start = Date.UTC(2020, 0, 1) + Math.floor(r() * 365 * 86_400_000);
    items.push({
      type: "Feature",
      stac_version: "1.1.0",
      id: `${tile ? "tile" : "swath"}-${String(i).padStart(4, "0")}`,
      collection: tile ? "tiles" : "swaths",
      geometry: footprint(lon, lat, w, h),
      properties: {
        datetime: null,
        start_datetime: new Date(start).toISOString(),
        end_datetime: new Date(start + 60_000).toISOString(),
      },
      links: [],
      assets: {},
    });
  }
  // A collection of grid tiles (tile rows): revisits of fixed 1° tiles in Bohemia, around Fiji and
  // in the Arctic; some cover only a strip of their tile, some are displaced (the tile's box must grow,
  // while other revisits of it are written concurrently), some lie across the antimeridian.
  for (let i = 0; i < 300; i++) {
    const region = i % 3;
    const lon = region === 0 ? 14 + r() * 2 : region === 1 ? 176 + r() * 8 : r() * 360 - 180;
    const lat = region === 0 ? 49.5 + r() * 1.5 : region === 1 ? -20 + r() * 5 : 80 + r() * 4;
    const [tx, ty] = [Math.floor(((lon + 180) % 360) - 180), Math.floor(lat)];
    const shape = r();
    const [cx, w] = shape < 0.2 ? [tx + 0.25, 0.5] : shape < 0.25 ? [tx + 0.9, 1.1] : [tx + 0.5, 1.1];
    const start = Date.UTC(2020, 0, 1) + Math.floor(r() * 365 * 86_400_000);
    items.push({
      type: "Feature",
      stac_version: "1.1.0",
      id: `grid-${String(i).padStart(4, "0")}`,
      collection: "grid",
      geometry: footprint(cx, ty + 0.5, w, 1.1),
      properties: {
        datetime: new Date(start).toISOString(),
        "grid:code": `TEST-${ty}_${tx}`,
        // Cloud bands: values at and around their bounds too.
        "eo:cloud_cover": pickCloud(r),
      },
      links: [],
      assets: {},
    });
  }
  // Sentinel-1-like scenes (3.5° × 1.5°) on orbit frames (tile rows by relative orbit, direction and
  // time from the ascending node, or latitude without it): in Bohemia, across the antimeridian, and
  // beyond 80°N; revisits a few km apart.
  for (let i = 0; i < 200; i++) {
    const frame = i % 12;
    const [lon, lat] =
      frame < 5 ? [13 + frame * 0.9, 50] : frame < 10 ? [178 + (frame - 5) * 0.8, -17] : [frame * 30, 81];
    const start = Date.UTC(2020, 0, 1) + Math.floor(r() * 365 * 86_400_000);
    const offsetS = 1_000 + frame * 25 + 3 + r() * 0.5;
    items.push({
      type: "Feature",
      stac_version: "1.1.0",
      id: `orbit-${String(i).padStart(4, "0")}`,
      collection: "orbits",
      geometry: footprint(lon + (r() - 0.5) * 0.06, lat + (r() - 0.5) * 0.06, 3.5, 1.5),
      properties: {
        datetime: new Date(start).toISOString(),
        "sat:relative_orbit": 10 + (frame % 3),
        "sat:orbit_state": frame % 2 === 0 ? "ascending" : "descending",
        ...(i % 7 === 0 ? {} : { "sat:anx_datetime": new Date(start - offsetS * 1000).toISOString() }),
      },
      links: [],
      assets: {},
    });
  }
  // As ingest writes: many at once, but not all (an unbounded burst only measures the emulator's queue).
  await mapLimited(items, 32, async (item) => {
    const built = buildItemRows(item, "v1");
    await stack.catalogue.putItem(item, built.rows, built.record, "v1");
    await stack.catalogue.extendCollection(item.collection!, built.summary);
    summaries.push(summarize(item, "v1"));
  });
}, 300_000);
afterAll(() => stack?.close());

async function allResults(body: Record<string, unknown>): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const req = parseSearch({ ...body, limit: 250, ...(token ? { token } : {}) }, { source: "body" });
    const page = await searchItems(stack.catalogue, req, UNRESTRICTED);
    out.push(...page.items.map((i) => i.id));
    token = page.nextToken;
  } while (token);
  return out;
}

function bruteForce(body: Record<string, unknown>): string[] {
  const req = parseSearch(body, { source: "body" });
  const expr = requestFilter(req);
  return summaries
    .filter((s) => s.start <= req.interval.to && s.end >= req.interval.from)
    .filter((s) => !req.collections || req.collections.includes(s.collection))
    .filter((s) => !req.geometry || (s.geometry !== null && intersects(s.geometry, req.geometry)))
    .filter((s) => !expr || summaryTest(expr)(s))
    .map((s) => s.id);
}

/** Brute force in the search's order: newest first, then collection and id descending (or oldest first). */
function bruteForceOrdered(body: Record<string, unknown>, oldestFirst = false): string[] {
  const ids = new Set(bruteForce(body));
  return summaries
    .filter((s) => ids.has(s.id))
    .sort(oldestFirst ? compareAsc : compareDesc)
    .map((s) => s.id);
}

const OLDEST_FIRST = { sortby: [{ field: "properties.datetime", direction: "asc" }] };

/** Every page through the API's search, oldest first; and the rows its first page read. */
async function oldestFirstPages(body: Record<string, unknown>, limit: number) {
  const out: string[] = [];
  let firstRows: number | undefined;
  let token: string | undefined;
  do {
    const req = parseSearch(
      { ...body, ...OLDEST_FIRST, limit, ...(token ? { token } : {}) },
      { source: "body" },
    );
    const page = await searchItems(stack.catalogue, req, UNRESTRICTED);
    firstRows ??= page.stats.rowsRead;
    out.push(...page.items.map((i) => i.id));
    token = page.nextToken;
  } while (token);
  return { out, firstRows: firstRows ?? 0 };
}

/** Every page of a search whose first rounds are sized from the row counts (and tile footprints). */
async function estimatedPages(
  body: Record<string, unknown>,
  limit: number,
  name?: string,
): Promise<string[]> {
  const records = await stack.catalogue.listCollections();
  const req = parseSearch({ ...body, limit }, { source: "body" });
  const chosen = records.filter((c) => !req.collections || req.collections.includes(c.collection.id));
  const ids = chosen.map((c) => c.collection.id);
  const counted = areaBaseCells(req.geometry);
  const counts = await stack.catalogue.rowCounts(ids, counted);
  const cells = req.geometry ? tileCells(req.geometry) : undefined;
  const tiles = cells ? await stack.catalogue.tileFootprints(ids, cells) : undefined;
  expect([...counts.values()].every((n) => (n["n_T"] ?? 0) > 0)).toBe(true);
  const plan = planSearch({
    geometry: req.geometry,
    interval: req.interval,
    limit: req.limit,
    ...filterPlanInput(req),
    collections: chosen.map((c) => {
      const [from, to] = c.collection.extent!.temporal.interval[0]!;
      return {
        id: c.collection.id,
        maxDurationMs: c.maxDurationMs,
        levels: c.levels,
        indexFeatures: c.indexFeatures,
        rows: { counts: counts.get(c.collection.id)!, from: from!, to: to!, counted: new Set(counted) },
        tiles: tiles?.get(c.collection.id),
      };
    }),
  });
  expect(chosen.every((c) => c.indexFeatures === INDEX_FEATURES)).toBe(true);
  const expr = requestFilter(req);
  expect(plan.queries.every((q) => q.estimate)).toBe(true);
  if (name !== undefined) {
    strategies.set(name, plan.strategy);
    if (plan.queries.some((q) => q.pk.startsWith("P#"))) strategies.set(`${name} (tile rows)`, "tiles");
    if (plan.queries.some((q) => /^c\d+#/.test(q.order?.prefix ?? "")))
      strategies.set(`${name} (band)`, "band");
  }
  const out: string[] = [];
  let after: Parameters<typeof executeSearch>[1]["after"];
  for (;;) {
    const page = await executeSearch(stack.catalogue, {
      plan,
      geometry: req.geometry,
      interval: req.interval,
      collections: new Set(ids),
      after,
      limit: req.limit,
      ...(expr ? { accept: summaryTest(expr) } : {}),
    });
    out.push(...page.items.map((i) => i.id));
    if (!page.next) return out;
    after = page.next;
  }
}

/** Plans chosen for the named cases (estimate-sized), to check that mixed and tile plans were among them. */
const strategies = new Map<string, string>();
/** Pages of the random searches that had more than one. */
const paged: number[] = [];

/** A random search: area, interval, collections and page size. */
function randomSearch(r: () => number): { body: Record<string, unknown>; limit: number } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const lon = r() * 360 - 180;
  // Near a pole, at the dense tiles of Bohemia, near Fiji, or anywhere.
  const [x, y] = pick([
    [lon, 70 + r() * 19.9],
    [14 + r() * 2, 49.5 + r() * 1.5],
    [176 + r() * 8 - (r() < 0.5 ? 0 : 360), -20 + r() * 5],
    [lon, Math.asin(2 * r() - 1) * (180 / Math.PI)],
  ] as const);
  const w = pick([0.3, 3, 15, 60]);
  const west = ((x - w / 2 + 540) % 360) - 180;
  const east = ((x + w / 2 + 540) % 360) - 180;
  const south = Math.max(-90, y - w / 4);
  const north = Math.min(90, y + w / 4);
  const area = pick([
    { intersects: { type: "Point", coordinates: [((x + 540) % 360) - 180, y] } },
    { bbox: [west, south, east, north] },
    // A triangle (an area that is not a box).
    {
      intersects: {
        type: "Polygon",
        coordinates: [
          [
            [x - w / 2, south],
            [x + w / 2, south],
            [x, north],
            [x - w / 2, south],
          ].map(([a, b]) => [((a! + 540) % 360) - 180, b!]),
        ],
      },
    },
  ]);
  // The grid tiles and orbit frames are of 2020, the other items of 2015–2024.
  const start = Date.UTC(2019, 6, 1) + r() * 365 * 86_400_000;
  const span = pick([undefined, undefined, 31 * 86_400_000, 365 * 86_400_000]);
  const datetime =
    span === undefined
      ? undefined
      : `${new Date(start).toISOString()}/${new Date(start + span).toISOString()}`;
  const collections = pick([undefined, ["grid"], ["orbits", "alpha"], ["swaths", "tiles", "beta"]]);
  const limit = pick([1, 2, 5, 10]);
  const cloud = r() < 0.3 ? cloudBelow(pick(["<", "<="] as const), pick([0, 5, 10, 20, 30, 60])) : {};
  return {
    body: { ...area, ...(datetime ? { datetime } : {}), ...(collections ? { collections } : {}), ...cloud },
    limit,
  };
}

const queries: [string, Record<string, unknown>][] = [
  ["everything", {}],
  ["a point", { intersects: { type: "Point", coordinates: [14.42, 50.08] } }],
  [
    "a 50 km box, one year",
    { bbox: [14.1, 49.9, 14.8, 50.3], datetime: "2020-01-01T00:00:00Z/2020-12-31T23:59:59Z" },
  ],
  ["Europe, one month", { bbox: [-10, 35, 30, 60], datetime: "2019-03-01T00:00:00Z/2019-03-31T23:59:59Z" }],
  [
    "the globe, one day",
    { bbox: [-180, -90, 180, 90], datetime: "2018-06-01T00:00:00Z/2018-06-02T00:00:00Z" },
  ],
  ["across the antimeridian", { bbox: [175, -30, -175, 30] }],
  ["west of the antimeridian only", { bbox: [170, -60, 180, 60] }],
  ["north of 80°", { bbox: [-180, 80, 180, 90] }],
  [
    "north of 70°, one month",
    { bbox: [-180, 70, 180, 90], datetime: "2020-05-01T00:00:00Z/2020-05-31T23:59:59Z" },
  ],
  ["south of 75°", { bbox: [-180, -90, 180, -75] }],
  [
    "a non-convex polygon",
    {
      intersects: {
        type: "Polygon",
        coordinates: [
          [
            [0, 0],
            [40, 0],
            [40, 40],
            [30, 40],
            [30, 10],
            [10, 10],
            [10, 40],
            [0, 40],
            [0, 0],
          ],
        ],
      },
    },
  ],
  [
    "a polygon across the antimeridian",
    {
      intersects: {
        type: "Polygon",
        coordinates: [
          [
            [170, 50],
            [-170, 50],
            [-170, 70],
            [170, 70],
            [170, 50],
          ],
        ],
      },
    },
  ],
  [
    "a line",
    {
      intersects: {
        type: "LineString",
        coordinates: [
          [-60, -30],
          [60, 30],
        ],
      },
    },
  ],
  ["one collection, open interval", { collections: ["beta"], datetime: "2022-01-01T00:00:00Z/.." }],
  ["a point on grid tiles", { intersects: { type: "Point", coordinates: [15.02, 50.4] } }],
  ["a box over grid tile edges", { bbox: [13.9, 49.9, 14.1, 50.1], collections: ["grid"] }],
  ["a point on orbit frames", { intersects: { type: "Point", coordinates: [14.3, 50.2] } }],
  [
    "a point on orbit frames, one collection",
    { intersects: { type: "Point", coordinates: [14.3, 50.2] }, collections: ["orbits"] },
  ],
  [
    "orbit frames across the antimeridian, a point and a box",
    {
      intersects: {
        type: "MultiPoint",
        coordinates: [
          [-179.9, -17.3],
          [179.2, -16.5],
        ],
      },
      collections: ["orbits"],
    },
  ],
  ["orbit frames beyond 80°N", { bbox: [-70, 80.5, 20, 81.2], collections: ["orbits", "grid"] }],
  [
    "grid tiles near Fiji, half a year",
    { bbox: [177, -19, 179.9, -16], datetime: "2020-01-01T00:00:00Z/2020-06-30T23:59:59Z" },
  ],
  // Cloud bands: bounds within the first band, at each band's bound (≤ includes it, < not), between
  // bands, above them, from the query extension and as sentinelsat's (0, 30) range.
  ["grid tiles in Bohemia, cloud cover < 10", { bbox: [13.8, 49.4, 16.2, 51.1], ...cloudBelow("<", 10) }],
  ["grid tiles in Bohemia, cloud cover <= 10", { bbox: [13.8, 49.4, 16.2, 51.1], ...cloudBelow("<=", 10) }],
  ["grid tiles in Bohemia, cloud cover <= 0", { bbox: [13.8, 49.4, 16.2, 51.1], ...cloudBelow("<=", 0) }],
  [
    "grid tiles in Bohemia, cloud cover <= 20, one collection",
    { bbox: [13.8, 49.4, 16.2, 51.1], collections: ["grid"], ...cloudBelow("<=", 20) },
  ],
  [
    "a point on a grid tile, cloud cover < 30 (query extension)",
    { intersects: { type: "Point", coordinates: [15.02, 50.4] }, query: { "eo:cloud_cover": { lt: 30 } } },
  ],
  [
    "grid tiles near Fiji, cloud cover between 0 and 30",
    { bbox: [177, -19, 179.9, -16], filter: "eo:cloud_cover BETWEEN 0 AND 30", "filter-lang": "cql2-text" },
  ],
  ["grid tiles in the Arctic, cloud cover <= 30.5", { bbox: [-180, 80, 180, 84], ...cloudBelow("<=", 30.5) }],
];

describe("index correctness against brute force", () => {
  it.each(queries)("%s", async (_name, body) => {
    const got = await allResults(body);
    expect(new Set(got).size).toBe(got.length);
    expect([...got].sort()).toEqual(bruteForce(body).sort());
  });

  it.each(Array.from({ length: 25 }, (_, i) => i))("random box %i", async (i) => {
    const r = rng(1000 + i);
    const w = [0.2, 3, 20, 90][i % 4]!;
    const west = r() * 360 - 180;
    const south = Math.max(-90, Math.min(90 - w / 2, Math.asin(2 * r() - 1) * (180 / Math.PI)));
    const east = ((west + w + 540) % 360) - 180;
    const body = { bbox: [west, south, east, Math.min(90, south + w / 2)] };
    expect([...(await allResults(body))].sort()).toEqual(bruteForce(body).sort());
  });

  // Small pages exercise limit pushdown: streams read newest first and stopped early, cursor-bounded ranges.
  it.each(queries.slice(0, 6))("%s, in pages of 7", async (_name, body) => {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const req = parseSearch({ ...body, limit: 7, ...(token ? { token } : {}) }, { source: "body" });
      const page = await searchItems(stack.catalogue, req, UNRESTRICTED);
      out.push(...page.items.map((i) => i.id));
      token = page.nextToken;
    } while (token);
    expect(new Set(out).size).toBe(out.length);
    expect([...out].sort()).toEqual(bruteForce(body).sort());
  });

  // First pages sized from the row counts (the planner's estimates) instead of a fixed factor: a wrong
  // estimate may cost rounds, never results. With estimates the planner may also mix plans.
  it.each(queries)("%s, in pages of 5 sized from row counts", async (name, body) => {
    const out = await estimatedPages(body, 5, name);
    expect(new Set(out).size).toBe(out.length);
    expect([...out].sort()).toEqual(bruteForce(body).sort());
  });

  // Random areas (points, boxes, polygons; some across the antimeridian or near a pole), intervals
  // and page sizes, paged with first rounds from the row counts: every page in order, newest first.
  it.each(Array.from({ length: 40 }, (_, i) => i))(
    "random search %i, paged from row counts, in order",
    async (i) => {
      const { body, limit } = randomSearch(rng(5000 + i));
      const out = await estimatedPages(body, limit);
      expect(out, JSON.stringify(body)).toEqual(bruteForceOrdered(body));
      if (out.length > limit) paged.push(Math.ceil(out.length / limit));
    },
  );

  it("checked random searches of several pages", () => {
    console.log(`random searches of several pages: ${paged.length} of 40, pages ${paged.join(", ")}`);
    expect(paged.length).toBeGreaterThanOrEqual(15);
  });

  // Mixed plans are only considered with estimates on every query; the cases above must include some.
  it("checked mixed plans (cell ranges for some collections, time rows for others) too", () => {
    expect([...strategies.values()], JSON.stringify([...strategies])).toContain("mixed");
  });

  it("checked plans reading cloud bands too", () => {
    const bands = [...strategies].filter(([, s]) => s === "band").map(([name]) => name);
    expect(bands.length, JSON.stringify([...strategies])).toBeGreaterThanOrEqual(4);
  });

  it("checked plans reading tile rows too", () => {
    expect([...strategies.values()], JSON.stringify([...strategies])).toContain("tiles");
    // Orbit frames too. (Near Prague, this small collection's one group range is cheaper than its
    // frames' tile ranges: test/index/tiles.emu.test.ts checks those plans.)
    expect(strategies.get("orbit frames beyond 80°N (tile rows)"), JSON.stringify([...strategies])).toBe(
      "tiles",
    );
  });

  // `sortby` datetime ascending: ranges read forwards with the same pushdown, every page in order.
  it.each(queries)("%s, oldest first, in pages of 9", async (_name, body) => {
    const { out } = await oldestFirstPages(body, 9);
    expect(out).toEqual(bruteForceOrdered(body, true));
  });

  it.each(Array.from({ length: 20 }, (_, i) => i))("random search %i, oldest first, in order", async (i) => {
    const { body, limit } = randomSearch(rng(7000 + i));
    const { out } = await oldestFirstPages(body, limit);
    expect(out, JSON.stringify(body)).toEqual(bruteForceOrdered(body, true));
  });

  it("reads the oldest results without reading every match", async () => {
    const all = bruteForce({}).length;
    const req = parseSearch({ ...OLDEST_FIRST, limit: 5 }, { source: "body" });
    const page = await searchItems(stack.catalogue, req, UNRESTRICTED);
    expect(page.items.map((i) => i.id)).toEqual(bruteForceOrdered({}, true).slice(0, 5));
    console.log(`5 oldest of ${all} items: ${page.stats.rowsRead} rows read in ${page.stats.rounds} rounds`);
    expect(page.stats.rowsRead).toBeLessThan(all / 4);
    // Counted by a read of its own (count.ts), not by the page's: exact within the count's bound.
    expect(page.numberMatched).toBe(all);
    const uncounted = await searchItems(stack.catalogue, req, UNRESTRICTED, { count: false });
    expect(uncounted.numberMatched).toBeUndefined();
  });

  it("orders pages newest first", async () => {
    const req = parseSearch({ limit: 50 }, { source: "body" });
    const page = await searchItems(stack.catalogue, req, UNRESTRICTED);
    const times = page.items.map((i) => summarize(i, "v1").datetime);
    expect(times).toEqual([...times].sort().reverse());
    void normalizeGeometry;
  });
});
