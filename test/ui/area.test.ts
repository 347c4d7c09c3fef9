// Search areas typed or pasted on the search page (WKT, GeoJSON), the packaged country outlines, and
// drawn polygons: the messages for what is wrong, and the normal form the API accepts unchanged.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { MultiPolygon } from "geojson";
import type { Topology } from "topojson-specification";
import { describe, expect, it } from "vitest";
import { normalizeGeometry } from "../../shared/geo/normalize.ts";
import { parseGeometry } from "../../shared/search/geojson.ts";
import type { Geometry } from "../../shared/stac/types.ts";
import { displayArea, normalArea, parseAreaText, positionCount, simplifyArea } from "../../web/src/area.ts";
import { countriesOf } from "../../web/src/countries.ts";
import { parseWkt, toWkt } from "../../web/src/wkt.ts";

const topo = JSON.parse(
  readFileSync(fileURLToPath(import.meta.resolve("world-atlas/countries-110m.json")), "utf8"),
) as Topology;

/** What the API makes of the area: it must take it as it is (valid, already in its normal form). */
const asApi = (a: MultiPolygon) => normalizeGeometry(parseGeometry(a as unknown as Geometry));
const lngs = (a: MultiPolygon) => a.coordinates.flat(2).map((p) => p[0]!);

describe("parseAreaText", () => {
  it("reads WKT polygons and multipolygons, with SRID and Z", () => {
    expect(parseAreaText("POLYGON((10 40, 20 40, 20 55, 10 55, 10 40))").coordinates).toEqual([
      [
        [
          [10, 40],
          [20, 40],
          [20, 55],
          [10, 55],
          [10, 40],
        ],
      ],
    ]);
    const multi = parseAreaText(
      "SRID=4326;MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5),(5.1 5.1,5.2 5.1,5.2 5.2,5.1 5.1)))",
    );
    expect(multi.coordinates).toHaveLength(2);
    expect(multi.coordinates[1]).toHaveLength(2);
    expect(parseAreaText("polygon z ((0 0 1, 1 0 1, 1 1 1, 0 0 1))").coordinates[0]![0]![1]).toEqual([1, 0]);
  });

  it("reads GeoJSON geometries, Features and FeatureCollections", () => {
    const poly = {
      type: "Polygon",
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0],
        ],
      ],
    };
    expect(parseAreaText(JSON.stringify(poly)).coordinates).toHaveLength(1);
    expect(
      parseAreaText(JSON.stringify({ type: "Feature", properties: {}, geometry: poly })).coordinates,
    ).toHaveLength(1);
    const fc = {
      type: "FeatureCollection",
      features: [
        { type: "Feature", geometry: poly },
        { type: "Feature", geometry: poly },
      ],
    };
    expect(parseAreaText(JSON.stringify(fc)).coordinates).toHaveLength(2);
  });

  it.each([
    ["POLYGON((0 0, 1 0, 1 1, 0 1))", "polygon 1, ring 1 is not closed: it starts at 0 0 and ends at 0 1"],
    [
      "POLYGON((0 0, 1, 1 1, 0 0))",
      "polygon 1, ring 1, point 2: 1 number; a point is longitude and latitude",
    ],
    ["POLYGON((0 0 1 0 1 1 0 0))", "point 1: 8 numbers where one point has 2; separate points with commas"],
    ["POLYGON((0 0, 1 95, 1 1, 0 0))", "point 2: latitude 95 is outside -90..90"],
    ["POLYGON((0 0, 1 0, 0 0))", "3 points; a ring needs at least 4"],
    ["POLYGON((0 0, 1 0, 1 1, 0 0)", "a ')' is missing at the end"],
    ["POLYGON(0 0, 1 0, 1 1, 0 0)", "POLYGON needs two levels of parentheses"],
    ["POLYGON((0 0, 1 x, 1 1, 0 0))", "'x' is not a number"],
    ["LINESTRING(0 0, 1 1)", "a LINESTRING has no area"],
    ["hello", "HELLO is not an area"],
    ['{"type":"Point","coordinates":[0,0]}', "is a Point, which has no area"],
    ['{"type":"Polygon",', "not valid JSON"],
  ])("says what is wrong with %s", (text, message) => {
    expect(() => parseAreaText(text)).toThrow(message);
  });
});

describe("normalArea", () => {
  it("splits a polygon across 180° (given with the jump, as the API reads it) as the API does", () => {
    const a = parseAreaText("POLYGON((179 -18, -179 -18, -179 -16, 179 -16, 179 -18))");
    expect(a.coordinates).toHaveLength(2);
    expect(asApi(a)).toEqual(a);
    expect(Math.max(...lngs(a))).toBe(180);
    expect(Math.min(...lngs(a))).toBe(-180);
  });

  it("splits a polygon drawn on the plane past 180°, and joins it again for the map", () => {
    const a = normalArea([
      [
        [
          [170, 0],
          [190, 0],
          [190, 10],
          [170, 10],
          [170, 0],
        ],
      ],
    ]);
    expect(a.coordinates).toHaveLength(2);
    expect(asApi(a)).toEqual(a);
    const shown = lngs(displayArea(a));
    expect([Math.min(...shown), Math.max(...shown)]).toEqual([170, 190]);
  });

  it("takes pasted longitudes past ±180° as on the plane", () => {
    const a = parseAreaText("POLYGON((170 0, 190 0, 190 10, 170 10, 170 0))");
    expect(a.coordinates).toHaveLength(2);
    expect(asApi(a)).toEqual(a);
  });

  it("keeps an edge wider than 180° the way it was drawn, not the short way round", () => {
    const a = normalArea(
      [
        [
          [
            [-100, 0],
            [100, 0],
            [100, 10],
            [-100, 10],
            [-100, 0],
          ],
        ],
      ],
      { planar: true },
    );
    expect(a.coordinates).toHaveLength(1);
    expect(asApi(a)).toEqual(a);
    // Without the extra vertices the API would read -100 → 100 as crossing 180° (the other 160°).
    const ring = a.coordinates[0]![0]!;
    const steps = ring.slice(1).map((p, i) => Math.abs(p[0]! - ring[i]![0]!));
    expect(Math.max(...steps)).toBeLessThanOrEqual(90);
  });
});

describe("countries", () => {
  const countries = countriesOf(topo);
  it("has every named country, each in the form the API takes as it is", () => {
    expect(countries.length).toBeGreaterThan(170);
    for (const c of countries) {
      expect(positionCount(c.area), c.name).toBeLessThan(10_000);
      expect(asApi(c.area), c.name).toEqual(c.area);
    }
  });

  it("splits Russia and Fiji at 180°, and closes Antarctica through the pole", () => {
    for (const name of ["Russia", "Fiji"]) {
      const xs = lngs(countries.find((c) => c.name === name)!.area);
      expect([Math.min(...xs), Math.max(...xs)], name).toEqual([-180, 180]);
    }
    const fiji = countries.find((c) => c.name === "Fiji")!.area;
    // On the map, Fiji is one group of islands near 180°, not two at both edges of the world.
    const shown = lngs(displayArea(fiji));
    expect(Math.max(...shown) - Math.min(...shown)).toBeLessThan(5);
    const antarctica = countries.find((c) => c.name === "Antarctica")!.area;
    expect(antarctica.coordinates.flat(2).some((p) => p[1] === -90)).toBe(true);
  });
});

describe("the URL form", () => {
  it("round-trips through WKT and simplifies a large area under the URL's budget", () => {
    const canada = countriesOf(topo).find((c) => c.name === "Canada")!.area;
    expect(positionCount(canada)).toBeGreaterThan(250);
    const small = simplifyArea(canada, 250);
    expect(positionCount(small)).toBeLessThanOrEqual(250);
    expect(asApi(small)).toEqual(small);
    const back = parseWkt(toWkt(small.coordinates)).polygons;
    expect(back).toHaveLength(small.coordinates.length);
  });
});
