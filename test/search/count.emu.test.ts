// numberMatched on the API's search (search.ts, count.ts): never a wrong exact number, an estimate
// always flagged, a count read bounded by the page and run alongside it, and later pages repeating the
// first page's count from the signed token without reading anything for it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNRESTRICTED } from "../../shared/auth/authorize.ts";
import { mapLimited } from "../../shared/concurrency.ts";
import { BadRequestError } from "../../shared/errors.ts";
import { intersects } from "../../shared/geo/geometry.ts";
import { buildItemRows, type ItemSummary, summarize } from "../../shared/index/rows.ts";
import { countBound } from "../../shared/search/count.ts";
import { summaryTest } from "../../shared/search/filter.ts";
import { itemText, matchesText } from "../../shared/search/free-text.ts";
import { parseSearch, requestFilter } from "../../shared/search/request.ts";
import { type SearchOptions, searchItems } from "../../shared/search/search.ts";
import { PAGE } from "../../shared/search/streams.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { testCollection } from "../support/collections.ts";
import { footprint, rng } from "../support/random-items.ts";
import { startTestTable, type TestTable } from "../support/table.ts";

let stack: TestTable;
const summaries: ItemSummary[] = [];
/** Index rows read through the catalogue (page and count reads; not the planner's inputs). */
let rowsRead = 0;

const YEAR = Date.UTC(2020, 0, 1);
const DAY = 86_400_000;

beforeAll(async () => {
  stack = await startTestTable();
  await stack.catalogue.putCollection(testCollection("dense"));
  const r = rng(2020);
  const items: StacItem[] = [];
  // Small scenes over Bohemia through 2020, half of them from one platform (free text the row counters
  // cannot see).
  for (let i = 0; i < 400; i++) {
    const [lon, lat, size] = [13 + r() * 3, 49 + r() * 2, 0.05 + r() * 0.25];
    items.push({
      type: "Feature",
      stac_version: "1.1.0",
      id: `dense-${String(i).padStart(4, "0")}`,
      collection: "dense",
      geometry: footprint(lon, lat, size, size),
      properties: {
        datetime: new Date(YEAR + Math.floor(r() * 365 * DAY)).toISOString(),
        platform: r() < 0.5 ? "sentinel-2a" : "sentinel-2b",
      },
      links: [],
      assets: {},
    });
  }
  await mapLimited(items, 32, async (item) => {
    const built = buildItemRows(item, "v1");
    await stack.catalogue.putItem(item, built.rows, built.record, "v1");
    await stack.catalogue.extendCollection(item.collection!, built.summary);
    summaries.push(summarize(item, "v1"));
  });
  const queryRows = stack.catalogue.queryRows;
  stack.catalogue.queryRows = async (q) => {
    const page = await queryRows.call(stack.catalogue, q);
    rowsRead += page.scanned;
    return page;
  };
}, 300_000);
afterAll(() => stack?.close());

function bruteForce(body: Record<string, unknown>): number {
  const req = parseSearch(body, { source: "body" });
  const expr = requestFilter(req);
  return summaries
    .filter((s) => s.start <= req.interval.to && s.end >= req.interval.from)
    .filter((s) => !req.geometry || (s.geometry !== null && intersects(s.geometry, req.geometry)))
    .filter((s) => !expr || summaryTest(expr)(s))
    .filter((s) => !req.q || matchesText(itemText(s.id, s.properties), req.q)).length;
}

/** A search, and the index rows it read in all (its page's and its count's). */
async function search(body: Record<string, unknown>, opts: SearchOptions = {}) {
  const before = rowsRead;
  const page = await searchItems(stack.catalogue, parseSearch(body, { source: "body" }), UNRESTRICTED, opts);
  return { page, rows: rowsRead - before };
}

/** Boxes from a few km to all of Bohemia, windows from a day to the year, pages of 3–20, some filtered. */
function randomBody(r: () => number): Record<string, unknown> {
  const w = 0.1 + r() * 3;
  const h = 0.1 + r() * 2;
  const [lon, lat] = [13 + r() * (3 - Math.min(3, w)), 49 + r() * (2 - Math.min(2, h))];
  const from = YEAR + Math.floor(r() * 300 * DAY);
  const days = [1, 7, 30, 120, 365][Math.floor(r() * 5)]!;
  return {
    bbox: [lon, lat, lon + w, lat + h],
    datetime: `${new Date(from).toISOString()}/${new Date(Math.min(YEAR + 366 * DAY, from + days * DAY)).toISOString()}`,
    limit: [3, 5, 10, 20][Math.floor(r() * 4)],
    ...(r() < 0.3 ? { q: "sentinel-2a" } : {}),
  };
}

describe("numberMatched", () => {
  const kinds = new Map<string, number>();
  const note = (k: string) => kinds.set(k, (kinds.get(k) ?? 0) + 1);

  it.each(Array.from({ length: 40 }, (_, i) => i))(
    "random search %i: exact only when exact, page 2 reads no count",
    async (i) => {
      const body = randomBody(rng(500 + i));
      const want = bruteForce(body);
      // Half of them with a wider bound than the page's default (2 rows per result): more count reads.
      const opts = i % 2 === 1 ? { countMaxRows: 100 } : {};
      const { page, rows } = await search(body, opts);
      const count = page.countStats;
      // Everything read is the page's or the count's.
      expect(rows).toBe(page.stats.rowsRead + (count?.rowsRead ?? 0));
      if (page.matchedEstimated) {
        expect(page.numberMatched).toBeGreaterThanOrEqual(page.items.length);
        note(count ? "estimate after a read" : "estimate, no read");
      } else {
        expect(page.numberMatched, JSON.stringify(body)).toBe(want);
        note(count ? "exact, count read" : "exact from the page's read");
      }
      // The count read is bounded by the page's size (plus the round that passes the bound).
      if (count)
        expect(count.rowsRead).toBeLessThanOrEqual(
          (opts.countMaxRows ?? countBound(Number(body["limit"]))) + PAGE.min * count.requests,
        );
      if (!page.nextToken) return;
      note("page 2");
      const second = await search({ ...body, token: page.nextToken }, opts);
      // Page 1's count, carried: nothing read for it.
      expect(second.page.numberMatched).toBe(page.numberMatched);
      expect(second.page.matchedEstimated).toBe(page.matchedEstimated);
      expect(second.page.countStats).toBeUndefined();
      expect(second.rows).toBe(second.page.stats.rowsRead);
    },
  );

  it("came in every kind above", () => {
    console.log(`kinds of count: ${JSON.stringify([...kinds])}`);
    const seen = JSON.stringify([...kinds]);
    for (const k of ["exact from the page's read", "exact, count read", "estimate, no read", "page 2"])
      expect(kinds.get(k) ?? 0, seen).toBeGreaterThan(0);
  });

  it("reads no count for a search its page holds whole, and none on later pages of any search", async () => {
    const all = { collections: ["dense"], limit: 10 };
    const first = await search(all);
    // Hundreds of rows to count against a bound of 20: the row counters' estimate, flagged, nothing read.
    expect(first.page.matchedEstimated).toBe(true);
    expect(first.page.countStats).toBeUndefined();
    expect(first.rows).toBe(first.page.stats.rowsRead);
    expect(first.page.numberMatched).toBeGreaterThan(200);
    expect(first.page.numberMatched).toBeLessThan(800);
    // Free text the counters cannot see: the matches among the page's own rows, scaled; nothing read.
    const text = { collections: ["dense"], q: "sentinel-2a", limit: 5 };
    const sampled = await search(text);
    expect(sampled.page.matchedEstimated).toBe(true);
    expect(sampled.page.countStats).toBeUndefined();
    expect(sampled.rows).toBe(sampled.page.stats.rowsRead);
    const truth = bruteForce(text);
    console.log(
      `free text: ${sampled.page.numberMatched} estimated from ${sampled.rows} rows, ${truth} exactly`,
    );
    expect(sampled.page.numberMatched).toBeGreaterThan(truth / 2);
    expect(sampled.page.numberMatched).toBeLessThan(truth * 2);
    // An exact count where the page's read sees every match.
    const one = summaries[0]!;
    const few = { ids: undefined, bbox: one.bbox, datetime: `${one.datetime}/${one.datetime}`, limit: 10 };
    const small = await search(few);
    expect(small.page.matchedEstimated).toBeUndefined();
    expect(small.page.numberMatched).toBe(bruteForce(few));
    expect(small.rows).toBe(small.page.stats.rowsRead);
  });

  it("is refused when its token's count was altered", async () => {
    const { page } = await search({ collections: ["dense"], limit: 5 });
    const [payload, mac] = page.nextToken!.split(".") as [string, string];
    const body = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    expect(body.m).toEqual([page.numberMatched, 0]);
    const altered = Buffer.from(JSON.stringify({ ...body, m: [5, 1] })).toString("base64url");
    await expect(search({ collections: ["dense"], limit: 5, token: `${altered}.${mac}` })).rejects.toThrow(
      BadRequestError,
    );
  });
});
