// Rounds after the first: when a search's first round (sized from the row counts) finds fewer matches
// than wanted, later rounds reach further back. A search with fewer matches than its limit must read
// every row, and should do so in a few rounds; items sharing one datetime must page in order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildItemRows, type ItemSummary } from "../../shared/index/rows.ts";
import type { Cursor } from "../../shared/search/cursor.ts";
import { executeSearch } from "../../shared/search/execute.ts";
import { planSearch } from "../../shared/search/plan/choose.ts";
import { parseSearch } from "../../shared/search/request.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { testCollection } from "../support/collections.ts";
import { footprint, rng } from "../support/random-items.ts";
import { startTestTable, type TestTable } from "../support/table.ts";

const YEAR = 365 * 86_400_000;
const T0 = Date.UTC(2020, 0, 1);

const item = (
  collection: string,
  id: string,
  geometry: StacItem["geometry"],
  datetime: number,
): StacItem => ({
  type: "Feature",
  stac_version: "1.1.0",
  id,
  collection,
  geometry,
  properties: { datetime: new Date(datetime).toISOString() },
  links: [],
  assets: {},
});

describe("rounds after a short first round", () => {
  let stack: TestTable;
  // 1,200 items over five years; the row filter below keeps 99 of them, spread over the same years.
  const kept = new Set<string>();
  beforeAll(async () => {
    stack = await startTestTable();
    for (const id of ["many", "monthly", "instant"]) await stack.catalogue.putCollection(testCollection(id));
    const r = rng(11);
    const items = Array.from({ length: 1200 }, (_, i) =>
      item("many", `m-${i}`, footprint(14 + r() * 0.1, 50 + r() * 0.1, 0.5, 0.5), T0 + r() * 5 * YEAR),
    );
    for (const it of items.slice(0, 99)) kept.add(it.id);
    // Items of one footprint with ids `<prefix>-000`…, at the instants given.
    const series = (collection: string, prefix: string, n: number, at: (i: number) => number) =>
      Array.from({ length: n }, (_, i) =>
        item(collection, `${prefix}-${String(i).padStart(3, "0")}`, footprint(14, 50, 2, 2), at(i)),
      );
    // Monthly products (as ERA5's): 24 months of 30 items, every item of a month at its first instant.
    items.push(...series("monthly", "e", 720, (i) => Date.UTC(2022, Math.floor(i / 30), 1)));
    // 300 items at one instant after a year of 300 (a batch registered at once): more than the
    // first round's limit at the newest instant.
    items.push(
      ...series("instant", "i", 600, (i) =>
        i < 300 ? Date.UTC(2023, 5, 1) : Date.UTC(2022, 5, 1) + r() * YEAR * 0.9,
      ),
    );
    const entries = items.map((it) => ({ item: it, ...buildItemRows(it, "v1"), version: "v1" }));
    await stack.catalogue.loadItems(entries);
    await stack.catalogue.flushRowCounts();
    for (const e of entries) await stack.catalogue.extendCollection(e.item.collection!, e.summary);
  }, 120_000);
  afterAll(() => stack?.close());

  /** A search of one collection planned from its row counts, as the API plans it. */
  const search = async (
    collection: string,
    limit: number,
    opts: { accept?: (s: ItemSummary) => boolean; after?: Cursor; ascending?: boolean } = {},
  ) => {
    const req = parseSearch({ collections: [collection], limit }, { source: "body" });
    const c = (await stack.catalogue.listCollections()).find((x) => x.collection.id === collection)!;
    const counts = (await stack.catalogue.rowCounts([collection], [])).get(collection)!;
    const [from, to] = c.collection.extent!.temporal.interval[0]!;
    const plan = planSearch({
      interval: req.interval,
      limit: req.limit,
      filtered: opts.accept !== undefined,
      collections: [
        { id: collection, maxDurationMs: 0, levels: c.levels, rows: { counts, from: from!, to: to! } },
      ],
    });
    return executeSearch(stack.catalogue, {
      plan,
      interval: req.interval,
      collections: new Set([collection]),
      limit: req.limit,
      accept: opts.accept,
      after: opts.after,
      ascending: opts.ascending,
    });
  };

  /** The ids of up to `maxPages` pages of `limit`, following each page's cursor, and each page's rounds. */
  const pages = async (collection: string, limit: number, maxPages: number, ascending = false) => {
    const ids: string[] = [];
    const rounds: number[] = [];
    let after: Cursor | undefined;
    for (let p = 0; p < maxPages; p++) {
      const page = await search(collection, limit, { ascending, ...(after ? { after } : {}) });
      ids.push(...page.items.map((i) => i.id));
      rounds.push(page.stats.rounds);
      if (!page.next) break;
      after = page.next;
    }
    return { ids, rounds };
  };

  it("reach every match of a search with fewer matches than its limit in a few rounds", async () => {
    const page = await search("many", 100, { accept: (s) => kept.has(s.id) });
    console.log(
      `99 matches among 1,200 rows, limit 100: ${page.stats.rounds} rounds (with the batch read), ${page.stats.rowsRead} rows`,
    );
    expect(page.items.map((i) => i.id).sort()).toEqual([...kept].sort());
    expect(page.next).toBeUndefined();
    // The first round reads about 170 rows and finds some 14 matches; then back by the shortfall,
    // then doubling the span read, and past the collection's oldest item everything left: a handful
    // of rounds, not one per small step back.
    expect(page.stats.rounds).toBeLessThanOrEqual(5);
    expect(page.stats.rowsRead).toBe(1200);
  });

  it("page through items sharing one datetime in order, each page in a few rounds", async () => {
    const { ids, rounds } = await pages("monthly", 25, 80);
    // Newest month first; within a month, by id descending.
    const want = Array.from({ length: 720 }, (_, i) => i)
      .sort((a, b) => Math.floor(b / 30) - Math.floor(a / 30) || b - a)
      .map((i) => `e-${String(i).padStart(3, "0")}`);
    expect(ids).toEqual(want);
    console.log(`720 items of 24 instants in pages of 25: rounds per page ${rounds.join(" ")}`);
    expect(Math.max(...rounds)).toBeLessThanOrEqual(4);
  });

  it("page through more items at one instant than a first round reads, in order", async () => {
    const { ids } = await pages("instant", 25, 4);
    const want = Array.from({ length: 100 }, (_, i) => `i-${String(299 - i).padStart(3, "0")}`);
    expect(ids).toEqual(want);
  });

  // Oldest first: the same rounds, forwards in time.
  it("reach every match oldest first too, in a few rounds", async () => {
    const page = await search("many", 100, { accept: (s) => kept.has(s.id), ascending: true });
    console.log(
      `oldest first, 99 matches among 1,200 rows: ${page.stats.rounds} rounds, ${page.stats.rowsRead} rows`,
    );
    expect(page.items.map((i) => i.id).sort()).toEqual([...kept].sort());
    expect(page.next).toBeUndefined();
    expect(page.stats.rounds).toBeLessThanOrEqual(5);
  });

  it("page oldest first through items sharing one datetime, in order", async () => {
    const { ids, rounds } = await pages("monthly", 25, 80, true);
    const want = Array.from({ length: 720 }, (_, i) => `e-${String(i).padStart(3, "0")}`);
    expect(ids).toEqual(want);
    console.log(`oldest first, 720 items of 24 instants in pages of 25: rounds per page ${rounds.join(" ")}`);
    expect(Math.max(...rounds)).toBeLessThanOrEqual(4);
  });

  it("page oldest first through more items at one instant than a first round reads", async () => {
    // The 300 older items (a year of them), then the 300 of one instant, by id.
    const { ids } = await pages("instant", 25, 16, true);
    expect(ids.slice(300)).toEqual(Array.from({ length: 100 }, (_, i) => `i-${String(i).padStart(3, "0")}`));
    expect(new Set(ids.slice(0, 300))).toEqual(
      new Set(Array.from({ length: 300 }, (_, i) => `i-${String(300 + i).padStart(3, "0")}`)),
    );
  });
});
