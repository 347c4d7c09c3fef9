// Issue 18 over HTTP against npm start's sample products: a count on every search (exact within the
// count's bound, else flagged as an estimate), date-only datetimes as whole days, free text over an
// item's descriptive properties, Copernicus licences as STAC 1.1 `other` + link, no archive member
// offsets on served assets, and Collection Search with a CQL2 filter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadSamples } from "../../dev/local/samples.ts";
import { UNRESTRICTED } from "../../shared/auth/authorize.ts";
import { MEMBER_FIELD } from "../../shared/products/types.ts";
import { countMatches } from "../../shared/search/count.ts";
import { ALL_TIME } from "../../shared/search/datetime.ts";
import { planCollections } from "../../shared/search/plan/inputs.ts";
import { parseSearch } from "../../shared/search/request.ts";
import { searchItems } from "../../shared/search/search.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

let stack: TestStack;
// biome-ignore lint/suspicious/noExplicitAny: served JSON, checked field by field
type Feature = any;
let all: Feature[];

beforeAll(async () => {
  stack = await startTestStack();
  await uploadSamples(stack.s3, stack.bucket);
  await stack.settled();
  all = (await stack.get("/search?limit=100")).body.features;
}, 120_000);
afterAll(() => stack?.close());

const ids = (r: { body: { features: Feature[] } }) => r.body.features.map((f: Feature) => f.id).sort();
const onDay = (day: string) =>
  all
    .filter((f) => String(f.properties.datetime ?? f.properties.start_datetime).startsWith(day))
    .map((f) => f.id)
    .sort();

describe("numberMatched", () => {
  it("is on every page of a search in the default order, exact within the count's bound", async () => {
    expect(all.length).toBeGreaterThan(5);
    const first = await stack.get("/search?limit=2");
    expect(first.body.numberMatched).toBe(all.length);
    expect(first.body["hexarchive:numberMatched"]).toBeUndefined();
    const next = first.body.links.find((l: { rel: string }) => l.rel === "next").href;
    const second = await stack.get(next);
    expect(second.body.numberMatched).toBe(all.length);
    const post = await stack.post("/search", { collections: ["sentinel-2-l2a"], limit: 1 });
    expect(post.body.numberMatched).toBe(all.filter((f) => f.collection === "sentinel-2-l2a").length);
    const items = await stack.get("/collections/sentinel-2-l2a/items?limit=1");
    expect(items.body.numberMatched).toBe(post.body.numberMatched);
    const oldest = await stack.get("/search?limit=1&sortby=%2Bdatetime");
    expect(oldest.body.numberMatched).toBe(all.length);
  });

  it("counts only what is in the area", async () => {
    const bbox = "14.2,49.9,14.7,50.2";
    const within = (await stack.get(`/search?bbox=${bbox}&limit=100`)).body.features;
    expect(within.length).toBeGreaterThan(1);
    expect(within.length).toBeLessThan(all.length);
    expect((await stack.get(`/search?bbox=${bbox}&limit=1`)).body.numberMatched).toBe(within.length);
    // The count's own area test (the executor tests the area after `accept`).
    const geometry = parseSearch({ bbox: bbox.split(",").map(Number) }, { source: "body" }).geometry;
    const listed = await stack.catalogue.listCollections();
    const c = await countMatches(stack.catalogue, {
      plan: {
        geometry,
        interval: ALL_TIME,
        collections: await planCollections(stack.catalogue, listed, geometry),
      },
      geometry,
      interval: ALL_TIME,
      collections: new Set(listed.map((x) => x.collection.id)),
      accept: () => true,
    });
    expect(c).toMatchObject({ matched: within.length, exact: true });
  });

  it("counts what free text and filters leave", async () => {
    const r = await stack.get(`/search?limit=1&q=S2B`);
    expect(r.body.numberMatched).toBe(all.filter((f) => /S2B/i.test(f.id)).length);
  });

  it("is an estimate, never below the matches counted, when the count's bound is reached", async () => {
    const req = parseSearch({}, { source: "body" });
    const listed = await stack.catalogue.listCollections();
    const input = {
      plan: { interval: ALL_TIME, collections: await planCollections(stack.catalogue, listed, undefined) },
      interval: ALL_TIME,
      collections: new Set(listed.map((c) => c.collection.id)),
      accept: () => true,
    };
    const exact = await countMatches(stack.catalogue, input);
    expect(exact).toMatchObject({ matched: all.length, exact: true });
    const bounded = await countMatches(stack.catalogue, { ...input, maxRows: 2 });
    expect(bounded.exact).toBe(false);
    expect(bounded.stats.rowsRead).toBeLessThan(exact.stats.rowsRead);
    expect(bounded.matched).toBeGreaterThan(0);
    // The page's own count needs no count read when it holds everything.
    const page = await searchItems(stack.catalogue, { ...req, limit: 100 }, UNRESTRICTED);
    expect(page.numberMatched).toBe(all.length);
    expect(page.matchedEstimated).toBeUndefined();
    // A search's count past its bound: flagged, and at least the matches counted.
    const small = await searchItems(stack.catalogue, { ...req, limit: 1 }, UNRESTRICTED, { countMaxRows: 2 });
    expect(small.matchedEstimated).toBe(true);
    expect(small.numberMatched).toBeGreaterThanOrEqual(1);
  });
});

describe("datetime with a date alone", () => {
  it("means that whole UTC day, in GET, POST, a collection's items and open intervals", async () => {
    const day = "2024-05-14";
    const want = onDay(day);
    expect(want.length).toBeGreaterThan(0);
    expect(ids(await stack.get(`/search?datetime=${day}&limit=100`))).toEqual(want);
    expect(ids(await stack.post("/search", { datetime: day, limit: 100 }))).toEqual(want);
    expect(ids(await stack.get(`/search?datetime=${day}/${day}&limit=100`))).toEqual(want);
    const from = all.filter((f) => String(f.properties.datetime ?? f.properties.start_datetime) >= day);
    expect(ids(await stack.get(`/search?datetime=${day}/..&limit=100`))).toEqual(
      from.map((f) => f.id).sort(),
    );
    const s2 = all.filter((f) => f.collection === "sentinel-2-l2a" && want.includes(f.id));
    expect(ids(await stack.get(`/collections/sentinel-2-l2a/items?datetime=${day}`))).toEqual(
      s2.map((f) => f.id).sort(),
    );
    expect((await stack.get(`/search?datetime=2024-05-15&limit=100`)).body.numberMatched).toBe(
      onDay("2024-05-15").length,
    );
  });
});

describe("free text on items", () => {
  it("matches platform, instruments, constellation and product type, not only ids", async () => {
    const s2 = all.filter((f) => f.collection?.startsWith("sentinel-2"));
    expect(s2.length).toBeGreaterThan(0);
    const platform = String(s2[0].properties.platform);
    expect(ids(await stack.get(`/search?q=${encodeURIComponent(platform)}&limit=100`))).toEqual(
      all
        .filter((f) => String(f.properties.platform).toLowerCase().includes(platform.toLowerCase()))
        .map((f) => f.id)
        .sort(),
    );
    // No sample id holds "sentinel" or "msi": these match properties.
    const sentinel = await stack.get("/search?q=sentinel&limit=100");
    expect(sentinel.body.features.length).toBeGreaterThan(0);
    expect(sentinel.body.features.every((f: Feature) => !/sentinel/i.test(f.id))).toBe(true);
    const msi = await stack.get("/search?q=msi&limit=100");
    expect(ids(msi)).toEqual(s2.map((f) => f.id).sort());
    const type = s2[0].properties["product:type"] ?? s2[0].properties["s2:product_type"];
    expect(type).toBeDefined();
    expect(ids(await stack.post("/search", { q: [String(type)], limit: 100 }))).toContain(s2[0].id);
  });
});

describe("served collections and items", () => {
  it("label Copernicus collections `other` with a license link (STAC 1.1), not `proprietary`", async () => {
    const c = (await stack.get("/collections/sentinel-2-l2a")).body;
    expect(c.license).toBe("other");
    const link = c.links.find((l: { rel: string }) => l.rel === "license");
    expect(link.href).toMatch(/^https:\/\/sentinel\.esa\.int\//);
    const listed = (await stack.get("/collections")).body.collections;
    expect(listed.filter((x: Feature) => x.license === "proprietary")).toEqual([]);
  });

  it("show no archive member offsets on assets, which stay stored for downloads", async () => {
    const zipped = all.find((f) => f.collection === "sentinel-2-l2a");
    const stored = await stack.catalogue.getItem(zipped.collection, zipped.id);
    expect(Object.values(stored!.item.assets).some((a) => a[MEMBER_FIELD] !== undefined)).toBe(true);
    const served = [
      ...all,
      (await stack.get(`/collections/${zipped.collection}/items/${zipped.id}`)).body,
      ...(await stack.get(`/collections/${zipped.collection}/items`)).body.features,
    ];
    const text = JSON.stringify(served);
    expect(text).not.toContain("hexarchive:member");
    expect(text).not.toContain("hexarchive:tar_member");
  });
});

describe("Collection Search with a filter", () => {
  it("accepts CQL2 text and JSON on a collection's fields", async () => {
    const text = await stack.get(`/collections?filter=${encodeURIComponent("id LIKE 'sentinel-2%'")}`);
    expect(text.status).toBe(200);
    const want = (await stack.get("/collections")).body.collections
      .map((c: Feature) => c.id)
      .filter((id: string) => id.startsWith("sentinel-2"))
      .sort();
    expect(text.body.collections.map((c: Feature) => c.id).sort()).toEqual(want);
    const json = await stack.get(
      `/collections?filter-lang=cql2-json&filter=${encodeURIComponent(JSON.stringify({ op: "=", args: [{ property: "license" }, "other"] }))}`,
    );
    expect(json.status).toBe(200);
    expect(json.body.collections.length).toBeGreaterThan(0);
    expect(json.body.collections.every((c: Feature) => c.license === "other")).toBe(true);
    expect((await stack.get(`/collections?filter=${encodeURIComponent("id = ")}`)).status).toBe(400);
  });
});
