// The planner's choice and the key ranges it relies on: time-ordered ranges, strict-descendant ranges.
import { describe, expect, it } from "vitest";
import { bboxToGeometry } from "../../shared/geo/normalize.ts";
import {
  datetimeOfSortKey,
  exactCellRange,
  spatialRowKey,
  strictDescendantRange,
} from "../../shared/index/keys.ts";
import { planSearch } from "../../shared/search/planner.ts";

const collections = [{ id: "s2", maxDurationMs: 60_000 }];
const at = (from: string, to: string) => ({ from, to });

describe("key ranges", () => {
  it("separates a cell's own rows (time-ordered) from its descendants' rows", () => {
    const own = spatialRowKey("01234", "2024-01-01T00:00:00.000Z", "s2", "a").sk;
    const child = spatialRowKey("012345", "2024-01-01T00:00:00.000Z", "s2", "b").sk;
    const [lo, hi] = strictDescendantRange("01234");
    expect(child >= lo && child <= hi).toBe(true);
    expect(own >= lo && own <= hi).toBe(false);
    const [elo, ehi] = exactCellRange("01234", "2023-01-01T00:00:00.000Z", "2025-01-01T00:00:00.000Z");
    expect(own >= elo && own <= ehi).toBe(true);
    expect(datetimeOfSortKey(own, "01234~")).toBe("2024-01-01T00:00:00.000Z");
  });
});

describe("planSearch", () => {
  it("reads a point over all time cell-first, every stream but finer cells in time order", () => {
    const plan = planSearch({
      geometry: { type: "Point", coordinates: [14.42, 50.08] },
      interval: at("0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z"),
      collections,
    });
    expect(plan.strategy).toBe("cells");
    expect(plan.queries.length).toBeLessThanOrEqual(12);
    expect(plan.queries.every((q) => q.order)).toBe(true);
  });

  it("reads the whole globe for one hour time-first", () => {
    const plan = planSearch({
      geometry: bboxToGeometry([-180, -90, 180, 90]),
      interval: at("2024-03-14T10:00:00.000Z", "2024-03-14T10:59:59.999Z"),
      collections,
    });
    expect(plan.strategy).toBe("time");
  });

  it("keeps a small area within the request budget", () => {
    const plan = planSearch({
      geometry: bboxToGeometry([16.25, 49.0, 16.95, 49.45]),
      interval: at("2024-06-01T00:00:00.000Z", "2024-06-30T23:59:59.999Z"),
      collections,
    });
    expect(plan.strategy).toBe("cells");
    expect(plan.queries.length).toBeLessThanOrEqual(30);
  });
});
