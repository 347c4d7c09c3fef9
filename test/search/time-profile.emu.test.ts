// Row counts by quarter: first pages follow a collection's rate over time, not its average.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildItemRows } from "../../shared/index/rows.ts";
import { executeSearch } from "../../shared/search/execute.ts";
import { planSearch } from "../../shared/search/plan/choose.ts";
import { parseSearch } from "../../shared/search/request.ts";
import { profileOf, shareWithin } from "../../shared/search/time-profile.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { testCollection } from "../support/collections.ts";
import { footprint, rng } from "../support/random-items.ts";
import { startTestTable, type TestTable } from "../support/table.ts";

const at = (iso: string) => Date.parse(iso);

describe("profileOf and shareWithin", () => {
  const extent = [at("2024-01-01T00:00:00Z"), at("2024-07-01T00:00:00Z")] as const;

  it("put each quarter's share of the items in that quarter", () => {
    const p = profileOf({ n_T: 400, n_t_2024Q1: 100, n_t_2024Q2: 300 }, extent)!;
    expect(shareWithin(p, extent, at("2024-04-01T00:00:00Z"), extent[1])).toBeCloseTo(0.75, 6);
    // Evenly within a quarter: half of Q1's 100 by mid-February (45.5 of its 91 days).
    expect(shareWithin(p, extent, extent[0], at("2024-02-15T12:00:00Z"))).toBeCloseTo(0.125, 6);
    // Spread evenly instead: the time's share (91 of 182 days).
    expect(shareWithin(undefined, extent, at("2024-04-01T00:00:00Z"), extent[1])).toBeCloseTo(0.5, 6);
  });

  it("spread the newest quarter over its part within the collection's extent", () => {
    const upTo = [extent[0], at("2024-04-11T00:00:00Z")] as const;
    const p = profileOf({ n_T: 200, n_t_2024Q1: 100, n_t_2024Q2: 100 }, upTo)!;
    // Q2's 100 items lie within its first ten days.
    expect(shareWithin(p, upTo, at("2024-04-06T00:00:00Z"), upTo[1])).toBeCloseTo(0.25, 6);
  });

  it("are not used when the quarter counters miss items (indexed before the counters existed)", () => {
    expect(profileOf({ n_T: 1000, n_t_2024Q2: 300 }, extent)).toBeUndefined();
    expect(profileOf({ n_T: 10 }, extent)).toBeUndefined();
  });
});

describe("first pages of collections whose rate changed", () => {
  let stack: TestTable;
  const T0 = at("2020-01-01T00:00:00Z");
  const YEAR = 365 * 86_400_000;
  const item = (collection: string, i: number, t: number): StacItem => ({
    type: "Feature",
    stac_version: "1.1.0",
    id: `${collection}-${i}`,
    collection,
    geometry: footprint(14 + (i % 5) * 0.01, 50, 1, 1),
    properties: { datetime: new Date(t).toISOString() },
    links: [],
    assets: {},
  });

  beforeAll(async () => {
    stack = await startTestTable();
    const r = rng(7);
    const items: StacItem[] = [];
    for (const c of ["steady", "declining"]) await stack.catalogue.putCollection(testCollection(c));
    // One mission revisits at a steady rate for five years; the other lost a satellite after three:
    // 200 items in its first three years, 4 in the last two (one every half year, the last one recent).
    for (let i = 0; i < 150; i++) items.push(item("steady", i, T0 + r() * 5 * YEAR));
    for (let i = 0; i < 200; i++) items.push(item("declining", i, T0 + r() * 3 * YEAR));
    for (let i = 200; i < 204; i++)
      items.push(item("declining", i, T0 + (3 + (i - 199) / 2) * YEAR - 86_400_000));
    for (const it of items) {
      const built = buildItemRows(it, "v1");
      await stack.catalogue.putItem(it, built.rows, built.record, "v1");
      await stack.catalogue.extendCollection(it.collection!, built.summary);
    }
  }, 120_000);
  afterAll(() => stack?.close());

  it("reach the newest results in one round where an even spread falls short and needs another", async () => {
    const req = parseSearch({ collections: ["steady", "declining"], limit: 20 }, { source: "body" });
    const records = await stack.catalogue.listCollections();
    const counts = await stack.catalogue.rowCounts(["steady", "declining"], []);
    const run = async (byQuarter: boolean) => {
      const plan = planSearch({
        interval: req.interval,
        limit: req.limit,
        collections: records.map((c) => {
          const all = counts.get(c.collection.id)!;
          const kept = Object.entries(all).filter(([k]) => byQuarter || !k.startsWith("n_t_"));
          const [from, to] = c.collection.extent!.temporal.interval[0]!;
          return {
            id: c.collection.id,
            maxDurationMs: c.maxDurationMs,
            levels: c.levels,
            rows: { counts: Object.fromEntries(kept), from: from!, to: to! },
          };
        }),
      });
      return executeSearch(stack.catalogue, {
        plan,
        interval: req.interval,
        collections: new Set(["steady", "declining"]),
        limit: req.limit,
      });
    };
    expect(
      Object.keys(counts.get("declining")!).filter((k) => k.startsWith("n_t_")).length,
    ).toBeGreaterThanOrEqual(12);
    const byQuarter = await run(true);
    const even = await run(false);
    console.log(
      `first pages, 20 newest of two collections: ${byQuarter.stats.rowsRead} rows read with quarter counts, ${even.stats.rowsRead} spread evenly (rounds ${byQuarter.stats.rounds}, ${even.stats.rounds})`,
    );
    expect(byQuarter.items.map((i) => i.id)).toEqual(even.items.map((i) => i.id));
    expect(byQuarter.items).toHaveLength(20);
    // One round of index reads and the batch read of the page.
    expect(byQuarter.stats.rounds).toBe(2);
    // Spread evenly, the declining collection is expected to hold as many recent items as the steady
    // one: the first round stops too recently and a second one reads further back.
    expect(even.stats.rounds).toBeGreaterThan(2);
  });
});
