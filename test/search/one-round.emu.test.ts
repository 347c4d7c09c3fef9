// A warm instance plans a search from its cached plan inputs and reads the index in the same round as
// the collection listing and the fresh row counts (shared/search/speculate.ts): one sequential round
// fewer than cold, counted from the requests' own timeline. The cache never decides what is searched:
// a collection made later, a collection restricted later and rows at a level or cell the cached counts
// did not have are all seen by the next search.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RequestTimeline } from "../../dev/bench/request-timeline.ts";
import type { AccessPolicy } from "../../shared/auth/access-policy.ts";
import { Access, UNRESTRICTED } from "../../shared/auth/authorize.ts";
import type { Principal } from "../../shared/auth/principal.ts";
import { UnauthorizedError } from "../../shared/errors.ts";
import { intersects } from "../../shared/geo/geometry.ts";
import { buildItemRows, type ItemSummary, summarize } from "../../shared/index/rows.ts";
import { compareDesc } from "../../shared/search/cursor.ts";
import { parseSearch } from "../../shared/search/request.ts";
import { searchItems } from "../../shared/search/search.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { testCollection } from "../support/collections.ts";
import { footprint, rng } from "../support/random-items.ts";
import { startTestTable, type TestTable } from "../support/table.ts";

let stack: TestTable;
let timeline: RequestTimeline;
const summaries: ItemSummary[] = [];
const AREA = [16.3, 49.0, 16.9, 49.4];
const YEAR = "2024-01-01T00:00:00Z/2024-12-31T23:59:59Z";

async function put(item: StacItem): Promise<void> {
  const built = buildItemRows(item, "v1");
  await stack.catalogue.putItem(item, built.rows, built.record, "v1");
  await stack.catalogue.extendCollection(item.collection!, built.summary);
  summaries.push(summarize(item, "v1"));
}

const item = (
  collection: string,
  id: string,
  geometry: StacItem["geometry"],
  datetime: string,
): StacItem => ({
  type: "Feature",
  stac_version: "1.1.0",
  id,
  collection,
  geometry,
  properties: { datetime },
  links: [],
  assets: {},
});

beforeAll(async () => {
  stack = await startTestTable();
  timeline = new RequestTimeline(stack.doc);
  for (const c of ["alpha", "beta"]) await stack.catalogue.putCollection(testCollection(c));
  const r = rng(20);
  for (let i = 0; i < 80; i++) {
    const collection = i % 2 === 0 ? "alpha" : "beta";
    const at = new Date(Date.UTC(2024, 0, 1) + Math.floor(r() * 300 * 86_400_000)).toISOString();
    const g = footprint(16.2 + r() * 0.8, 48.9 + r() * 0.6, 0.05, 0.05);
    await put(item(collection, `${collection}-${i}`, g, at));
  }
}, 120_000);
afterAll(() => stack?.close());

/** Brute force, newest first: the items of these collections meeting the area in the year. */
function expected(collections: string[], limit: number): string[] {
  const req = parseSearch({ bbox: AREA, datetime: YEAR }, { source: "body" });
  return summaries
    .filter((s) => collections.includes(s.collection))
    .filter((s) => s.start <= req.interval.to && s.end >= req.interval.from)
    .filter((s) => s.geometry !== null && intersects(s.geometry, req.geometry!))
    .sort(compareDesc)
    .slice(0, limit)
    .map((s) => s.id);
}

async function search(body: Record<string, unknown>, access = UNRESTRICTED) {
  const req = parseSearch({ bbox: AREA, datetime: YEAR, limit: 10, ...body }, { source: "body" });
  const { result, rounds, requests } = await timeline.record(() =>
    searchItems(stack.catalogue, req, access, { count: false }),
  );
  return { ids: result.items.map((i) => i.id), stats: result.stats, rounds, requests };
}

describe("a warm search", () => {
  it("reads the collection listing, the row counts and the index in one round, then the page's items", async () => {
    const cold = await search({ collections: ["alpha"] });
    const warm = await search({ collections: ["alpha"] });
    expect(warm.ids).toEqual(expected(["alpha"], 10));
    expect(warm.ids).toEqual(cold.ids);
    // Cold: listing and row counts, then the index, then the items; warm: the first two at once.
    expect(warm.rounds).toBe(cold.rounds - 1);
    // The search's own count of its rounds is the timeline's.
    expect(cold.stats.rounds).toBe(cold.rounds);
    expect(warm.stats.rounds).toBe(warm.rounds);
    // Warm, the index Queries go out with the listing and the row counts, before any answer is back.
    const firstRound = (rs: typeof cold.requests) => {
      const answered = Math.min(...rs.map((r) => r.end));
      return rs.filter((r) => r.start < answered).length;
    };
    expect(firstRound(warm.requests)).toBeGreaterThan(firstRound(cold.requests));
  });

  it("of every collection also takes one round fewer than the first such search", async () => {
    const first = await search({ bbox: [16.2, 48.9, 17.0, 49.5] });
    const again = await search({ bbox: [16.2, 48.9, 17.0, 49.5] });
    expect(again.ids).toEqual(first.ids);
    expect(again.rounds).toBeLessThan(first.rounds);
    expect(again.stats.rounds).toBe(again.rounds);
  });
});

describe("the cache never decides what is searched", () => {
  it("a collection created after the cache was filled is searched by the next search", async () => {
    await search({});
    await stack.catalogue.putCollection(testCollection("gamma"));
    for (let i = 0; i < 3; i++)
      await put(item("gamma", `gamma-${i}`, footprint(16.6, 49.2, 0.05, 0.05), `2024-12-2${i}T10:00:00Z`));
    const after = await search({});
    expect(after.ids).toEqual(expected(["alpha", "beta", "gamma"], 10));
    expect(after.ids.slice(0, 3)).toEqual(["gamma-2", "gamma-1", "gamma-0"]);
  });

  it("rows at a level and cell the cached row counts did not have are read", async () => {
    await search({ collections: ["beta"] });
    // A large footprint: rows at coarser levels than beta's small items, newest of all.
    await put(item("beta", "beta-large", footprint(16.6, 49.2, 6, 4), "2024-12-31T10:00:00Z"));
    const after = await search({ collections: ["beta"] });
    expect(after.ids[0]).toBe("beta-large");
    expect(after.ids).toEqual(expected(["beta"], 10));
  });

  it("a collection restricted after the cache was filled is not searched by whom it is closed to", async () => {
    const open = await search({});
    expect(open.ids.some((id) => id.startsWith("beta-"))).toBe(true);
    const policy: AccessPolicy = {
      search: "public",
      download: "public",
      collections: { beta: { search: "group:partners" } },
    };
    const anonymous = await search({}, new Access(policy, undefined));
    expect(anonymous.ids).toEqual(expected(["alpha", "gamma"], 10));
    await expect(search({ collections: ["beta"] }, new Access(policy, undefined))).rejects.toThrow(
      UnauthorizedError,
    );
    const partner: Principal = { user: "p", groups: ["partners"], via: "basic" };
    const signedIn = await search({}, new Access(policy, partner));
    expect(signedIn.ids).toEqual(expected(["alpha", "beta", "gamma"], 10));
  });
});

describe("the queryables a filter names", () => {
  const withPass = (id: string, pass: number, extra: Record<string, unknown> = {}): StacItem => {
    const it = item("delta", id, footprint(16.6, 49.2, 0.05, 0.05), "2024-06-01T10:00:00Z");
    it.properties = { ...it.properties, "test:pass": pass, ...extra };
    return it;
  };
  const byProperty = (name: string, value: number) => ({
    collections: ["delta"],
    "filter-lang": "cql2-json",
    filter: { op: "=", args: [{ property: name }, value] },
  });

  it("are sampled once while known, a name not seen lately is read again, and an unknown one refused", async () => {
    await stack.catalogue.putCollection(testCollection("delta"));
    for (let i = 0; i < 3; i++) await put(withPass(`delta-${i}`, 5));
    await search({ collections: ["delta"] });
    const first = await search(byProperty("test:pass", 5));
    const second = await search(byProperty("test:pass", 5));
    expect([...first.ids].sort()).toEqual(["delta-0", "delta-1", "delta-2"]);
    expect(second.ids).toEqual(first.ids);
    // The second leaves out the queryables sample of delta's time partition: one Query fewer.
    expect(second.requests.length).toBe(first.requests.length - 1);
    // A name no sample has held is refused, and not remembered as anything.
    await expect(search(byProperty("test:never", 1))).rejects.toThrow(/'test:never' is not queryable/);
    await expect(search(byProperty("test:never", 1))).rejects.toThrow(/'test:never' is not queryable/);
    // A property that appears after the sample was remembered is read again, so found at once.
    await put(withPass("delta-new", 6, { "test:fresh": 1 }));
    const fresh = await search(byProperty("test:fresh", 1));
    expect(fresh.ids).toEqual(["delta-new"]);
  });
});
