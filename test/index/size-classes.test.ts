// Which rows an item's footprint gets by its size (rows.ts ITEM_INDEX): boxes of ≈ 400–1,000 km get
// res-2 cell rows (level 2) and boxes up to 30 res-1 cells res-1 rows, while the Copernicus classes
// keep theirs (a Sentinel-3 swath touches 22–39 res-2 cells: res-1 rows; a Sentinel-5P strip ≥ 98
// res-1 cells: res-0 rows), so their catalogues write what they did.
import { describe, expect, it } from "vitest";
import { levelOfRow } from "../../shared/index/keys.ts";
import { buildItemRows, ITEM_INDEX_BEFORE_LARGE, type ItemIndex } from "../../shared/index/rows.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { footprint } from "../support/random-items.ts";

const item = (lon: number, lat: number, wKm: number, hKm: number): StacItem => ({
  type: "Feature",
  stac_version: "1.1.0",
  id: "x",
  collection: "c",
  geometry: footprint(lon, lat, wKm / (111 * Math.cos((lat * Math.PI) / 180)), hKm / 111),
  properties: { datetime: "2024-01-01T00:00:00Z" },
  links: [],
  assets: {},
});

function levels(it: StacItem, index?: ItemIndex): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of buildItemRows(it, "v1", index).rows) {
    const l = r.level ?? levelOfRow(r) ?? "T";
    out[l] = (out[l] ?? 0) + 1;
  }
  return out;
}

describe("size classes", () => {
  it("give a box of 700 km res-2 cell rows and base rows, where it had res-1 rows", () => {
    const box = item(14, 50, 700, 700);
    const now = levels(box);
    expect(now["2"]).toBeGreaterThan(8);
    expect(now["2"]).toBeLessThanOrEqual(16);
    expect(now["1"]).toBeUndefined();
    expect(now["B"]).toBeGreaterThanOrEqual(1);
    expect(levels(box, ITEM_INDEX_BEFORE_LARGE)["1"]).toBeGreaterThan(0);
  });

  it("give a box of 2,800 km res-1 rows and base rows, where it was a strip", () => {
    const box = item(20, 10, 2_800, 2_800);
    const now = levels(box);
    expect(now["1"]).toBeGreaterThan(12);
    expect(now["1"]).toBeLessThanOrEqual(30);
    expect(now["B"]).toBeGreaterThanOrEqual(1);
    expect(levels(box, ITEM_INDEX_BEFORE_LARGE)["0"]).toBeGreaterThan(0);
  });

  it("keep a Sentinel-3-like swath's res-1 rows and a Sentinel-5P-like strip's res-0 rows", () => {
    // A swath of 1,270 × 1,200 km, a strip 2,600 km wide from 80° S to 80° N.
    for (const [it, level] of [
      [item(10, 45, 1_270, 1_200), "1"],
      [item(10, 0, 2_600, 17_700), "0"],
    ] as const) {
      expect(levels(it)).toEqual(levels(it, ITEM_INDEX_BEFORE_LARGE));
      expect(levels(it)[level]).toBeGreaterThan(0);
    }
  });
});
