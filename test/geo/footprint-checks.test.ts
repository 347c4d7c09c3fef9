// The checks a footprint passes before it is indexed: plausible area, the product's centre inside, and
// the "left" reading for formats that fix the orientation.
import { describe, expect, it } from "vitest";
import { containsPoint, footprint } from "../../shared/geo/footprint.ts";
import { ProductError } from "../../shared/http/errors.ts";

const square: [number, number][] = [
  [10, 10],
  [11, 10],
  [11, 11],
  [10, 11],
];

describe("footprint checks", () => {
  it("refuses an area outside the plausible range for the product type, naming both", () => {
    expect(() => footprint(square, { areaKm2: [20_000, 80_000], label: "scene" })).toThrow(
      /scene: area 12\d{3} km² is outside the plausible 20000–80000 km²/,
    );
    expect(footprint(square, { areaKm2: [10_000, 15_000] }).areaKm2).toBeGreaterThan(12_000);
  });

  it("refuses a footprint that does not hold the product's centre", () => {
    expect(() => footprint(square, { centre: [12, 10.5] })).toThrow(ProductError);
    expect(() => footprint(square, { centre: [10.5, 10.5] })).not.toThrow();
  });

  it("reads a ring as written when the format says its left side is inside", () => {
    const clockwise = [...square].reverse();
    const smaller = footprint(clockwise);
    expect(containsPoint(smaller.geometry, [10.5, 10.5])).toBe(true);
    const left = footprint(clockwise, { encloses: "left" });
    expect(containsPoint(left.geometry, [10.5, 10.5])).toBe(false);
    expect(containsPoint(left.geometry, [100, -40])).toBe(true);
    expect(left.areaKm2).toBeGreaterThan(500_000_000);
  });
});
