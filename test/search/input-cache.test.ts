// The plan-input cache of an instance is bounded in entries and in age: a Lambda instance lives for
// hours and searches many areas.
import { describe, expect, it } from "vitest";
import { PlanInputCache } from "../../shared/search/plan/input-cache.ts";
import type { CollectionRecord } from "../../shared/storage/catalogue.ts";
import { testCollection } from "../support/collections.ts";

const record = (id: string): CollectionRecord => ({ collection: testCollection(id), maxDurationMs: 0 });

describe("the plan-input cache", () => {
  it("keeps at most maxEntries areas per kind, forgetting the oldest written", () => {
    const cache = new PlanInputCache({ maxEntries: 3, maxAgeMs: 60_000, now: () => 0 });
    for (let i = 0; i < 5; i++) cache.setRowCounts(new Map([["c", { n: i }]]), [`cell-${i}`]);
    expect(cache.entries).toBe(3);
    expect(cache.rowCounts("c", ["cell-0"])).toBeUndefined();
    expect(cache.rowCounts("c", ["cell-1"])).toBeUndefined();
    expect(cache.rowCounts("c", ["cell-4"])).toEqual({ n: 4 });
    // Cells in any order name one area.
    cache.setTileFootprints(new Map([["c", []]]), ["b", "a"]);
    expect(cache.tileFootprints("c", ["a", "b"])).toEqual([]);
  });

  it("does not plan from inputs older than maxAgeMs, but still prefetches for the collections listed last", () => {
    let now = 0;
    const cache = new PlanInputCache({ maxEntries: 10, maxAgeMs: 1_000, now: () => now });
    cache.setCollections([record("alpha")]);
    cache.setRowCounts(new Map([["alpha", { n: 1 }]]), ["x"]);
    now = 1_000;
    expect(cache.collections()?.map((c) => c.collection.id)).toEqual(["alpha"]);
    expect(cache.rowCounts("alpha", ["x"])).toEqual({ n: 1 });
    now = 1_001;
    expect(cache.collections()).toBeUndefined();
    expect(cache.rowCounts("alpha", ["x"])).toBeUndefined();
    expect(cache.lastListed()?.map((c) => c.collection.id)).toEqual(["alpha"]);
  });
});
