// The reads before a search's plan: the collection listing and the row counts of the area. Once an
// instance has listed the collections, the counts are read alongside the listing, not after it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNRESTRICTED } from "../../shared/auth/authorize.ts";
import { buildItemRows } from "../../shared/index/rows.ts";
import { parseSearch } from "../../shared/search/request.ts";
import { searchItems } from "../../shared/search/search.ts";
import type { Catalogue } from "../../shared/storage/catalogue.ts";
import { testCollection } from "../support/collections.ts";
import { randomItem, rng } from "../support/random-items.ts";
import { startTestTable, type TestTable } from "../support/table.ts";

let stack: TestTable;

beforeAll(async () => {
  stack = await startTestTable();
  const r = rng(7);
  for (const c of ["alpha", "beta", "gamma"]) await stack.catalogue.putCollection(testCollection(c));
  for (let i = 0; i < 60; i++) {
    const item = randomItem(r, i);
    const built = buildItemRows(item, "v1");
    await stack.catalogue.putItem(item, built.rows, built.record, "v1");
    await stack.catalogue.extendCollection(item.collection!, built.summary);
  }
}, 120_000);
afterAll(() => stack?.close());

/** The real catalogue, with the start and end of each listing and row-count read recorded in order. */
function recording(catalogue: Catalogue) {
  const log: string[] = [];
  const wrapped = Object.create(catalogue) as Catalogue;
  wrapped.listCollections = async () => {
    log.push("list:start");
    const out = await catalogue.listCollections();
    log.push("list:end");
    return out;
  };
  wrapped.rowCounts = async (collections, cells) => {
    log.push(`counts:start:${[...collections].sort().join(",")}`);
    const out = await catalogue.rowCounts!(collections, cells);
    log.push("counts:end");
    return out;
  };
  return { wrapped, log };
}

const ids = async (catalogue: Catalogue, body: Record<string, unknown>) =>
  (await searchItems(catalogue, parseSearch(body, { source: "body" }), UNRESTRICTED)).items.map((i) => i.id);

describe("reads before the plan", () => {
  it("reads the counts after the listing on a first search, alongside it afterwards; same results", async () => {
    const { wrapped, log } = recording(stack.catalogue);
    const body = { bbox: [-30, -40, 60, 40], limit: 10 };
    const first = await ids(wrapped, body);
    expect(log).toEqual(["list:start", "list:end", "counts:start:alpha,beta,gamma", "counts:end"]);
    log.length = 0;
    const second = await ids(wrapped, body);
    expect(log.indexOf("counts:start:alpha,beta,gamma")).toBeLessThan(log.indexOf("list:end"));
    expect(log.filter((l) => l.startsWith("counts:start"))).toHaveLength(1);
    expect(second).toEqual(first);
    expect(first.length).toBeGreaterThan(0);
  });

  it("reads the counts of named collections alongside the listing from the first search", async () => {
    const { wrapped, log } = recording(stack.catalogue);
    await ids(wrapped, { collections: ["beta"], bbox: [-30, -40, 60, 40], limit: 5 });
    expect(log.indexOf("counts:start:beta")).toBeLessThan(log.indexOf("list:end"));
  });

  it("reads again, after the listing, when a new collection appeared since the last listing", async () => {
    const { wrapped, log } = recording(stack.catalogue);
    await ids(wrapped, { bbox: [0, 0, 10, 10], limit: 5 });
    await stack.catalogue.putCollection(testCollection("delta"));
    log.length = 0;
    await ids(wrapped, { bbox: [0, 0, 10, 10], limit: 5 });
    const counts = log.filter((l) => l.startsWith("counts:start"));
    expect(counts).toEqual(["counts:start:alpha,beta,gamma", "counts:start:alpha,beta,delta,gamma"]);
  });

  it("an unknown collection is still a 400-class error, with the prefetched read dropped quietly", async () => {
    const { wrapped } = recording(stack.catalogue);
    await expect(ids(wrapped, { collections: ["nope"], limit: 5 })).rejects.toThrow(/unknown collection/);
  });
});
