// Sort, Fields and Query extensions over HTTP, and paging that follows any sort order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.ts";
import { COLLECTIONS, ITEMS, SPECS } from "./dataset.ts";
import { allPages, ids, seed, sortedIds } from "./seed.ts";

let stack: TestApp;

beforeAll(async () => {
  stack = await startTestApp();
  await seed(stack, COLLECTIONS, ITEMS);
});
afterAll(() => stack?.close());

const optical = SPECS.filter((s) => s.collection === "optical");
const byCloudAsc = [...optical]
  .sort((a, b) => a.cloud! - b.cloud! || (a.id < b.id ? -1 : 1))
  .map((s) => s.id);

describe("sort", () => {
  it("sorts by a property ascending or descending, GET and POST", async () => {
    const asc = await stack.get("/search?collections=optical&limit=100&sortby=%2Beo:cloud_cover");
    expect(ids(asc.body)).toEqual(byCloudAsc);
    const desc = await stack.post("/search", {
      collections: ["optical"],
      limit: 100,
      sortby: [{ field: "properties.eo:cloud_cover", direction: "desc" }],
    });
    expect(ids(desc.body)).toEqual([...byCloudAsc].reverse());
  });

  it("sorts by several keys, ties broken by collection and id, missing values last", async () => {
    const res = await stack.get("/search?limit=100&sortby=sat:relative_orbit,-datetime");
    const want = [...SPECS]
      .sort((a, b) => a.orbit - b.orbit || (a.datetime < b.datetime ? 1 : a.datetime > b.datetime ? -1 : 0))
      .map((s) => s.id);
    expect(ids(res.body)).toEqual(want);
    const missing = await stack.get("/search?limit=100&sortby=-eo:cloud_cover");
    const radar = SPECS.filter((s) => s.cloud === undefined).map((s) => s.id);
    expect(ids(missing.body).slice(-radar.length).sort()).toEqual(radar);
  });

  it("pages through a sorted search without gaps or repeats, GET and POST", async () => {
    const get = await allPages(
      stack,
      await stack.get("/search?collections=optical&limit=4&sortby=eo:cloud_cover"),
    );
    expect(get.length).toBe(Math.ceil(optical.length / 4));
    expect(get.flatMap((p) => ids(p))).toEqual(byCloudAsc);
    const post = await allPages(
      stack,
      await stack.post("/search", {
        collections: ["optical"],
        limit: 5,
        sortby: [{ field: "eo:cloud_cover", direction: "asc" }],
      }),
    );
    expect(post.flatMap((p) => ids(p))).toEqual(byCloudAsc);
    const items = await allPages(stack, await stack.get("/collections/optical/items?limit=6&sortby=-id"));
    expect(items.flatMap((p) => ids(p))).toEqual(
      optical
        .map((s) => s.id)
        .sort()
        .reverse(),
    );
  });

  it("refuses unknown sort keys and a token from another sort", async () => {
    const bad = await stack.get("/search?sortby=-nope");
    expect(bad.status).toBe(400);
    expect(bad.body.description).toMatch(/sortby: 'nope' is not queryable/);
    const badDir = await stack.post("/search", { sortby: [{ field: "id", direction: "up" }] });
    expect(badDir.status).toBe(400);
    const first = await stack.get("/search?limit=2&sortby=id");
    const token = first.body.links.find((l: { rel: string }) => l.rel === "next").href.split("token=")[1];
    const other = await stack.get(`/search?limit=2&sortby=-id&token=${token}`);
    expect(other.status).toBe(400);
    expect(other.body.description).toMatch(/different search/);
  });
});

describe("fields", () => {
  it("includes the named fields on top of the default set", async () => {
    const res = await stack.get("/search?ids=scene-01&fields=properties.eo:cloud_cover,-assets");
    const f = res.body.features[0];
    expect(Object.keys(f).sort()).toEqual([
      "collection",
      "geometry",
      "id",
      "links",
      "properties",
      "stac_version",
      "type",
    ]);
    expect(f.properties).toEqual({ datetime: "2024-01-02T10:00:00.000Z", "eo:cloud_cover": 7 });
  });

  it("excludes fields, and lets a more specific include win inside an exclude", async () => {
    const res = await stack.post("/search", {
      ids: ["scene-01"],
      fields: { exclude: ["assets", "properties"], include: ["properties.platform"] },
    });
    const f = res.body.features[0];
    expect(f.assets).toBeUndefined();
    expect(f.geometry).toBeDefined();
    expect(f.properties).toEqual({ datetime: "2024-01-02T10:00:00.000Z", platform: "sentinel-2a" });
    const get = await stack.get("/collections/optical/items?limit=1&fields=-geometry,-links");
    expect(get.body.features[0].geometry).toBeUndefined();
    expect(get.body.features[0].links).toBeDefined();
  });

  it("refuses malformed fields", async () => {
    const res = await stack.post("/search", { fields: { include: "id" } });
    expect(res.status).toBe(400);
    expect(res.body.description).toMatch(/fields.include/);
  });
});

describe("query", () => {
  const q = async (query: unknown) => {
    const res = await stack.post("/search", { limit: 100, query });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return sortedIds(res.body);
  };
  const where = (p: (s: (typeof SPECS)[number]) => boolean) =>
    SPECS.filter(p)
      .map((s) => s.id)
      .sort();

  it("supports eq, neq, lt, lte, gt, gte", async () => {
    expect(await q({ "eo:cloud_cover": { lt: 30 } })).toEqual(
      where((s) => s.cloud !== undefined && s.cloud < 30),
    );
    expect(await q({ "eo:cloud_cover": { gte: 35, lte: 70 } })).toEqual(
      where((s) => s.cloud !== undefined && s.cloud >= 35 && s.cloud <= 70),
    );
    expect(await q({ "eo:cloud_cover": { gt: 90 } })).toEqual(
      where((s) => s.cloud !== undefined && s.cloud > 90),
    );
    expect(await q({ platform: { eq: "sentinel-1a" } })).toEqual(where((s) => s.platform === "sentinel-1a"));
    expect(await q({ platform: { neq: "sentinel-1a" } })).toEqual(where((s) => s.platform !== "sentinel-1a"));
  });

  it("supports startsWith, endsWith, contains and in, GET too", async () => {
    expect(await q({ title: { startsWith: "Caf" } })).toEqual(["scene-05"]);
    expect(await q({ title: { endsWith: "Vltava" } })).toEqual(["scene-08"]);
    expect(await q({ title: { contains: "in Pr" } })).toEqual(["scene-05"]);
    expect(await q({ "sat:relative_orbit": { in: [0, 2] } })).toEqual(
      where((s) => s.orbit === 0 || s.orbit === 2),
    );
    const get = await stack.get(
      `/search?limit=100&query=${encodeURIComponent('{"title":{"contains":"%"}}')}`,
    );
    expect(get.body.features).toEqual([]);
  });

  it("refuses unknown operators and properties", async () => {
    const op = await stack.post("/search", { query: { "eo:cloud_cover": { below: 3 } } });
    expect(op.status).toBe(400);
    expect(op.body.description).toMatch(/unknown operator 'below'/);
    const prop = await stack.post("/search", { query: { cloudy: { lt: 3 } } });
    expect(prop.status).toBe(400);
    expect(prop.body.description).toMatch(/'cloudy' is not queryable/);
  });
});
