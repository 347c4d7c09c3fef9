// Free-text search on items (`q`) and Collection Search on /collections.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.ts";
import { COLLECTIONS, ITEMS, idsWhere } from "./dataset.ts";
import { makeCollection, makeItem, seed, sortedIds } from "./seed.ts";

let stack: TestApp;

const polar = makeCollection("polar", "Polar ice", "Sea-ice charts of the Arctic.", ["ice", "arctic"]);
const polarItem = makeItem({
  id: "ice-1",
  collection: "polar",
  datetime: "2020-03-01T00:00:00Z",
  lon: 20,
  lat: 80,
});

beforeAll(async () => {
  stack = await startTestApp();
  await seed(stack, [...COLLECTIONS, polar], [...ITEMS, polarItem]);
});
afterAll(() => stack?.close());

describe("free-text search on items", () => {
  it("matches terms in id, title and keywords, case-insensitively, terms ORed", async () => {
    expect(sortedIds((await stack.get("/search?q=vltava")).body)).toEqual(["scene-08"]);
    expect(sortedIds((await stack.get("/search?q=SNOW,praha")).body)).toEqual(["scene-05", "scene-07"]);
    expect(sortedIds((await stack.get("/search?q=ice-1")).body)).toEqual(["ice-1"]);
    const post = await stack.post("/search", { q: ["sar"], limit: 100 });
    expect(sortedIds(post.body)).toEqual(idsWhere((s) => s.collection === "radar"));
  });

  it("keeps quoted phrases together and combines with other parameters and the items route", async () => {
    expect(sortedIds((await stack.get(`/search?q=${encodeURIComponent('"in praha"')}`)).body)).toEqual([
      "scene-05",
    ]);
    expect(sortedIds((await stack.get(`/search?q=${encodeURIComponent('"in vltava"')}`)).body)).toEqual([]);
    expect(sortedIds((await stack.get("/search?q=snow&collections=radar")).body)).toEqual([]);
    expect(sortedIds((await stack.get("/collections/optical/items?q=flooded")).body)).toEqual(["scene-08"]);
  });

  it("refuses an empty q", async () => {
    const res = await stack.get("/search?q=%20,");
    expect(res.status).toBe(400);
    expect(res.body.description).toMatch(/^q:/);
  });
});

describe("collection search", () => {
  const cids = (body: { collections: { id: string }[] }) => body.collections.map((c) => c.id);

  it("filters collections by bbox and datetime against their extents", async () => {
    expect(cids((await stack.get("/collections?bbox=10,75,30,85")).body)).toEqual(["polar"]);
    // Only radar's first footprint (centred at -10, 40) reaches this far west.
    expect(cids((await stack.get("/collections?bbox=-12,38,-9.2,41")).body)).toEqual(["radar"]);
    expect(
      cids((await stack.get("/collections?datetime=2019-01-01T00:00:00Z/2021-01-01T00:00:00Z")).body),
    ).toEqual(["polar"]);
    expect(cids((await stack.get("/collections?datetime=2024-02-01T00:00:00Z/..")).body)).toEqual([
      "optical",
      "radar",
    ]);
  });

  it("matches free text over title, description and keywords", async () => {
    expect(cids((await stack.get("/collections?q=arctic")).body)).toEqual(["polar"]);
    expect(cids((await stack.get("/collections?q=backscatter,multispectral")).body)).toEqual([
      "optical",
      "radar",
    ]);
  });

  it("pages with limit and a next link", async () => {
    const first = await stack.get("/collections?limit=2");
    expect(cids(first.body)).toEqual(["optical", "polar"]);
    expect(first.body.numberMatched).toBe(3);
    const next = first.body.links.find((l: { rel: string }) => l.rel === "next");
    const second = await stack.get(next.href);
    expect(cids(second.body)).toEqual(["radar"]);
    expect(second.body.links.find((l: { rel: string }) => l.rel === "next")).toBeUndefined();
  });

  it("refuses unknown parameters and foreign tokens", async () => {
    expect((await stack.get("/collections?colour=red")).body.description).toMatch(
      /unknown parameter 'colour'/,
    );
    const first = await stack.get("/collections?limit=1");
    const token = new URL(
      first.body.links.find((l: { rel: string }) => l.rel === "next").href,
    ).searchParams.get("token");
    const other = await stack.get(`/collections?limit=1&q=ice&token=${token}`);
    expect(other.status).toBe(400);
  });
});
