import { describe, expect, it } from "vitest";
import { evaluateCql2, parseCql2Json, parseCql2Text } from "../../../shared/search/cql2/index.ts";
import type { Geometry } from "../../../shared/stac/types.ts";
import { makeItem } from "./item.ts";

const square = "POLYGON((0 0, 4 0, 4 4, 0 4, 0 0))";
const relate = (op: string, a: string, b: string) =>
  evaluateCql2(parseCql2Text(`${op}(${a}, ${b})`), makeItem());

// Each row: a, b, then the expected value of the eight predicates in this order.
const ops = [
  "S_INTERSECTS",
  "S_DISJOINT",
  "S_EQUALS",
  "S_TOUCHES",
  "S_WITHIN",
  "S_CONTAINS",
  "S_OVERLAPS",
  "S_CROSSES",
];
const rows: [string, string, string, string][] = [
  ["point inside", "POINT(1 1)", square, "T F F F T F F F"],
  ["point on edge", "POINT(4 2)", square, "T F F T F F F F"],
  ["point outside", "POINT(5 5)", square, "F T F F F F F F"],
  ["same point", "POINT(1 1)", "POINT(1 1)", "T F T F T T F F"],
  ["polygon inside", "POLYGON((1 1, 2 1, 2 2, 1 2, 1 1))", square, "T F F F T F F F"],
  ["same polygon, other start", "POLYGON((4 4, 0 4, 0 0, 4 0, 4 4))", square, "T F T F T T F F"],
  ["overlapping polygons", "POLYGON((2 2, 6 2, 6 6, 2 6, 2 2))", square, "T F F F F F T F"],
  ["polygons sharing an edge", "POLYGON((4 0, 8 0, 8 4, 4 4, 4 0))", square, "T F F T F F F F"],
  ["polygons sharing a corner", "POLYGON((4 4, 8 4, 8 8, 4 8, 4 4))", square, "T F F T F F F F"],
  [
    "star of David (no vertex inside)",
    "POLYGON((2 -1, 5 5, -1 5, 2 -1))",
    "POLYGON((-1 1, 5 1, 2 7, -1 1))",
    "T F F F F F T F",
  ],
  ["line crossing polygon", "LINESTRING(-1 2, 5 2)", square, "T F F F F F F T"],
  ["line inside polygon", "LINESTRING(1 1, 3 3)", square, "T F F F T F F F"],
  ["line along polygon edge", "LINESTRING(0 0, 4 0)", square, "T F F T F F F F"],
  ["line ending on edge from outside", "LINESTRING(-2 2, 0 2)", square, "T F F T F F F F"],
  ["crossing lines", "LINESTRING(0 0, 2 2)", "LINESTRING(0 2, 2 0)", "T F F F F F F T"],
  ["overlapping collinear lines", "LINESTRING(0 0, 2 0)", "LINESTRING(1 0, 3 0)", "T F F F F F T F"],
  ["lines meeting at endpoints", "LINESTRING(0 0, 1 0)", "LINESTRING(1 0, 1 1)", "T F F T F F F F"],
  ["polygon containing line", square, "LINESTRING(1 1, 3 3)", "T F F F F T F F"],
  ["multipoint partly inside", "MULTIPOINT((1 1), (9 9))", square, "T F F F F F F T"],
];

describe("spatial functions", () => {
  it.each(rows)("%s", (_name, a, b, expected) => {
    const actual = ops.map((op) => (relate(op, a, b) ? "T" : "F")).join(" ");
    expect(actual).toBe(expected);
  });

  it("excludes points in a polygon's hole", () => {
    const holed = "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (3 3, 7 3, 7 7, 3 7, 3 3))";
    expect(relate("S_INTERSECTS", "POINT(5 5)", holed)).toBe(false);
    expect(relate("S_INTERSECTS", "POINT(1 1)", holed)).toBe(true);
    expect(relate("S_WITHIN", "POLYGON((2 2, 8 2, 8 8, 2 8, 2 2))", holed)).toBe(false);
    expect(
      relate("S_CONTAINS", "POLYGON((2 2, 8 2, 8 8, 2 8, 2 2))", "POLYGON((4 4, 6 4, 6 6, 4 6, 4 4))"),
    ).toBe(true);
    expect(relate("S_TOUCHES", "POLYGON((3 3, 7 3, 7 7, 3 7, 3 3))", holed)).toBe(true);
  });

  it("handles an antimeridian-split MultiPolygon footprint exactly", () => {
    const footprint: Geometry = {
      type: "MultiPolygon",
      coordinates: [
        [
          [
            [178, -17],
            [180, -17],
            [180, -15],
            [178, -15],
            [178, -17],
          ],
        ],
        [
          [
            [-180, -17],
            [-178, -17],
            [-178, -15],
            [-180, -15],
            [-180, -17],
          ],
        ],
      ],
    };
    const fiji = makeItem({}, footprint);
    const matches = (f: string) => evaluateCql2(parseCql2Text(f), fiji);
    expect(matches("S_INTERSECTS(geometry, POINT(179.5 -16))")).toBe(true);
    expect(matches("S_INTERSECTS(geometry, POINT(-179.5 -16))")).toBe(true);
    // Its bounding box would contain this point; the footprint does not.
    expect(matches("S_INTERSECTS(geometry, POINT(0 -16))")).toBe(false);
    expect(matches("S_INTERSECTS(geometry, BBOX(179, -16.5, -179, -15.5))")).toBe(true);
    expect(matches("S_WITHIN(geometry, BBOX(170, -20, -170, -10))")).toBe(true);
    expect(matches("S_WITHIN(geometry, BBOX(179, -20, -170, -10))")).toBe(false);
    expect(matches("S_DISJOINT(geometry, POLYGON((-10 -20, 10 -20, 10 -10, -10 -10, -10 -20)))")).toBe(true);
  });

  it("accepts GeoJSON geometries in cql2-json", () => {
    const expr = parseCql2Json({
      op: "s_intersects",
      args: [
        { property: "geometry" },
        {
          type: "LineString",
          coordinates: [
            [9, 40.5],
            [12, 40.5],
          ],
        },
      ],
    });
    expect(evaluateCql2(expr, makeItem())).toBe(true);
    expect(evaluateCql2(expr, makeItem({}, null))).toBe(false);
  });

  it("works with GeometryCollections", () => {
    expect(relate("S_INTERSECTS", "GEOMETRYCOLLECTION(POINT(9 9), LINESTRING(-1 1, 1 1))", square)).toBe(
      true,
    );
    expect(relate("S_DISJOINT", "GEOMETRYCOLLECTION(POINT(9 9), POINT(8 8))", square)).toBe(true);
  });
});
