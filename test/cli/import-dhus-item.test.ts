// ESA's recorded DHuS OData answers made STAC items by `hexarchive import --from-dhus`: the Sentinel-3
// product across the antimeridian split there, read alike from its WKT ("JTS footprint") and from its
// GML alone; times, platform, size and MD5; footprints that do not parse say why.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { dhusCollection, dhusItem, odataDate } from "../../cli/commands/import-sources/dhus-item.ts";
import { gmlFootprint, wktFootprint } from "../../cli/commands/import-sources/footprint.ts";
import { geometryProblems } from "../../shared/geo/validity.ts";

const DIR = resolve(
  import.meta.dirname,
  "../../../shared/fixtures/api-responses/dhus-sentinelsat-GPL3/extracted",
);
const read = (f: string) => JSON.parse(readFileSync(join(DIR, f), "utf8")).d;
const full = read("dhus-odata-product_full-attributes.json");
const short = read("dhus-odata-product_short.json");
const BASE = "https://apihub.copernicus.eu/apihub";

describe("a DHuS product as a STAC item", () => {
  it("splits the Sentinel-3 footprint at the antimeridian, the same from WKT and from GML", () => {
    const fromWkt = dhusItem(full, { base: BASE });
    const fromGml = dhusItem(short, { base: BASE });
    for (const item of [fromWkt, fromGml]) {
      expect(item.geometry).toMatchObject({ type: "MultiPolygon" });
      expect(geometryProblems(item.geometry as never)).toEqual([]);
      // West of east: the box crosses the antimeridian, from 122.4°E to 173.9°W.
      expect(item.bbox![0]).toBeCloseTo(122.374, 3);
      expect(item.bbox![2]).toBeCloseTo(-173.947, 3);
    }
    expect(fromGml.bbox).toEqual(fromWkt.bbox);
  });

  it("carries times, platform, type, cloud cover, size, MD5 and the $value link", () => {
    const item = dhusItem(full, { base: BASE, auth: { description: "sign in" } });
    expect(item.id).toBe(full.Name);
    expect(item.properties).toMatchObject({
      datetime: "2016-09-22T01:42:38.742Z",
      start_datetime: "2016-09-22T01:42:38.742Z",
      end_datetime: "2016-09-22T01:42:38.962Z",
      platform: "sentinel-3a",
      constellation: "sentinel-3",
      instruments: ["olci"],
      "product:type": "OL_2_LFR___",
      "eo:cloud_cover": 61,
      "auth:schemes": { dhus: { type: "http", scheme: "basic" } },
    });
    expect(item.assets["product"]).toEqual({
      href: `${BASE}/odata/v1/Products('11af8bd9-24d0-4401-9789-b7b73786e122')/$value`,
      type: "application/zip",
      roles: ["data"],
      title: `${full.Name} (DHuS)`,
      "file:size": 700011,
      "file:checksum": "d50110098645497fa5ab932ed2df98426e5b58",
      "auth:refs": ["dhus"],
    });
    // Without attributes, ContentDate gives the times; without sign-in, no auth marks.
    const plain = dhusItem(short, { base: BASE });
    expect(plain.properties["datetime"]).toBe(odataDate(short.ContentDate.Start));
    expect(plain.assets["product"]!["auth:refs"]).toBeUndefined();
  });

  it("places products: --into, the hub's own collection, else platform and product type", () => {
    expect(dhusCollection(full, {})).toBe("sentinel-3-ol-2-lfr");
    expect(dhusCollection(full, { collection: "mine" })).toBe("mine");
    const own = { ...full, Attributes: { results: [{ Name: "hexarchive collection", Value: "s3-lfr" }] } };
    expect(dhusCollection(own, {})).toBe("s3-lfr");
  });

  it("says why a footprint cannot be read", () => {
    expect(() => wktFootprint("POLYGON ((1 2, 3")).toThrow(/WKT/);
    expect(() => wktFootprint("POINT (1 2)")).toThrow(/a Point, not a polygon/);
    expect(() => gmlFootprint("<gml:Polygon/>")).toThrow(/no gml:coordinates/);
    const broken = { ...short, ContentGeometry: "<gml:coordinates>1,2</gml:coordinates>" };
    expect(() => dhusItem(broken, { base: BASE })).toThrow(/footprint: GML: fewer than 3 distinct points/);
    expect(odataDate("/Date(1474509300563)/")).toBe("2016-09-22T01:55:00.563Z");
    expect(odataDate("2024-01-01T00:00:00")).toBe("2024-01-01T00:00:00.000Z");
  });
});
