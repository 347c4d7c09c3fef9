// Every malformed extension parameter is a 400 {code, description} naming the parameter, never a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.ts";
import { COLLECTIONS, ITEMS } from "./dataset.ts";
import { seed } from "./seed.ts";

let stack: TestApp;

beforeAll(async () => {
  stack = await startTestApp();
  await seed(stack, COLLECTIONS, ITEMS.slice(0, 4));
});
afterAll(() => stack?.close());

const enc = encodeURIComponent;
const gets: [string, RegExp][] = [
  ["/search?sortby=", /sortby/],
  ["/search?sortby=%2B", /sortby/],
  [`/search?query=${enc("[1]")}`, /query/],
  [`/search?query=${enc('{"eo:cloud_cover":5}')}`, /query/],
  [`/search?query=${enc('{"eo:cloud_cover":{"in":[]}}')}`, /query/],
  [`/search?filter=${enc("S_INTERSECTS(geometry, POINT(1))")}`, /filter/],
  [`/search?filter=${enc("T_AFTER(datetime, TIMESTAMP('nope'))")}`, /filter/],
  [`/search?filter=${enc("(".repeat(500))}`, /filter/],
  [`/search?filter-lang=cql2-json&filter=${enc('{"op":"bogus","args":[]}')}`, /filter/],
  [`/search?filter-lang=cql2-json&filter=${enc("[]")}`, /filter/],
  ["/search?q=", /q/],
  ["/search?token=e30", /token/],
  ["/collections?bbox=1,2", /bbox/],
  ["/collections?limit=0", /limit/],
  ["/collections?datetime=soon", /datetime/],
  ["/collections?token=abc", /token/],
  ["/collections?q=%22%22", /q/],
  ["/aggregate?aggregations=", /aggregations/],
  ["/aggregate?limit=x", /limit/],
  [`/aggregate?filter=${enc("nope = 1")}`, /nope/],
  ["/collections/optical/items?ids=a", /unknown parameter 'ids'/],
];

describe("bad extension parameters", () => {
  for (const [path, re] of gets) {
    it(`GET ${path}`, async () => {
      const res = await stack.get(path);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.code).toBe("BadRequest");
      expect(res.body.description).toMatch(re);
    });
  }

  const posts: [string, unknown, RegExp][] = [
    ["/search", { sortby: "id" }, /sortby/],
    ["/search", { sortby: [{ direction: "asc" }] }, /sortby/],
    ["/search", { fields: ["id"] }, /fields/],
    ["/search", { query: { a: { lt: { b: 1 } } } }, /query/],
    ["/search", { filter: { op: "=", args: [{ property: "id" }] } }, /filter/],
    ["/search", { filter: 42 }, /filter/],
    ["/search", { q: 5 }, /q/],
    ["/aggregate", { aggregations: "total_count" }, /aggregations/],
    ["/aggregate", { centroid_geohex_grid_frequency_precision: "3" }, /precision/],
  ];
  for (const [path, body, re] of posts) {
    it(`POST ${path} ${JSON.stringify(body)}`, async () => {
      const res = await stack.post(path, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.description).toMatch(re);
    });
  }
});
