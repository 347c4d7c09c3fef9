// The cover cache of shared/index/rows.ts stays within its character budget however many footprints
// a load streams through it, and keeps the recently used ones.
import { describe, expect, it } from "vitest";
import { COVER_CACHE_CHARS, coverCacheUse, itemCells } from "../../shared/index/rows.ts";
import type { Geometry } from "../../shared/stac/types.ts";

/** A small square near (lon, lat) with `n` vertices per edge: a long cache key for a cheap cover. */
function square(lon: number, lat: number, n: number): Geometry {
  const d = 0.05;
  const edge = (x0: number, y0: number, x1: number, y1: number) =>
    Array.from({ length: n }, (_, k) => [x0 + ((x1 - x0) * k) / n, y0 + ((y1 - y0) * k) / n]);
  const ring = [
    ...edge(lon, lat, lon + d, lat),
    ...edge(lon + d, lat, lon + d, lat + d),
    ...edge(lon + d, lat + d, lon, lat + d),
    ...edge(lon, lat + d, lon, lat),
    [lon, lat],
  ];
  return { type: "Polygon", coordinates: [ring] } as Geometry;
}

describe("cover cache", () => {
  it("holds at most its budget of characters, dropping the least recently used covers", () => {
    // ≈ 9,000 characters per key: 700 footprints are over 6 M characters, past the budget.
    const footprints = Array.from({ length: 700 }, (_, i) =>
      square(10 + (i % 100) * 0.1, 40 + Math.floor(i / 100) * 0.1, 120),
    );
    const first = itemCells(footprints[0]!);
    const second = itemCells(footprints[1]!);
    let peak = 0;
    for (const [i, g] of footprints.entries()) {
      itemCells(g);
      // The first footprint, used again and again, stays cached: the same object comes back.
      if (i % 50 === 0) expect(itemCells(footprints[0]!)).toBe(first);
      peak = Math.max(peak, coverCacheUse().chars);
    }
    expect(peak).toBeLessThanOrEqual(COVER_CACHE_CHARS);
    expect(coverCacheUse().entries).toBeLessThan(footprints.length);
    // The second, not used since, was dropped: computed again, equal to the first computation.
    const again = itemCells(footprints[1]!);
    expect(again).not.toBe(second);
    expect(again).toEqual(second);
  });
});
