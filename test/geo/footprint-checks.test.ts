// The checks a footprint passes before it is indexed: plausible area, the product's centre inside, and
// the "left" reading for formats that fix the orientation.
import { describe, expect, it } from "vitest";
import { ProductError } from "../../shared/errors.ts";
import { containsPoint, footprint } from "../../shared/geo/footprint.ts";

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

describe("Landsat: the valid-data footprint holds the product grid's centre", () => {
  it("refuses an ANG file whose corners put the data away from the grid's centre", async () => {
    const { parseMtl } = await import("../../shared/products/landsat/mtl.ts");
    const { gridCentre, validDataCorners } = await import("../../shared/products/landsat/ang.ts");
    const mtl = parseMtl(
      new TextEncoder().encode(
        [
          "LANDSAT_PRODUCT_ID = X",
          "MAP_PROJECTION = UTM",
          "UTM_ZONE = 33",
          "GRID_CELL_SIZE_REFLECTIVE = 30",
          "CORNER_UL_PROJECTION_X_PRODUCT = 300000",
          "CORNER_UL_PROJECTION_Y_PRODUCT = 5600000",
          "CORNER_LR_PROJECTION_X_PRODUCT = 540000",
          "CORNER_LR_PROJECTION_Y_PRODUCT = 5360000",
        ].join("\n"),
      ),
      "x_MTL.txt",
    );
    const ang = (lines: number[], samps: number[]) =>
      `BAND01_L1T_IMAGE_CORNER_LINES = (${lines.join(", ")})\nBAND01_L1T_IMAGE_CORNER_SAMPS = (${samps.join(", ")})\n`;
    const centre = gridCentre(mtl);
    const good = validDataCorners(ang([0, 4000, 8000, 4000], [4000, 8000, 4000, 0]), mtl)!;
    expect(() => footprint(good, { centre })).not.toThrow();
    // Corner lines and samples swapped round into one quarter of the grid.
    const bad = validDataCorners(ang([0, 1000, 2000, 1000], [1000, 2000, 1000, 0]), mtl)!;
    expect(() => footprint(bad, { centre })).toThrow(/centre .* is outside the footprint/);
  });
});
