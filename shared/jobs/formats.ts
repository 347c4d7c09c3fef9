// The formats an export writes, by name (`format` in POST /search/export). A writer turns items into
// bytes that are appended to the result in order; between invocations it is rebuilt from its `state()`,
// taken right after `flush()`, when every byte it produced so far has been stored.
import { BadRequestError } from "../errors.ts";
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

/** Every format by its name; a new one is one entry here. */
export const EXPORT_FORMATS: Readonly<Record<string, ExportFormat>> = {
  ndjson: NDJSON_FORMAT,
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
