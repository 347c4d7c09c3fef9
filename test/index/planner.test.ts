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
  statOfRow,
} from "../../shared/index/keys.ts";
import { buildItemRows, itemCells } from "../../shared/index/rows.ts";
import { firstRound } from "../../shared/search/first-pages.ts";
import { planSearch } from "../../shared/search/plan/choose.ts";
import { tileQueries } from "../../shared/search/plan/tile-ranges.ts";
import type { PlannedQuery } from "../../shared/search/plan/types.ts";
import type { Geometry, StacItem } from "../../shared/stac/types.ts";

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
    const cover = itemCells(item.geometry!);
    expect(cover.cells.length).toBeGreaterThan(0);
    expect(cover.groups.length).toBeGreaterThan(0);
    expect(cover.cells.length + cover.groups.length).toBeLessThanOrEqual(16);
    // Naming no tile, it revisits its footprint's tile: one tile row instead of the fine cell rows.
    const levels = buildItemRows(item, "v1").rows.map(levelOfRow);
    expect(levels.filter((l) => l === "P")).toEqual(["P"]);
    expect(levels.filter((l) => l === "G").length).toBe(cover.groups.length);
    expect(levels).not.toContain("3");
  });
});

const itemWith = (coordinates: number[][]): StacItem => ({
  type: "Feature",
  stac_version: "1.1.0",
  id: "x",
  collection: "c",
  geometry: { type: "Polygon", coordinates: [coordinates as [number, number][]] },
  properties: { datetime: T },
  links: [],
  assets: {},
});
const levelsOf = (item: StacItem) =>
  buildItemRows(item, "v1")
    .rows.map(levelOfRow)
    .filter((l) => l !== undefined);

describe("item rows by footprint size", () => {
  it("covers a Sentinel-1-sized scene by the group cells of its res-2 cells only (medium)", () => {
    // ≈ 250 × 170 km at 50°N
    const item = itemWith([
      [13, 49.2],
      [16.5, 49.2],
      [16.5, 50.8],
      [13, 50.8],
      [13, 49.2],
    ]);
    const cover = itemCells(item.geometry!);
    expect(cover.medium).toBe(true);
    expect(cover.cells).toEqual([]);
    expect(cover.groups.length).toBeLessThanOrEqual(8);
    // Naming no orbit, the scene revisits its footprint's tile: a tile row and group rows (level G).
    const rows = buildItemRows(item, "v1").rows.slice(1);
    // And a base row per res-0 cell it touches (level B), for continental areas.
    expect(rows.map(levelOfRow)).toEqual([
      "P",
      ...cover.groups.map(() => "G"),
      ...cover.bases!.map(() => "B"),
    ]);
    expect(cover.bases).toEqual(["015"]);
    expect(rows.some((r) => r.level === "M")).toBe(false);
  });

  it("indexes an orbit-long strip by the base cells it touches, not the root", () => {
    const left = [];
    const right = [];
    for (let lat = -80; lat <= 80; lat += 10) {
      left.push([10 - lat * 0.15, lat]);
      right.push([30 - lat * 0.15, lat]);
    }
    const levels = levelsOf(itemWith([...left, ...right.reverse(), left[0]!]));
    expect(new Set(levels)).toEqual(new Set(["0"]));
    expect(levels.length).toBeGreaterThan(5);
    expect(levels.length).toBeLessThanOrEqual(40);
  });

  it("counts rows by level and cell of at most res 2, time rows apart", () => {
    const rows = buildItemRows(
      itemWith([
        [14, 50],
        [14.5, 50],
        [14.5, 50.4],
        [14, 50.4],
        [14, 50],
      ]),
      "v1",
    ).rows;
    const stats = rows.map(statOfRow);
    expect(stats[0]).toEqual({ name: "n_T", base: "" });
    for (const st of stats.slice(1)) expect(st!.name).toMatch(/^n_(P|G_\d{5}|B_\d{3})$/);
    expect(stats.filter((st) => st!.name.startsWith("n_B_"))).toEqual([{ name: "n_B_015", base: "015" }]);
  });
});

describe("first pages from estimates", () => {
  const q = (rows: number, hitRate: number, from = 0, to = 1_000_000): PlannedQuery => ({
    pk: "p",
    estimate: { rows, from, to, hitRate },
  });
  it("reads ranges whole when fewer matches are expected than wanted", () => {
    const round = firstRound([q(10, 0.5), q(4, 1)], 11)!;
    expect(round.horizon).toBeUndefined();
    expect(round.limits[0]).toBeGreaterThanOrEqual(10);
    expect(round.limits[1]).toBeGreaterThanOrEqual(4);
  });
  it("shares a common horizon: a denser stream reads proportionally more", () => {
    const [a, b] = firstRound([q(10_000, 0.5), q(1_000, 0.5)], 11)!.expected;
    expect(a! / b!).toBeCloseTo(10, 6);
    // Expected matches read ≈ margin × wanted, not the whole ranges.
    expect((a! + b!) * 0.5).toBeLessThan(11 * 2);
  });
  it("needs an estimate for every query", () => {
    expect(firstRound([q(10, 1), { pk: "p" }], 11)).toBeUndefined();
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

  it("reads res-2 cell rows in the group plan too (medium items have no group rows)", () => {
    const plan = planSearch({
      geometry: bboxToGeometry([12.1, 48.6, 18.8, 51]),
      interval: at("2023-01-01T00:00:00.000Z", "2023-12-31T23:59:59.999Z"),
      collections: [{ ...collections[0]!, levels: ["2", "3", "G"] }],
    });
    expect(plan.strategy).toBe("cells");
    const sks = plan.queries.map((q) => q.range![0]);
    expect(sks.some((k) => /^\d{5}~/.test(k))).toBe(true);
    expect(sks.some((k) => /^\d{5}\^/.test(k))).toBe(true);
  });

  it("reads group ranges in the fine plan for collections with medium items", () => {
    const point: Geometry = { type: "Point", coordinates: [14.42, 50.08] };
    const all = at("0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z");
    const fineOnly = planSearch({
      geometry: point,
      interval: all,
      collections: [{ ...collections[0]!, levels: ["3", "G"] }],
    });
    const withMedium = planSearch({
      geometry: point,
      interval: all,
      collections: [{ ...collections[0]!, levels: ["3", "G", "M"] }],
    });
    expect(fineOnly.queries.some((q) => q.range![0].includes("^"))).toBe(false);
    expect(withMedium.queries.some((q) => q.range![0].includes("^"))).toBe(true);
  });

  it("attaches row estimates when row counts are given", () => {
    const plan = planSearch({
      geometry: { type: "Point", coordinates: [14.42, 50.08] },
      interval: at("2020-01-01T00:00:00.000Z", "2020-12-31T23:59:59.999Z"),
      limit: 10,
      collections: [
        {
          ...collections[0]!,
          levels: ["3", "G"],
          rows: {
            counts: { n_T: 1000, n_3_04751: 700, n_G_04751: 300 },
            from: "2016-01-01T00:00:00.000Z",
            to: "2026-01-01T00:00:00.000Z",
          },
        },
      ],
    });
    expect(plan.queries.every((q) => q.estimate && q.estimate.hitRate > 0 && q.estimate.hitRate <= 1)).toBe(
      true,
    );
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

describe("tile ranges' hit rates", () => {
  const rows = { counts: { n_T: 1000 }, from: "2020-01-01T00:00:00.000Z", to: "2024-12-31T23:59:59.000Z" };
  const point: Geometry = { type: "Point", coordinates: [14.5, 50.5] };
  const hitRate = (tile: string, bbox: [number, number, number, number]) => {
    const c = { id: "c", maxDurationMs: 0, levels: ["P"], rows, tiles: [{ tile, bbox, items: 100 }] };
    const [q] = tileQueries(c, point, rows.from, rows.to, at(rows.from, rows.to), 0, undefined);
    return q!.estimate!.hitRate;
  };
  it("are lower for a footprint tile whose box holds more than one footprint of its class", () => {
    // Class 6: footprints up to 16,384 km² (a Sentinel-2 tile); boxes of one tile and of two side by side.
    const one: [number, number, number, number] = [14, 50, 15.5, 51];
    const two: [number, number, number, number] = [14, 50, 17, 51];
    expect(hitRate("FP6-0310123", one)).toBeCloseTo(hitRate("MGRS-33UVR", one));
    expect(hitRate("FP6-0310123", two)).toBeLessThan(0.75 * hitRate("MGRS-33UVR", two));
    expect(hitRate("MGRS-33UVR", two)).toBeCloseTo(0.85);
  });
});

describe("base plans' request budget", () => {
  it("serves a polar cap by base ranges for four collections holding every size of item", () => {
    // The bench's `uniform` shape: every collection has strips (res-0 cell rows) and smaller items (base
    // rows) in each of the cap's 4 res-0 cells: 4 × (4 + 4) = 32 ranges, over the 30 of a cell plan.
    const cap = bboxToGeometry([-180, 80, 180, 90]);
    const base = ["000", "001", "002", "003"];
    const counts: Record<string, number> = { n_T: 10_000 };
    for (const b of base) {
      counts[`n_B_${b}`] = 100;
      counts[`n_0_${b}`] = 10;
      for (let d = 0; d < 7; d++) {
        counts[`n_1_${b}${d}`] = 8;
        for (let e = 0; e < 7; e++) counts[`n_G_${b}${d}${e}`] = 2;
      }
    }
    const uniform = ["a", "b", "c", "d"].map((id) => ({
      id,
      maxDurationMs: 86_400_000,
      levels: ["P", "G", "1", "0", "B"],
      indexFeatures: 3,
      rows: {
        counts,
        from: "2016-01-01T00:00:00.000Z",
        to: "2026-01-01T00:00:00.000Z",
        counted: new Set(base),
      },
    }));
    const plan = planSearch({
      geometry: cap,
      interval: at("2024-05-01T00:00:00.000Z", "2024-05-31T23:59:59.999Z"),
      collections: uniform,
      limit: 10,
    });
    // No collection reads its time rows (10,000 items, of which the cap holds a few).
    expect(plan.strategy).toBe("cells");
    expect(plan.queries.length).toBe(32);
  });
});
