// GDAL, a real client, against the local stack: OGC API Features (OAPIF) lists collections as layers and
// reads items with a spatial filter; STACIT builds a mosaic from search results whose assets are GeoTIFFs
// downloaded through the API's presigned redirects.
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeGeoTiff } from "../../shared/products/synthetic/geotiff.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

const run = promisify(execFile);
const haveGdal = spawnSync("gdalinfo", ["--version"]).status === 0;
if (!haveGdal)
  console.warn("SKIPPED GDAL client tests: gdalinfo/ogrinfo not found (apt-get install gdal-bin)");

let stack: TestStack;

function tile(id: string, bbox: [number, number, number, number], datetime: string) {
  const [w, s, e, n] = bbox;
  const width = 40;
  const height = 20;
  const proj = {
    "proj:epsg": 4326,
    "proj:code": "EPSG:4326",
    "proj:shape": [height, width],
    "proj:transform": [(e - w) / width, 0, w, 0, -(n - s) / height, n],
    "proj:bbox": bbox,
  };
  return {
    tif: writeGeoTiff({ width, height, bbox, value: () => 100 }),
    item: {
      type: "Feature",
      stac_version: "1.1.0",
      stac_extensions: ["https://stac-extensions.github.io/projection/v2.0.0/schema.json"],
      id,
      collection: "gdal-mosaic",
      geometry: {
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
      },
      bbox,
      properties: { datetime, ...proj },
      links: [],
      assets: {
        data: { href: `./${id}.tif`, type: "image/tiff; application=geotiff", roles: ["data"], ...proj },
      },
    },
  };
}

beforeAll(async () => {
  if (!haveGdal) return;
  stack = await startTestStack();
  const tiles = [
    tile("west-tile", [14, 49.5, 14.5, 49.75], "2024-06-01T10:00:00Z"),
    tile("east-tile", [14.5, 49.5, 15, 49.75], "2024-06-01T10:00:05Z"),
    tile("far-tile", [20, 40, 20.5, 40.25], "2024-06-01T10:00:10Z"),
  ];
  for (const t of tiles) {
    await stack.upload(`gdal/${t.item.id}.tif`, t.tif, "image/tiff");
    await stack.upload(`gdal/${t.item.id}.stac.json`, JSON.stringify(t.item), "application/json");
  }
});
afterAll(() => stack?.close());

describe.skipIf(!haveGdal)("GDAL", () => {
  it("ogrinfo OAPIF lists the collections as layers", async () => {
    const { stdout } = await run("ogrinfo", ["-ro", "-q", `OAPIF:${stack.api}`]);
    expect(stdout).toMatch(/gdal-mosaic/);
  });

  it("ogrinfo OAPIF reads a collection's items with a spatial filter", async () => {
    const all = await run("ogrinfo", ["-ro", "-q", `OAPIF:${stack.api}`, "gdal-mosaic", "-geom=NO"]);
    expect(all.stdout.match(/OGRFeature/g)).toHaveLength(3);
    const near = await run("ogrinfo", [
      "-ro",
      "-q",
      `OAPIF:${stack.api}`,
      "gdal-mosaic",
      "-spat",
      "14.1",
      "49.55",
      "14.9",
      "49.7",
      "-geom=NO",
    ]);
    expect(near.stdout.match(/OGRFeature/g)).toHaveLength(2);
    expect(near.stdout).toMatch(/west-tile/);
    expect(near.stdout).not.toMatch(/far-tile/);
  });

  it("gdalinfo STACIT builds a mosaic from a search and reads its pixels through presigned downloads", async () => {
    const url = `${stack.api}/search?collections=gdal-mosaic&bbox=14,49.5,15,49.75`;
    // GDAL's defaults, as a user runs it: it follows the 302 to the presigned URL with ranged GETs.
    const { stdout } = await run("gdalinfo", ["-stats", `STACIT:"${url}"`]);
    expect(stdout).toMatch(/Size is 80, 20/);
    expect(stdout).toMatch(/STATISTICS_MEAN=100/);
  });
});
