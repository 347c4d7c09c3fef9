// An export's stac-geoparquet conversion in bounded steps (formats.ts Converter, as export-convert.ts
// drives it): each step reads the spool on from the byte offset the last one stopped at and writes whole
// row groups, holding no more than a row group of items; the parts make one file that reads back to the
// items (ours and DuckDB's reader), whatever the step size, and a step run again gives the same bytes.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readStacGeoparquet } from "../../shared/export/geoparquet-read.ts";
import { GEOPARQUET_FORMAT } from "../../shared/jobs/formats.ts";
import { type SpoolLine, spoolLines } from "../../shared/jobs/spool-lines.ts";
import type { StacCollection, StacItem } from "../../shared/stac/types.ts";
import { makeCollection, makeItem } from "../api/seed.ts";
import { syntheticItems } from "../export/synthetic-items.ts";
import { duck, duckRead } from "../support/duckdb.ts";

const dir = mkdtempSync(join(tmpdir(), "geoparquet-convert-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const collection: StacCollection = makeCollection("c", "Café — S2", "test", []);
const items: StacItem[] = [
  ...Array.from({ length: 23 }, (_, i) =>
    makeItem({
      id: `i-${i}`,
      collection: "c",
      datetime: `2024-05-${String(1 + (i % 28)).padStart(2, "0")}T10:00:0${i % 10}Z`,
      lon: i,
      lat: 40,
      // Multi-byte text (the spool offsets are bytes) and columns only the last items have.
      properties: { title: `Überflug ${i} — ☃`, ...(i > 18 ? { "eo:cloud_cover": i + 0.5 } : {}) },
    }),
  ),
  ...syntheticItems(),
];
const spool = Buffer.from([collection, ...items].map((o) => `${JSON.stringify(o)}\n`).join(""));

/** The spool as the job reads it: from a byte offset, in chunks that split lines and characters. */
async function* from(at: number) {
  for (let i = at; i < spool.length; i += 7) yield spool.subarray(i, Math.min(i + 7, spool.length));
}

/** Runs every step as the job does; the parts, and the lines each step took from the spool. */
async function convert(rows: number, partBytes: number) {
  const writer = GEOPARQUET_FORMAT.open();
  writer.collection!(collection);
  writer.items(items.slice(0, 10));
  // The spool's writer planned the columns; its state goes on in a new invocation.
  const resumed = GEOPARQUET_FORMAT.open(JSON.parse(JSON.stringify(writer.state())));
  resumed.items(items.slice(10));
  let state = GEOPARQUET_FORMAT.convert!.begin(JSON.parse(JSON.stringify(resumed.state())));
  let at = 0;
  const parts: Uint8Array[] = [];
  const kept: string[] = [];
  const taken: number[] = [];
  for (;;) {
    let n = 0;
    async function* counted(): AsyncIterable<SpoolLine> {
      for await (const l of spoolLines(from(at), at)) {
        n++;
        yield l;
      }
    }
    const input = { at, rows, partBytes, kept: async () => [...kept] };
    const r = await GEOPARQUET_FORMAT.convert!.step({ ...input, state, lines: counted() });
    // Run again from the same checkpoint (an invocation that died after it): the same bytes.
    const again = await GEOPARQUET_FORMAT.convert!.step({ ...input, state, lines: spoolLines(from(at), at) });
    expect(Buffer.from(again.bytes).equals(Buffer.from(r.bytes))).toBe(true);
    parts.push(r.bytes);
    kept.push(r.kept);
    taken.push(n);
    if (r.done) break;
    expect(r.read).toBeGreaterThan(at);
    at = r.read;
    state = JSON.parse(JSON.stringify(r.state));
  }
  return { file: new Uint8Array(Buffer.concat(parts)), taken };
}

describe("stac-geoparquet conversion in steps", () => {
  it("read the spool on from where each step stopped, a row group a step, holding no more items than that", async () => {
    const rows = 4;
    const { file, taken } = await convert(rows, 1);
    // A step per row group; the last takes what is left (none, when the row groups came out even) and
    // writes the footer.
    expect(items.length % rows).toBe(0);
    expect(taken.length).toBe(items.length / rows + 1);
    // The collection line comes with the first step's items; no step took more than a row group.
    expect(Math.max(...taken.slice(1))).toBeLessThanOrEqual(rows);
    expect(taken[0]).toBe(rows + 1);
    expect(taken.reduce((a, b) => a + b, 0)).toBe(items.length + 1);
    const back = await readStacGeoparquet(file);
    expect(back.items).toEqual(items);
    expect(back.collections).toEqual([collection]);
  });

  it("make the same items from steps of several row groups, or from one step", async () => {
    for (const partBytes of [3000, 1e9]) {
      const { file, taken } = await convert(5, partBytes);
      if (partBytes === 1e9) expect(taken).toHaveLength(1);
      else expect(taken.length).toBeGreaterThan(1);
      expect((await readStacGeoparquet(file)).items).toEqual(items);
    }
  });

  it.skipIf(!duck)(
    "write one file DuckDB reads whole: every row, in row groups of at most a step's rows",
    async () => {
      const { file } = await convert(4, 1);
      const path = join(dir, "stepped.parquet");
      writeFileSync(path, file);
      const read = duckRead;
      const ids = await read(`SELECT id FROM read_parquet('${path}')`);
      expect(ids.map((r) => r["id"])).toEqual(items.map((i) => i.id));
      const groups = await read(
        `SELECT DISTINCT row_group_id, row_group_num_rows FROM parquet_metadata('${path}') ORDER BY row_group_id`,
      );
      expect(groups).toHaveLength(Math.ceil(items.length / 4));
      for (const g of groups) expect(Number(g["row_group_num_rows"])).toBeLessThanOrEqual(4);
      const titles = await read(`SELECT title FROM read_parquet('${path}') WHERE id = 'i-3'`);
      expect(titles[0]!["title"]).toBe("Überflug 3 — ☃");
    },
  );
});
