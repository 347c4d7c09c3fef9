// The planner's choice and the key ranges it relies on: every spatial range is time-ordered and bounded.
import { describe, expect, it } from "vitest";
import { bboxToGeometry } from "../../shared/geo/normalize.ts";
import {
  cellRowKey,
  cellTimePrefix,
  datetimeOfSortKey,
  exactCellRange,
  groupRowKey,
  groupTimePrefix,
  levelOfRow,
  prefixedTimeRange,
} from "../../shared/index/keys.ts";
import { buildItemRows } from "../../shared/index/rows.ts";
import { planSearch } from "../../shared/search/planner.ts";
import type { StacItem } from "../../shared/stac/types.ts";

const collections = [{ id: "s2", maxDurationMs: 60_000 }];
const at = (from: string, to: string) => ({ from, to });
const T = "2024-01-01T00:00:00.000Z";

describe("key ranges", () => {
  it("keeps a cell's rows, its children's rows and its group rows in separate time-ordered ranges", () => {
    const own = cellRowKey("s2", "01234", T, "a");
    const child = cellRowKey("s2", "012345", T, "b");
    const group = groupRowKey("s2", "01234", T, "c");
    expect(own.pk).toBe(child.pk);
    const [lo, hi] = exactCellRange("01234", "2023-01-01T00:00:00.000Z", "2025-01-01T00:00:00.000Z");
    expect(own.sk >= lo && own.sk <= hi).toBe(true);
    expect(child.sk >= lo && child.sk <= hi).toBe(false);
    expect(group.sk >= lo && group.sk <= hi).toBe(false);
    const [glo, ghi] = prefixedTimeRange(groupTimePrefix("01234"), T, T);
    expect(group.sk >= glo && group.sk <= ghi).toBe(true);
    expect(datetimeOfSortKey(own.sk, cellTimePrefix("01234"))).toBe(T);
    expect(datetimeOfSortKey(group.sk, groupTimePrefix("01234"))).toBe(T);
    expect([levelOfRow(own), levelOfRow(child), levelOfRow(group)]).toEqual(["2", "3", "G"]);
  });

  it("indexes a Sentinel-2-sized tile by a few fine cells and group cells", () => {
    const item: StacItem = {
      type: "Feature",
      stac_version: "1.1.0",
      id: "t",
      collection: "s2",
      geometry: {
        type: "Polygon",
        coordinates: [
          [
            [14, 50],
            [15.5, 50],
            [15.5, 51],
            [14, 51],
            [14, 50],
          ],
        ],
      },
      properties: { datetime: T },
      links: [],
      assets: {},
    };
    const rows = buildItemRows(item, "v1").rows;
    const levels = rows.map(levelOfRow);
    expect(levels.filter((l) => l === "3").length).toBeGreaterThan(0);
    expect(levels.filter((l) => l === "G").length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(16);
  });
});

describe("planSearch", () => {
  it("reads a point over all time cell-first, one time-ordered range per level", () => {
    const plan = planSearch({
      geometry: { type: "Point", coordinates: [14.42, 50.08] },
      interval: at("0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z"),
      collections,
    });
    expect(plan.strategy).toBe("cells");
    expect(plan.queries.length).toBeLessThanOrEqual(6);
    expect(plan.queries.every((q) => q.order && q.range)).toBe(true);
  });

  it("skips levels a collection does not use", () => {
    const plan = planSearch({
      geometry: { type: "Point", coordinates: [14.42, 50.08] },
      interval: at("0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z"),
      collections: [{ ...collections[0]!, levels: ["3", "G"] }],
    });
    expect(plan.queries.length).toBe(1);
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
