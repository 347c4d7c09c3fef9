// The row-count records' key layout, read back by the row-count store: a recount reads the count
// records of a collection's stats partition and must not take its tile footprints for counts.
import { describe, expect, it } from "vitest";
import {
  baseCellOfStatsKey,
  collectionOfStatsPartition,
  statsKey,
  statsRecordRange,
  tileFootprintKey,
} from "../../shared/index/keys.ts";

const within = (sk: string, [lo, hi]: [string, string]) => sk >= lo && sk <= hi;

describe("row-count record keys", () => {
  it("give back the collection and base cell they were built from", () => {
    for (const [collection, base] of [
      ["sentinel-2-l2a", "801ffff"],
      ["s1#odd:name", "8001fffffffffff"],
      ["c", ""],
    ] as const) {
      const k = statsKey(collection, base);
      expect(collectionOfStatsPartition(k.pk)).toBe(collection);
      expect(baseCellOfStatsKey(k.sk)).toBe(base);
    }
  });

  it("hold every count record of a partition and none of its tile footprints", () => {
    expect(within(statsKey("s2", "").sk, statsRecordRange)).toBe(true);
    expect(within(statsKey("s2", "80fffff").sk, statsRecordRange)).toBe(true);
    const footprint = tileFootprintKey("s2", "821fa7fffffffff", "33UVR");
    expect(footprint.pk).toBe(statsKey("s2", "").pk);
    expect(within(footprint.sk, statsRecordRange)).toBe(false);
  });
});
