// Filter extension over HTTP: cql2-text (GET) and cql2-json (POST), every advertised CQL2 class,
// the items route, queryables, and 400s that say what to fix.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.ts";
import { COLLECTIONS, ITEMS, idsWhere } from "./dataset.ts";
import { allPages, seed, sortedIds } from "./seed.ts";

let stack: TestApp;

beforeAll(async () => {
  stack = await startTestApp();
  await seed(stack, COLLECTIONS, ITEMS);
});
afterAll(() => stack?.close());

const text = async (filter: string, extra = "") => {
  const res = await stack.get(`/search?limit=100${extra}&filter=${encodeURIComponent(filter)}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return sortedIds(res.body);
};
const json = async (filter: unknown) => {
  const res = await stack.post("/search", { limit: 100, filter });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return sortedIds(res.body);
};

const mid = (s: { datetime: string }) => s.datetime;

describe("CQL2 classes over /search", () => {
  it("basic-cql2: comparisons, AND/OR/NOT, IS NULL", async () => {
    expect(await text(`"eo:cloud_cover" < 30 AND platform = 'sentinel-2a'`)).toEqual(
      idsWhere((s) => s.cloud !== undefined && s.cloud < 30 && s.platform === "sentinel-2a"),
    );
    expect(await text(`NOT (collection = 'optical') OR id = 'scene-01'`)).toEqual(
      idsWhere((s) => s.collection !== "optical" || s.id === "scene-01"),
    );
    expect(await text(`"eo:cloud_cover" IS NULL`)).toEqual(idsWhere((s) => s.cloud === undefined));
  });

  it("advanced-comparison-operators: LIKE, BETWEEN, IN", async () => {
    expect(await text(`title LIKE 'Scene 1%'`)).toEqual(idsWhere((s) => s.title.startsWith("Scene 1")));
    expect(await text(`"eo:cloud_cover" BETWEEN 10 AND 40`)).toEqual(
      idsWhere((s) => s.cloud !== undefined && s.cloud >= 10 && s.cloud <= 40),
    );
    expect(await text(`"sat:relative_orbit" IN (1, 3)`)).toEqual(
      idsWhere((s) => s.orbit === 1 || s.orbit === 3),
    );
  });

  it("case- and accent-insensitive comparison: CASEI, ACCENTI", async () => {
    expect(await text(`CASEI(platform) = casei('SENTINEL-1A')`)).toEqual(
      idsWhere((s) => s.platform === "sentinel-1a"),
    );
    expect(await text(`ACCENTI(title) = accenti('Cafe in Praha')`)).toEqual(["scene-05"]);
  });

  it("basic spatial functions (and plus): S_INTERSECTS with points, boxes, lines, polygons", async () => {
    expect(await text("S_INTERSECTS(geometry, POINT(-10 40))")).toEqual(["scene-00"]);
    expect(await text("S_INTERSECTS(geometry, BBOX(-11, 39, -7, 42))")).toEqual(["scene-00", "scene-01"]);
    expect(await text("S_INTERSECTS(geometry, LINESTRING(-10 40, -8 41))")).toEqual(["scene-00", "scene-01"]);
    expect(
      await json({
        op: "s_intersects",
        args: [
          { property: "geometry" },
          {
            type: "Polygon",
            coordinates: [
              [
                [27, 40],
                [29, 40],
                [29, 45],
                [27, 45],
                [27, 40],
              ],
            ],
          },
        ],
      }),
    ).toEqual(idsWhere((s) => s.lon + 0.5 >= 27 && s.lon - 0.5 <= 29));
  });

  it("spatial-functions: S_WITHIN, S_CONTAINS, S_DISJOINT", async () => {
    expect(await text("S_WITHIN(geometry, POLYGON((-11 39, -9 39, -9 41, -11 41, -11 39)))")).toEqual([
      "scene-00",
    ]);
    expect(await text("S_CONTAINS(geometry, POINT(-8 41))")).toEqual(["scene-01"]);
    expect(await text("S_DISJOINT(geometry, BBOX(-20, 30, 0, 50))")).toEqual(
      idsWhere((s) => s.lon - 0.5 > 0),
    );
  });

  it("temporal-functions: T_BEFORE, T_AFTER, T_INTERSECTS, T_DURING", async () => {
    expect(await text("T_BEFORE(datetime, TIMESTAMP('2024-01-03T00:00:00Z'))")).toEqual([
      "scene-00",
      "scene-01",
    ]);
    expect(await text("T_AFTER(datetime, TIMESTAMP('2024-02-11T12:00:00Z'))")).toEqual(["scene-23"]);
    expect(await text("T_INTERSECTS(datetime, INTERVAL('2024-02-01', '2024-02-02T12:00:00Z'))")).toEqual([
      "scene-12",
      "scene-13",
    ]);
    expect(
      await json({
        op: "t_during",
        args: [{ property: "datetime" }, { interval: ["2024-01-10T00:00:00Z", "2024-01-12T00:00:00Z"] }],
      }),
    ).toEqual(["scene-09", "scene-10"]);
  });

  it("array-functions: A_CONTAINS, A_OVERLAPS", async () => {
    expect(await text(`A_CONTAINS(keywords, ('snow'))`)).toEqual(["scene-07"]);
    expect(await text(`A_OVERLAPS(keywords, ('sar', 'snow'))`)).toEqual(
      idsWhere((s) => s.keywords.includes("sar") || s.keywords.includes("snow")),
    );
  });

  it("property-property and arithmetic", async () => {
    expect(await text(`"eo:cloud_cover" > "view:sun_elevation"`)).toEqual(
      idsWhere((s) => s.cloud !== undefined && s.cloud > s.sun),
    );
    expect(await text(`"eo:cloud_cover" * 2 + 1 < 40`)).toEqual(
      idsWhere((s) => s.cloud !== undefined && s.cloud * 2 + 1 < 40),
    );
  });

  it("combines a filter with the other search parameters and pages through the matches", async () => {
    const want = idsWhere((s) => s.collection === "optical" && s.cloud! < 60 && mid(s) >= "2024-01-05");
    const first = await stack.get(
      `/search?collections=optical&datetime=2024-01-05T00:00:00Z/..&limit=3&filter=${encodeURIComponent('"eo:cloud_cover" < 60')}`,
    );
    // Default order: the executor may stop early; the count is a read of its own (count.ts).
    expect(first.body.numberMatched).toBe(want.length);
    const sorted = await stack.get(
      `/search?collections=optical&datetime=2024-01-05T00:00:00Z/..&limit=3&sortby=id&filter=${encodeURIComponent('"eo:cloud_cover" < 60')}`,
    );
    expect(sorted.body.numberMatched).toBe(want.length);
    expect(
      (await stack.get(`/search?limit=100&filter=${encodeURIComponent("id = 'scene-01'")}`)).body
        .numberMatched,
    ).toBe(1);
    const pages = await allPages(stack, first);
    expect(pages.flatMap((p) => p.features.map((f: { id: string }) => f.id)).sort()).toEqual(want);
  });

  it("narrows the plan with index hints but keeps exact semantics", async () => {
    expect(await text("collection = 'radar' AND id IN ('scene-03', 'scene-04', 'scene-06')")).toEqual([
      "scene-03",
      "scene-06",
    ]);
    expect(await text("id = 'scene-04'", "&collections=radar")).toEqual([]);
    // The smaller of bbox and the filter's area plans the scan; both still apply exactly.
    expect(await text("S_INTERSECTS(geometry, POINT(-10 40))", "&bbox=-180,-90,180,90")).toEqual([
      "scene-00",
    ]);
    expect(await text("S_INTERSECTS(geometry, BBOX(-180, -90, 180, 90))", "&bbox=-11,39,-9,41")).toEqual([
      "scene-00",
    ]);
    expect(await text("S_INTERSECTS(geometry, POINT(-10 40))", "&bbox=0,0,1,1")).toEqual([]);
  });
});

describe("filter on the items route and queryables", () => {
  it("filters /collections/{id}/items with cql2-text and cql2-json", async () => {
    const res = await stack.get(
      `/collections/optical/items?limit=100&filter=${encodeURIComponent('"eo:cloud_cover" >= 90')}`,
    );
    expect(sortedIds(res.body)).toEqual(idsWhere((s) => s.cloud !== undefined && s.cloud >= 90));
    const js = JSON.stringify({ op: "=", args: [{ property: "platform" }, "sentinel-1a"] });
    const res2 = await stack.get(
      `/collections/radar/items?limit=100&filter-lang=cql2-json&filter=${encodeURIComponent(js)}`,
    );
    expect(sortedIds(res2.body)).toEqual(idsWhere((s) => s.collection === "radar"));
  });

  it("serves queryables derived from the indexed properties", async () => {
    const all = await stack.get("/queryables");
    expect(all.status).toBe(200);
    expect(all.headers.get("content-type")).toContain("application/schema+json");
    expect(Object.keys(all.body.properties)).toEqual(
      expect.arrayContaining([
        "id",
        "collection",
        "datetime",
        "geometry",
        "eo:cloud_cover",
        "platform",
        "keywords",
      ]),
    );
    expect(all.body.properties["eo:cloud_cover"].type).toBe("number");
    const radar = await stack.get("/collections/radar/queryables");
    expect(radar.body.properties["eo:cloud_cover"]).toBeUndefined();
    expect(radar.body.properties["view:sun_elevation"].type).toBe("number");
    expect((await stack.get("/collections/nope/queryables")).status).toBe(404);
  });
});

describe("filter errors are 400s that say what to fix", () => {
  const cases: [string, RegExp][] = [
    [`/search?filter=${encodeURIComponent("eo:cloud_cover <")}`, /filter/],
    [`/search?filter=${encodeURIComponent("no_such_prop = 1")}`, /'no_such_prop' is not queryable/],
    [
      `/collections/radar/items?filter=${encodeURIComponent('"eo:cloud_cover" < 3')}`,
      /'eo:cloud_cover' is not queryable/,
    ],
    ["/search?filter=id%3D'a'&filter-lang=cql3", /filter-lang/],
    ["/search?filter=id%3D'a'&filter-crs=EPSG:4326", /filter-crs/],
    ["/search?filter-lang=cql2-text", /need a filter/],
    ["/search?filter-lang=cql2-json&filter=%7Bnope", /JSON/],
  ];
  for (const [path, re] of cases) {
    it(path, async () => {
      const res = await stack.get(path);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("BadRequest");
      expect(res.body.description).toMatch(re);
    });
  }

  it("names the position of a cql2-text syntax error, and refuses a text filter in a POST body by default", async () => {
    const res = await stack.get(`/search?filter=${encodeURIComponent("id = 'a' AND AND")}`);
    expect(res.status).toBe(400);
    expect(res.body.description).toMatch(/\d/);
    const post = await stack.post("/search", { filter: "id = 'a'" });
    expect(post.status).toBe(400);
    expect(
      (await stack.post("/search", { filter: "id = 'scene-01'", "filter-lang": "cql2-text" })).body.features,
    ).toHaveLength(1);
  });
});
