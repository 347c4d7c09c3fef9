// The formats an export writes, by name (`format` in POST /search/export). A writer turns items into
// bytes that are appended to the result in order; between invocations it is rebuilt from its `state()`,
// taken right after `flush()`, when every byte it produced so far has been stored. A format whose layout
// depends on every item (stac-geoparquet: its columns) writes NDJSON that far, planning as it goes, and is
// then converted in bounded steps, each one part of the result (export-convert.ts).
import { BadRequestError } from "../errors.ts";
import { resumeStacGeoparquet } from "../export/geoparquet-resume.ts";
import { planItem } from "../export/geoparquet-schema.ts";
import { type PlanState, planOf, planState } from "../export/plan-state.ts";
import type { StacCollection, StacItem } from "../stac/types.ts";
import type { SpoolLine } from "./spool-lines.ts";

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

/** What one conversion step is given: the spool's lines from where the last step stopped, and limits. */
export interface ConvertInput {
  /** The last step's state, or the first's (Converter.begin). */
  state: unknown;
  /** The spool's byte offset the lines start at. */
  at: number;
  lines: AsyncIterable<SpoolLine>;
  /** Items held in memory at once: a row group. */
  rows: number;
  /** Stop once this many bytes of the result are ready (the spool not yet at its end). */
  partBytes: number;
  /** The `kept` text of every earlier step, in order (read only by the last step). */
  kept(): Promise<string[]>;
}

export interface ConvertOutput {
  /** The result's next bytes (one part). */
  bytes: Uint8Array;
  /** The spool's byte offset past the last line used; the next step reads from there. */
  read: number;
  /** What the result's end needs from this step, stored until then (row groups' metadata). */
  kept: string;
  state: unknown;
  /** The spool was read to its end and the result is whole. */
  done: boolean;
}

/** Turns the NDJSON a format's writer spooled into the result, a bounded step at a time. */
export interface Converter {
  /** The first step's state, from the writer's state after the spool's last item. */
  begin(writerState: unknown): unknown;
  step(input: ConvertInput): Promise<ConvertOutput>;
}

export interface ExportFormat {
  contentType: string;
  /** The result's file name extension, without its dot. */
  extension: string;
  open(state?: unknown): ExportWriter;
  /** For a format whose layout depends on every item: what `open` wrote (NDJSON) becomes the result. */
  convert?: Converter;
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

interface GeoparquetConversion {
  plan: PlanState;
  /** Bytes of the result written so far. */
  offset: number;
}

/**
 * stac-geoparquet (shared/export/): the items as rows, the collections in the file's metadata. Its columns
 * are the union of every item's fields, known only at the end: the spool's writer plans them as it writes
 * NDJSON (the plan is its state), then each conversion step writes row groups (`rows` items each) until a
 * part's worth is ready, keeping their metadata (and the collections it read) for the footer of the last.
 */
export const GEOPARQUET_FORMAT: ExportFormat = {
  contentType: "application/vnd.apache.parquet",
  extension: "parquet",
  open(state) {
    const plan = planOf(state as PlanState | null | undefined);
    return {
      ...NDJSON_FORMAT.open(),
      items(items) {
        for (const i of items) planItem(plan, i);
        return lines(items);
      },
      state: () => planState(plan),
    };
  },
  convert: {
    begin: (writerState): GeoparquetConversion => ({ plan: writerState as PlanState, offset: 0 }),
    async step({ state, at, lines, rows, partBytes, kept }) {
      const s = state as GeoparquetConversion;
      const file = resumeStacGeoparquet(planOf(s.plan), s.offset, rows);
      const collections: StacCollection[] = [];
      const out: Uint8Array[] = [];
      let size = 0;
      let read: number | undefined;
      let batch: StacItem[] = [];
      let stopped = false;
      const write = () => {
        const b = file.write(batch);
        batch = [];
        out.push(b);
        size += b.length;
      };
      for await (const line of lines) {
        const o = JSON.parse(line.text) as StacItem | StacCollection;
        if (o.type === "Collection") collections.push(o as StacCollection);
        else batch.push(o as StacItem);
        read = line.end;
        if (batch.length < rows) continue;
        write();
        if (size >= partBytes) {
          stopped = true;
          break;
        }
      }
      if (batch.length || size === 0) write();
      // The collections this step read (the spool's first lines), then its row groups.
      const mine = `${JSON.stringify(collections)}\n${file.groups()}`;
      if (!stopped) {
        const all = [...(await kept()), mine].map((k) => k.split("\n"));
        out.push(
          file.finish(
            all.map(([, g]) => g!),
            all.flatMap(([c]) => JSON.parse(c!)),
          ),
        );
      }
      return {
        bytes: Buffer.concat(out),
        read: read ?? at,
        kept: mine,
        state: { plan: s.plan, offset: file.offset } satisfies GeoparquetConversion,
        done: !stopped,
      };
    },
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
