// The fast res-0 cover (shared/index/base-cells.ts) answers exactly as h3's cover does wherever it
// answers, on the bench's three catalogue shapes and on random footprints of every size up to 5°.
import { describe, expect, it } from "vitest";
import { generateItem, SHAPES } from "../../dev/bench/generate.ts";
import { normalizeGeometry } from "../../shared/geo/normalize.ts";
import { baseCellsOf, soleBaseCell } from "../../shared/index/base-cells.ts";
import { coverCells } from "../../shared/index/cells.ts";
import type { Geometry } from "../../shared/stac/types.ts";

function randomPolygon(next: () => number): Geometry {
  const lat = (next() * 2 - 1) * 72;
  const lon = (next() * 2 - 1) * 180;
  const r = next() * 2.5;
  const k = 4 + Math.floor(next() * 6);
  const ring = Array.from({ length: k }, (_, j) => {
    const a = (j / k) * 2 * Math.PI;
    return [lon + (r * Math.cos(a)) / Math.cos((lat * Math.PI) / 180), lat + r * Math.sin(a)];
  });
  return normalizeGeometry({ type: "Polygon", coordinates: [[...ring, ring[0]!]] } as Geometry);
}

describe("base cells of a footprint", () => {
  it("equal h3's overlapping res-0 cover on generated catalogues, mostly without it", () => {
    let fast = 0;
    let n = 0;
    for (const shape of SHAPES)
      for (let i = 0; i < 200; i++) {
        const g = generateItem(5, i, shape).item.geometry;
        if (!g) continue;
        const norm = normalizeGeometry(g);
        n++;
        if (soleBaseCell(norm)) fast++;
        expect([...baseCellsOf(norm)].sort()).toEqual([...coverCells(norm, 0)].sort());
      }
    // Sentinel-2-like tiles away from base-cell edges take the fast path: it must be used to matter.
    expect(fast / n).toBeGreaterThan(0.25);
  });

  it("equal h3's cover on random footprints wherever the fast path answers", () => {
    let seed = 3;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    let fast = 0;
    for (let i = 0; i < 1500; i++) {
      const g = randomPolygon(next);
      const sole = soleBaseCell(g);
      if (!sole) continue;
      fast++;
      expect([...coverCells(g, 0)]).toEqual([sole]);
    }
    expect(fast).toBeGreaterThan(500);
  });

  it("leaves polar, large and non-polygon footprints to h3", () => {
    const box = (w: number, s: number, e: number, n: number): Geometry => ({
      type: "Polygon",
      coordinates: [
        [
          [w, s],
          [e, s],
          [e, n],
          [w, n],
          [w, s],
        ],
      ],
    });
    expect(soleBaseCell(box(10, 80, 12, 81))).toBeUndefined();
    expect(soleBaseCell(box(0, 0, 20, 20))).toBeUndefined();
    expect(soleBaseCell({ type: "Point", coordinates: [10, 45] } as Geometry)).toBeUndefined();
  });
});
