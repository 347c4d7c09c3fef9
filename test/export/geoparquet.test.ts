// stac-geoparquet written and read back: items made by our readers from every fixture product, real
// items of other catalogues (shared/fixtures/stac-items-real), and synthetic ones that stress the format
// (antimeridian and polar footprints, properties that differ from item to item, JSON nulls, 3D boxes)
// come back equal to what was written; and the file's columns are typed as the spec asks.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parquetMetadata, parquetSchema } from "hyparquet";
import { ByteWriter } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { openStacGeoparquetFile, readStacGeoparquet } from "../../shared/export/geoparquet-read.ts";
import { openStacGeoparquet, planItems, writeStacGeoparquet } from "../../shared/export/geoparquet-write.ts";
import type { StacCollection, StacItem } from "../../shared/stac/types.ts";
import { fixtureCases } from "../geo/fixture-items.ts";
import { FIXTURES, HAVE_FIXTURES } from "../products/reference.ts";
import { syntheticItems } from "./synthetic-items.ts";

async function roundTrip(items: StacItem[], collections: StacCollection[] = []) {
  const bytes = writeStacGeoparquet(items, { collections });
  const back = await readStacGeoparquet(bytes);
  return { bytes, back };
}

describe("stac-geoparquet round trip", () => {
  it("synthetic items with antimeridian and polar footprints and differing properties come back equal", async () => {
    const items = syntheticItems();
    const collection = {
      type: "Collection",
      id: "synthetic",
      description: "d",
      links: [],
    } as unknown as StacCollection;
    const { back } = await roundTrip(items, [collection]);
    expect(back.items).toStrictEqual(items);
    expect(back.collections).toStrictEqual([collection]);
  });

  it("real items of other catalogues come back equal", async () => {
    if (!HAVE_FIXTURES) return console.warn(`skipped: ${FIXTURES} is missing`);
    const root = join(FIXTURES, "stac-items-real");
    let n = 0;
    for (const dir of readdirSync(root))
      for (const f of readdirSync(join(root, dir))) {
        const j = JSON.parse(readFileSync(join(root, dir, f), "utf8"));
        const items = (Array.isArray(j) ? j : (j.features ?? [j])) as StacItem[];
        const { back } = await roundTrip(items);
        expect(back.items, f).toStrictEqual(items);
        n += items.length;
      }
    expect(n).toBeGreaterThan(20);
  });

  it("real items of several catalogues in one file keep datetime a timestamp and their own text", async () => {
    if (!HAVE_FIXTURES) return console.warn(`skipped: ${FIXTURES} is missing`);
    const root = join(FIXTURES, "stac-items-real");
    const items: StacItem[] = [];
    for (const dir of readdirSync(root))
      for (const f of readdirSync(join(root, dir))) {
        const j = JSON.parse(readFileSync(join(root, dir, f), "utf8"));
        items.push(...((Array.isArray(j) ? j : (j.features ?? [j])) as StacItem[]));
      }
    const { bytes, back } = await roundTrip(items);
    expect(back.items).toStrictEqual(items);
    // "….024Z" beside "….024000Z": no one width writes both back, so the odd ones keep their text beside.
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const cols = Object.fromEntries(
      parquetSchema(parquetMetadata(file)).children.map((c) => [c.element.name, c]),
    );
    expect(cols["datetime"]!.element.logical_type?.type).toBe("TIMESTAMP");
    expect(cols["hexarchive:timestamp_text"]).toBeDefined();
  });

  it("items our readers make from every fixture product come back equal, all in one file", async () => {
    const cases = fixtureCases();
    if (cases.length === 0) return console.warn(`skipped: ${FIXTURES} is missing`);
    const items: StacItem[] = [];
    for (const c of cases) items.push(await c.read());
    const { back } = await roundTrip(items);
    expect(back.items).toStrictEqual(items);
  }, 120_000);
});

describe("stac-geoparquet in batches", () => {
  it("writes planned items batch by batch and reads them back a range of rows at a time", async () => {
    const items = syntheticItems();
    const writer = new ByteWriter();
    const file = openStacGeoparquet(writer, planItems(items), { rowGroupSize: 2 });
    file.write(items.slice(0, 3));
    file.write(items.slice(3));
    file.finish();
    const bytes = writer.getBytes();
    const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    expect(parquetMetadata(buf).row_groups).toHaveLength(3); // 2 + 1, then 2
    const opened = await openStacGeoparquetFile(buf);
    expect(opened.rows).toBe(items.length);
    const back = [
      ...(await opened.items(0, 2)),
      ...(await opened.items(2, 4)),
      ...(await opened.items(4, 5)),
    ];
    expect(back).toStrictEqual(items);
  });
});

describe("stac-geoparquet layout", () => {
  it("types the columns as the spec asks and writes GeoParquet metadata", async () => {
    const { bytes } = await roundTrip(syntheticItems());
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const meta = parquetMetadata(file, { geoparquet: false });
    const kv = Object.fromEntries(
      (meta.key_value_metadata ?? []).map((k) => [k.key, JSON.parse(k.value ?? "null")]),
    );
    expect(kv["geo"]).toMatchObject({
      version: "1.1.0",
      primary_column: "geometry",
      columns: { geometry: { encoding: "WKB", bbox: [-180, -10, 180, 90] } },
    });
    expect(kv["geo"].columns.geometry.crs).toBeUndefined(); // OGC:CRS84
    expect(kv["geo"].columns.geometry.geometry_types).toEqual([
      "LineString",
      "MultiPolygon",
      "Point Z",
      "Polygon",
    ]);
    expect(kv["stac-geoparquet"].version).toBe("1.1.0");
    const cols = Object.fromEntries(parquetSchema(meta).children.map((c) => [c.element.name, c]));
    expect(cols["datetime"]!.element.logical_type).toEqual({
      type: "TIMESTAMP",
      isAdjustedToUTC: true,
      unit: "MICROS",
    });
    expect(cols["start_datetime"]!.element.logical_type?.type).toBe("TIMESTAMP");
    // "…00Z" and "….5Z" have no one width in common but the shortest form, which writes both back.
    expect(cols["updated"]!.element.logical_type?.type).toBe("TIMESTAMP");
    expect(cols["eo:cloud_cover"]!.element.type).toBe("DOUBLE");
    expect(cols["sat:relative_orbit"]!.element.type).toBe("DOUBLE"); // 7, 8 and 9.5
    expect(cols["platform"]!.element.converted_type).toBe("UTF8");
    expect(cols["x:flag"]!.element.type).toBe("BOOLEAN");
    expect(cols["instruments"]!.element.converted_type).toBe("LIST");
    expect(cols["x:maybe"]!.element.converted_type).toBe("JSON"); // a null and a string
    expect(cols["bbox"]!.children.map((c) => c.element.name)).toEqual([
      "xmin",
      "ymin",
      "zmin",
      "xmax",
      "ymax",
      "zmax",
    ]);
    expect(cols["geometry"]!.element.type).toBe("BYTE_ARRAY");
    expect(cols["assets"]!.children.map((c) => c.element.name)).toEqual([
      "product",
      "thumbnail",
      "other",
      "a",
    ]);
    expect(cols["links"]!.element.converted_type).toBe("LIST");
    expect(cols["properties"]).toBeUndefined();
  });

  it("writes and reads a file of no items", async () => {
    const { back } = await roundTrip([]);
    expect(back.items).toEqual([]);
  });

  it("refuses a property named like an item column rather than drop it", () => {
    const [item] = syntheticItems();
    expect(() => writeStacGeoparquet([{ ...item!, properties: { ...item!.properties, id: "x" } }])).toThrow(
      /collides/,
    );
  });
});
