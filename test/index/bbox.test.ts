// Boxes of tile footprints: unions and containment on the longitude circle, across the antimeridian.
import { describe, expect, it } from "vitest";
import { bboxContains, bboxUnion } from "../../shared/geo/bbox.ts";
import type { BBox } from "../../shared/stac/types.ts";

describe("bboxUnion", () => {
  it("joins plain boxes into the box around both", () => {
    expect(bboxUnion([10, 40, 12, 41], [11, 39, 14, 40.5])).toEqual([10, 39, 14, 41]);
    expect(bboxUnion(undefined, [1, 2, 3, 4])).toEqual([1, 2, 3, 4]);
  });

  it("goes across the antimeridian when that is the narrower way round", () => {
    // 179.5…180 and -180…-179.5: one degree across 180°, not 359 degrees across 0°.
    expect(bboxUnion([179.5, -18, 180, -17], [-180, -18, -179.5, -17])).toEqual([179.5, -18, -179.5, -17]);
    expect(bboxUnion([178, -18, 179, -17], [-179, -16, -178, -15])).toEqual([178, -18, -178, -15]);
    // A crossing box widened on either side.
    expect(bboxUnion([179, 0, -179, 1], [-178.5, 0, -178, 1])).toEqual([179, 0, -178, 1]);
    expect(bboxUnion([179, 0, -179, 1], [170, 0, 171, 1])).toEqual([170, 0, -179, 1]);
  });

  it("stays on the Greenwich side when that is narrower", () => {
    expect(bboxUnion([-60, 0, -50, 1], [50, 0, 60, 1])).toEqual([-60, 0, 60, 1]);
    // 200° across 0°, 180° across 180°.
    expect(bboxUnion([-100, 0, -90, 1], [90, 0, 100, 1])).toEqual([90, 0, -90, 1]);
  });

  it("becomes the whole circle when nothing narrower holds both", () => {
    expect(bboxUnion([-180, 80, 180, 90], [10, 70, 11, 71])).toEqual([-180, 70, 180, 90]);
    expect(bboxUnion([0, 0, 170, 1], [160, 0, 10, 1])).toEqual([-180, 0, 180, 1]);
    // Two gaps, of 20° and 5°: the arc leaves out the larger.
    expect(bboxUnion([0, 0, 170, 1], [-170, 0, -5, 1])).toEqual([-170, 0, 170, 1]);
  });

  it("holds both boxes, whatever they are", () => {
    const boxes: BBox[] = [
      [10, 0, 20, 1],
      [170, 0, -170, 1],
      [-180, 0, 180, 1],
      [-20, 0, 160, 1],
      [179.9, 0, 180, 1],
      [-180, 0, -179.9, 1],
      [100, 0, -100, 1],
    ];
    for (const a of boxes)
      for (const b of boxes) {
        const u = bboxUnion(a, b);
        expect(bboxContains(u, a), `${a} in ${u}`).toBe(true);
        expect(bboxContains(u, b), `${b} in ${u}`).toBe(true);
      }
  });
});

describe("bboxContains", () => {
  it("compares longitudes as arcs", () => {
    expect(bboxContains([170, -1, -170, 1], [175, 0, -175, 0.5])).toBe(true);
    expect(bboxContains([170, -1, -170, 1], [-175, 0, -172, 0.5])).toBe(true);
    expect(bboxContains([170, -1, -170, 1], [160, 0, 175, 0.5])).toBe(false);
    expect(bboxContains([10, 0, 20, 1], [175, 0, -175, 0.5])).toBe(false);
    expect(bboxContains([-180, 0, 180, 1], [175, 0, -175, 0.5])).toBe(true);
    expect(bboxContains([0, 0, 359.99 - 180, 1], [-180, 0, 180, 1])).toBe(false);
  });

  it("compares latitudes", () => {
    expect(bboxContains([10, 0, 20, 1], [12, 0.5, 13, 1.5])).toBe(false);
  });
});
