// GDAL, a real client, against the local stack with downloads protected (the default policy: search
// public, downloads for signed-in users). OGC API Features (OAPIF) lists collections as layers and reads
// items with a spatial filter; a signed-in user's signed links (shared/auth/signed-hrefs.ts) let
// /vsicurl/ read an asset's pixels and STACIT build a mosaic from a search, through the API's presigned
// redirects, without GDAL ever holding the user's credentials (which it would send on to S3).
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeGeoTiff } from "../../dev/synthetic/geotiff.ts";
import { DEFAULT_ACCESS } from "../../shared/auth/access-policy.ts";
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
  // Only proj:code, as items are stored: GDAL 3.6's STACIT needs the proj:epsg the API adds.
  const proj = {
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
  stack = await startTestStack({ access: DEFAULT_ACCESS });
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

  const basic = () =>
    `Basic ${Buffer.from(`${stack.endpoints.auth.user}:${stack.endpoints.auth.password}`).toString("base64")}`;
  const signedIn = (path: string) => stack.get(path, { headers: { authorization: basic() } });
  // GDAL as a user runs it, with no credentials: the signature in the link is what signs in.
  const gdal = (args: string[]) =>
    run("gdalinfo", args, { env: { ...process.env, GDAL_HTTP_MAX_RETRY: "0" } });

  it("downloads are protected: GDAL reading a plain asset link gets 401", async () => {
    const plain = `${stack.api}/collections/gdal-mosaic/items/west-tile/assets/data`;
    expect((await stack.get(plain)).status).toBe(401);
    await expect(gdal([`/vsicurl/${plain}`])).rejects.toThrow(/401|not recognized|No such file/i);
  });

  it("gdalinfo /vsicurl/ reads the pixels of a signed-in user's signed asset link", async () => {
    const item = await signedIn("/collections/gdal-mosaic/items/west-tile");
    const href: string = item.body.assets.data.href;
    expect(href).toMatch(/\/assets\/data\?signature=/);
    expect(item.body.assets.data["proj:epsg"]).toBe(4326);
    const { stdout } = await gdal(["-stats", `/vsicurl/${href}`]);
    expect(stdout).toMatch(/Size is 40, 20/);
    expect(stdout).toMatch(/STATISTICS_MEAN=100/);
  });

  it("gdalinfo STACIT mosaics a signed search of ingested items (proj:code only) and reads its pixels", async () => {
    const search = `${stack.api}/search?collections=gdal-mosaic&bbox=14,49.5,15,49.75`;
    const signed = await signedIn(`/sign?href=${encodeURIComponent(search)}`);
    expect(signed.status).toBe(200);
    const { stdout } = await gdal(["-stats", `STACIT:"${signed.body.href}":asset=data`]);
    expect(stdout).toMatch(/Size is 80, 20/);
    expect(stdout).toMatch(/STATISTICS_MEAN=100/);
  });
});
