// An independent reader: DuckDB (its own Parquet and GeoParquet implementation, in C++) reads the files
// this writer makes — the geometry as a GEOMETRY in OGC:CRS84 from the `geo` metadata, datetime as a
// UTC timestamp, bbox as a struct, assets as structs, JSON columns as JSON — with the items' values.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeStacGeoparquet } from "../../shared/export/geoparquet-write.ts";
import { geometryToWkb } from "../../shared/export/wkb.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { FIXTURES, HAVE_FIXTURES } from "../products/reference.ts";
import { duck, duckRead } from "../support/duckdb.ts";
import { syntheticItems } from "./synthetic-items.ts";

const dir = mkdtempSync(join(tmpdir(), "geoparquet-duckdb-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const query = (file: string, sql: string) => duckRead(sql.replaceAll("FILE", `read_parquet('${file}')`));

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex").toUpperCase();

describe.skipIf(!duck)("stac-geoparquet read by DuckDB", () => {
  const items = syntheticItems();
  const file = join(dir, "synthetic.parquet");
  writeFileSync(file, writeStacGeoparquet(items));

  it("reads every row with its id, collection, UTC datetime and bbox struct", async () => {
    const rows = await query(
      file,
      `SELECT id, collection, epoch_ms(datetime) AS dt, typeof(datetime) AS t, bbox, typeof(bbox) AS tb FROM FILE`,
    );
    expect(rows.map((r) => r["id"])).toEqual(items.map((i) => i.id));
    expect(rows[0]!["t"]).toBe("TIMESTAMP WITH TIME ZONE");
    expect(rows[0]!["tb"]).toBe(
      "STRUCT(xmin DOUBLE, ymin DOUBLE, zmin DOUBLE, xmax DOUBLE, ymax DOUBLE, zmax DOUBLE)",
    );
    rows.forEach((r, i) => {
      const dt = items[i]!.properties.datetime;
      expect(r["dt"] === null ? null : Number(r["dt"])).toBe(dt === null ? null : Date.parse(dt));
    });
    // The antimeridian item's box keeps west > east.
    expect(rows[0]!["bbox"]).toEqual({ xmin: 170, ymin: -10, zmin: null, xmax: -170, ymax: 10, zmax: null });
  });

  it("takes the geometry column as GEOMETRY in OGC:CRS84 and reads back our WKB", async () => {
    const rows = await query(file, `SELECT typeof(geometry) AS t, hex(ST_AsWKB(geometry)) AS wkb FROM FILE`);
    expect(rows[0]!["t"]).toBe("GEOMETRY('OGC:CRS84')");
    rows.forEach((r, i) => {
      const g = items[i]!.geometry;
      expect(r["wkb"]).toBe(g ? hex(geometryToWkb(g)) : null);
    });
  });

  it("reads typed properties, JSON columns and asset structs", async () => {
    const rows = await query(
      file,
      `SELECT "eo:cloud_cover" AS cc, typeof("eo:cloud_cover") AS tcc, "x:maybe" AS maybe, typeof("x:maybe") AS tm,
              instruments, assets.product.href AS product, assets.thumbnail."proj:shape" AS shape FROM FILE`,
    );
    expect(rows.map((r) => r["cc"])).toEqual([12.5, 3, null, null, null]);
    expect(rows[0]!["tcc"]).toBe("DOUBLE");
    expect(rows[0]!["tm"]).toBe("JSON");
    expect(rows.map((r) => r["maybe"])).toEqual([null, null, "null", '"text"', null]);
    expect(rows[2]!["instruments"]).toEqual(["olci"]);
    expect(rows.map((r) => r["product"])).toEqual(["s3://b/x.zip", "s3://b/y.zip", null, null, null]);
    expect(rows[1]!["shape"]).toEqual([343, 343]);
  });

  it("reads real items of other catalogues, all in one file, with their ids, datetimes and asset hrefs", async () => {
    if (!HAVE_FIXTURES) return console.warn(`skipped: ${FIXTURES} is missing`);
    const root = join(FIXTURES, "stac-items-real");
    const real: StacItem[] = [];
    for (const d of readdirSync(root))
      for (const f of readdirSync(join(root, d))) {
        const j = JSON.parse(readFileSync(join(root, d, f), "utf8"));
        real.push(...((Array.isArray(j) ? j : (j.features ?? [j])) as StacItem[]));
      }
    const many = join(dir, "real.parquet");
    writeFileSync(many, writeStacGeoparquet(real));
    const rows = await query(
      many,
      `SELECT id, epoch_us(datetime) AS us, ST_AsText(geometry) IS NOT NULL AS g FROM FILE`,
    );
    expect(rows.map((r) => r["id"])).toEqual(real.map((i) => i.id));
    rows.forEach((r, i) => {
      const dt = real[i]!.properties.datetime;
      if (dt) expect(Math.floor(Number(r["us"]) / 1000)).toBe(Date.parse(dt));
      expect(r["g"]).toBe(real[i]!.geometry !== null);
    });
  });

  it("finds the items in an area through the bbox covering columns", async () => {
    const rows = await query(file, `SELECT id FROM FILE WHERE bbox.ymin >= 80`);
    expect(rows.map((r) => r["id"])).toEqual(["north-pole"]);
  });
});
