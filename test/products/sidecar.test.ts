import { describe, expect, it } from "vitest";
import { containsPoint } from "../../shared/geo/footprint.ts";
import { geometryProblems } from "../../shared/geo/validity.ts";
import { readProduct } from "../../shared/products/read-product.ts";
import { MemoryObjectStore } from "../support/memory-store.ts";

const sidecar = {
  type: "Feature",
  stac_version: "1.1.0",
  id: "drone-flight-42",
  collection: "drone-surveys",
  geometry: {
    type: "Polygon",
    coordinates: [
      [
        [1, 1],
        [2, 1],
        [2, 2],
        [1, 2],
        [1, 1],
      ],
    ],
  },
  bbox: [1, 1, 2, 2],
  properties: { datetime: "2024-03-01T12:00:00Z" },
  assets: {
    ortho: { href: "ortho.tif", type: "image/tiff; application=geotiff", roles: ["data"] },
    dem: { href: "./dems/../dem.tif" },
    external: { href: "https://example.com/x.tif" },
  },
  links: [],
};

describe("STAC sidecars", () => {
  it("are indexed alone, with hrefs resolved against the sidecar's key", async () => {
    const store = new MemoryObjectStore("bucket");
    const object = store.put("surveys/2024/flight-42.stac.json", JSON.stringify(sidecar));
    const outcome = await readProduct({ store, object });
    if (outcome.kind !== "item") throw new Error(outcome.reason);
    expect(outcome.item.collection).toBe("drone-surveys");
    expect(outcome.item.assets["ortho"]?.href).toBe("s3://bucket/surveys/2024/ortho.tif");
    expect(outcome.item.assets["dem"]?.href).toBe("s3://bucket/surveys/2024/dem.tif");
    expect(outcome.item.assets["external"]?.href).toBe("https://example.com/x.tif");
  });

  it("confine their assets to their own folder: no climbing out, no other key or bucket", async () => {
    const store = new MemoryObjectStore("bucket");
    const read = async (href: string) => {
      const body = JSON.stringify({ ...sidecar, assets: { a: { href } } });
      try {
        const outcome = await readProduct({ store, object: store.put("surveys/2024/x.stac.json", body) });
        return outcome.kind === "item" ? outcome.item.assets["a"]?.href : outcome.reason;
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(await read("sub/a.tif")).toBe("s3://bucket/surveys/2024/sub/a.tif");
    expect(await read("/surveys/2024/a.tif")).toBe("s3://bucket/surveys/2024/a.tif");
    expect(await read("s3://bucket/surveys/2024/a.tif")).toBe("s3://bucket/surveys/2024/a.tif");
    for (const outside of [
      "../dems/dem.tif",
      "sub/../../x.tif",
      "/other/x.tif",
      "s3://bucket/sentinel-2/S2B_MSIL2A.zip",
      "s3://bucket/surveys/2024/../../x.tif",
      "s3://bucket/surveys/20240/x.tif",
    ])
      expect(await read(outside)).toMatch(/leaves the sidecar's folder|not a plain/);
    expect(await read("s3://other-bucket/surveys/2024/a.tif")).toMatch(/another bucket/);
  });

  it("without a collection go to `misc`", async () => {
    const store = new MemoryObjectStore();
    const { collection: _, ...rest } = sidecar;
    const outcome = await readProduct({ store, object: store.put("a/x.stac.json", JSON.stringify(rest)) });
    expect(outcome.kind === "item" && outcome.item.collection).toBe("misc");
  });

  it("accept a null datetime with a start/end range and a null geometry", async () => {
    const store = new MemoryObjectStore();
    const { bbox: _bbox, ...rest } = sidecar; // STAC forbids a bbox beside a null geometry
    const body = {
      ...rest,
      geometry: null,
      properties: {
        datetime: null,
        start_datetime: "2024-01-01T00:00:00Z",
        end_datetime: "2024-02-01T00:00:00Z",
      },
    };
    const outcome = await readProduct({ store, object: store.put("a/y.stac.json", JSON.stringify(body)) });
    expect(outcome.kind).toBe("item");
  });

  it("are refused when they break STAC or a schema they declare, naming the field and the schema", async () => {
    const store = new MemoryObjectStore();
    const EO = "https://stac-extensions.github.io/eo/v1.1.0/schema.json";
    const read = (doc: unknown) =>
      readProduct({ store, object: store.put("a/z.stac.json", JSON.stringify(doc)) });
    const cloudy = (cloud: unknown) => ({
      ...sidecar,
      stac_extensions: [EO],
      properties: { ...sidecar.properties, "eo:cloud_cover": cloud },
    });
    await expect(read(cloudy("high"))).rejects.toThrow(
      `invalid STAC sidecar a/z.stac.json: properties.eo:cloud_cover must be number (schema ${EO})`,
    );
    expect((await read(cloudy(20))).kind).toBe("item");
    await expect(read({ ...sidecar, geometry: null })).rejects.toThrow(
      /: bbox is not allowed \(schema https:\/\/schemas\.stacspec\.org\/v1\.1\.0\/item-spec\/json-schema\/item\.json\)$/,
    );
    // A schema the archive does not hold is no reason to refuse the producer's metadata.
    const custom = { ...cloudy(20), stac_extensions: [EO, "https://example.org/drone/v1.0.0/schema.json"] };
    expect((await read(custom)).kind).toBe("item");
  });

  it("asset files arriving alone are skipped, not failed", async () => {
    const store = new MemoryObjectStore();
    const outcome = await readProduct({ store, object: store.put("surveys/2024/ortho.tif", "II*\u0000") });
    expect(outcome.kind).toBe("skip");
  });
});

describe("sidecar footprints", () => {
  const read = async (geometry: unknown) => {
    const store = new MemoryObjectStore("bucket");
    const doc = { ...sidecar, geometry, bbox: [170, 0, -170, 10] };
    const object = store.put("s/x.stac.json", JSON.stringify(doc));
    const outcome = await readProduct({ store, object });
    if (outcome.kind !== "item") throw new Error(outcome.reason);
    return outcome.item;
  };

  it("a clockwise polygon drawn across ±180 without a cut is redrawn as valid GeoJSON, cut at ±180", async () => {
    const item = await read({
      type: "Polygon",
      coordinates: [
        [
          [170, 0],
          [170, 10],
          [-170, 10],
          [-170, 0],
          [170, 0],
        ],
      ],
    });
    expect(geometryProblems(item.geometry!)).toEqual([]);
    expect(item.geometry!.type).toBe("MultiPolygon");
    expect(containsPoint(item.geometry!, [175, 5])).toBe(true);
    expect(containsPoint(item.geometry!, [-175, 5])).toBe(true);
    expect(containsPoint(item.geometry!, [0, 5])).toBe(false);
    expect(item.bbox).toEqual([170, 0, -170, 10]);
  });

  it("a valid geometry is kept exactly as written", async () => {
    const item = await read(sidecar.geometry);
    expect(item.geometry).toEqual(sidecar.geometry);
  });
});
