// The export formats' writers alone: stac-geoparquet converted from NDJSON lines, handed on a row group
// at a time (each chunk kept as it was given, not copied), reads back to exactly the items, with columns
// that only later items have; NDJSON writes one object a line.
import { describe, expect, it } from "vitest";
import { readStacGeoparquet } from "../../shared/export/geoparquet-read.ts";
import { EXPORT_FORMATS, exportFormat, GEOPARQUET_FORMAT } from "../../shared/jobs/formats.ts";
import type { StacCollection, StacItem } from "../../shared/stac/types.ts";
import { makeCollection, makeItem } from "../api/seed.ts";

const items: StacItem[] = Array.from({ length: 23 }, (_, i) =>
  makeItem({
    id: `i-${i}`,
    collection: "c",
    datetime: `2024-05-${String(1 + (i % 28)).padStart(2, "0")}T10:00:0${i % 10}Z`,
    lon: i,
    lat: 40,
    // Only the last items have these: the columns must come from every item, not the first rows.
    ...(i > 18 ? { properties: { "eo:cloud_cover": i + 0.5, platform: `p${i}` } } : {}),
  }),
);
const collection: StacCollection = makeCollection("c", "C", "test", []);

async function* linesOf(records: unknown[]) {
  for (const r of records) yield JSON.stringify(r);
}

describe("export formats", () => {
  it("convert NDJSON to stac-geoparquet a row group at a time, reading back to the same items", async () => {
    const chunks: Uint8Array[] = [];
    await GEOPARQUET_FORMAT.convert!(
      () => linesOf([collection, ...items]),
      async (b) => {
        chunks.push(b);
      },
      4,
    );
    // A chunk per row group of 4 (the first with the file's header), and the footer.
    expect(chunks.length).toBeGreaterThanOrEqual(Math.ceil(items.length / 4));
    const file = await readStacGeoparquet(new Uint8Array(Buffer.concat(chunks)));
    expect(file.items).toEqual(items);
    expect(file.collections).toEqual([collection]);
  });

  it("name every format, and refuse others", () => {
    expect(Object.keys(EXPORT_FORMATS).sort()).toEqual(["geoparquet", "ndjson"]);
    expect(() => exportFormat("xlsx")).toThrow(/one of 'ndjson', 'geoparquet'/);
  });
});
