// The checks a footprint passes before it is indexed: plausible area, the product's centre inside, and
// the "left" reading for formats that fix the orientation.
import { describe, expect, it } from "vitest";
import { ProductError } from "../../shared/errors.ts";
import { boxFootprint, containsPoint, footprint } from "../../shared/geo/footprint.ts";
import { geometryProblems } from "../../shared/geo/validity.ts";
import { cellBounds } from "../../shared/products/sentinel-5p/grid-extent.ts";

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

describe("grid footprints (gridded products: the box of the grid's cells)", () => {
  it("a box across the antimeridian is cut there; its area is the sphere's", () => {
    const fp = boxFootprint([170, -10, -170, 10], { centre: [180, 0] });
    expect(fp.geometry.type).toBe("MultiPolygon");
    expect(fp.bbox).toEqual([170, -10, -170, 10]);
    expect(geometryProblems(fp.geometry)).toEqual([]);
    // R² · Δλ · (sin 10° − sin −10°) for 20° of longitude.
    const expected = 6371.0088 ** 2 * ((20 * Math.PI) / 180) * 2 * Math.sin((10 * Math.PI) / 180);
    expect(fp.areaKm2).toBeCloseTo(expected, -2);
    expect(containsPoint(fp.geometry, [-175, 5])).toBe(true);
    expect(containsPoint(fp.geometry, [0, 5])).toBe(false);
  });

  it("a grid all round the globe is one valid polygon from -180 to 180", () => {
    // O3_TCL's grid: 80 latitudes every 0.5° from -19.75, 360 longitudes every 1° from -179.5.
    const lat = Array.from({ length: 80 }, (_, i) => -19.75 + i * 0.5);
    const lon = Array.from({ length: 360 }, (_, i) => -179.5 + i);
    const fp = boxFootprint(cellBounds(lat, lon));
    expect(fp.bbox).toEqual([-180, -20, 180, 20]);
    expect(geometryProblems(fp.geometry)).toEqual([]);
    for (const p of [
      [0, 0],
      [179.9, 19],
      [-179.9, -19],
    ] as [number, number][])
      expect(containsPoint(fp.geometry, p)).toBe(true);
    expect(containsPoint(fp.geometry, [0, 21])).toBe(false);
  });

  it("a grid written 0..360 crosses the antimeridian where it passes 180", () => {
    expect(cellBounds([40, 50], [160, 170, 180, 190, 200])).toEqual([155, 35, -155, 55]);
  });

  it("refuses bounds out of range or empty, and an implausible area", () => {
    expect(() => boxFootprint([0, 10, 10, 10])).toThrow(/empty/);
    expect(() => boxFootprint([0, -95, 10, 10])).toThrow(/out of range/);
    expect(() => boxFootprint([0, 0, 1, 1], { areaKm2: [1e6, 1e9], label: "grid" })).toThrow(
      /grid: area \d+ km² is outside/,
    );
  });
});
