// The formats an export writes, by name (`format` in POST /search/export). A writer turns items into
// bytes that are appended to the result in order; between invocations it is rebuilt from its `state()`,
// taken right after `flush()`, when every byte it produced so far has been stored. A format whose layout
// depends on every item (stac-geoparquet: its columns) writes NDJSON that far and is then converted.
import { ByteWriter } from "hyparquet-writer";
import { BadRequestError } from "../errors.ts";
import { newPlan, planItem } from "../export/geoparquet-schema.ts";
import { openStacGeoparquet } from "../export/geoparquet-write.ts";
import type { StacCollection, StacItem } from "../stac/types.ts";

export interface ExportWriter {
  /** A collection the search covers, written before the items; formats without such records omit it. */
  collection?(c: StacCollection): Uint8Array;
  items(items: StacItem[]): Uint8Array;
  /** Whatever is held back (a row group being filled); called before each checkpoint. */
  flush(): Uint8Array;
  /** The closing bytes (a footer); called once, after the last items. */
  end(): Uint8Array;
  /** JSON that `open` resumes from; taken after flush(). */
  state(): unknown;
}

export interface ExportFormat {
  contentType: string;
  /** The result's file name extension, without its dot. */
  extension: string;
  open(state?: unknown): ExportWriter;
  /**
   * For a format whose layout depends on every item: what `open` wrote (NDJSON) becomes the result in
   * one last step of its own, reading those lines as often as it needs (`lines()` starts a new pass) and
   * handing the result's bytes to `out` in order, holding `rows` records in memory at a time.
   */
  convert?(
    lines: () => AsyncIterable<string>,
    out: (bytes: Uint8Array) => Promise<void>,
    rows: number,
  ): Promise<void>;
}

const encoder = new TextEncoder();
const lines = (values: unknown[]) => encoder.encode(values.map((v) => `${JSON.stringify(v)}\n`).join(""));
const NOTHING = new Uint8Array(0);

/** One JSON object a line: the collections, then the items; the file `hexarchive import` reads. */
export const NDJSON_FORMAT: ExportFormat = {
  contentType: "application/x-ndjson",
  extension: "ndjson",
  open: () => ({
    collection: (c) => lines([c]),
    items: (items) => lines(items),
    flush: () => NOTHING,
    end: () => NOTHING,
    state: () => null,
  }),
};

/**
 * stac-geoparquet (shared/export/): the items as rows, the collections in the file's metadata. Its columns
 * are the union of every item's fields, known only at the end: the job writes NDJSON, then converts it in
 * two passes, the first planning the columns, the second writing a row group (`rows` items) at a time.
 */
export const GEOPARQUET_FORMAT: ExportFormat = {
  contentType: "application/vnd.apache.parquet",
  extension: "parquet",
  open: NDJSON_FORMAT.open,
  async convert(lines, out, rows) {
    const collections: StacCollection[] = [];
    const plan = newPlan();
    for await (const line of lines()) {
      const o = JSON.parse(line) as StacItem | StacCollection;
      if (o.type === "Collection") collections.push(o as StacCollection);
      else planItem(plan, o as StacItem);
    }
    const bytes = new ByteWriter();
    // Hands on what the writer holds; its offset (the file's positions) goes on counting.
    const drain = async () => {
      if (bytes.index === 0) return;
      const b = bytes.getBytes().slice();
      bytes.index = 0;
      await out(b);
    };
    const file = openStacGeoparquet(bytes, plan, { collections, rowGroupSize: rows });
    let batch: StacItem[] = [];
    for await (const line of lines()) {
      const o = JSON.parse(line) as StacItem | StacCollection;
      if (o.type === "Collection") continue;
      batch.push(o as StacItem);
      if (batch.length >= rows) {
        file.write(batch);
        batch = [];
        await drain();
      }
    }
    file.write(batch);
    file.finish();
    await drain();
  },
};

/** Every format by its name; a new one is one entry here. */
export const EXPORT_FORMATS: Readonly<Record<string, ExportFormat>> = {
  ndjson: NDJSON_FORMAT,
  geoparquet: GEOPARQUET_FORMAT,
};

export function exportFormat(name: unknown): ExportFormat {
  const names = Object.keys(EXPORT_FORMATS);
  const f =
    typeof name === "string" && Object.hasOwn(EXPORT_FORMATS, name) ? EXPORT_FORMATS[name] : undefined;
  if (!f)
    throw new BadRequestError(
      `format: expected one of ${names.map((n) => `'${n}'`).join(", ")}, got ${JSON.stringify(name)}`,
    );
  return f;
}
