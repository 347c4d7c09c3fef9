// STAC items to a stac-geoparquet file: one row per item, properties as top-level typed columns, the
// geometry as WKB with GeoParquet 1.1 `geo` metadata (bbox covering, OGC:CRS84 by omission), links and
// assets as structs, the collections in the `stac-geoparquet` metadata (spec 1.1.0).
import { ByteWriter, ParquetWriter, type Writer } from "hyparquet-writer";
import type { StacCollection, StacItem } from "../stac/types.ts";
import { finalKind, formatMicros, type Kind, type KindState, parseMicros } from "./column-kinds.ts";
import {
  type ColumnPlan,
  mixedTimestamps,
  newPlan,
  planItem,
  schemaOf,
  TIMESTAMP_TEXT_COLUMN,
} from "./geoparquet-schema.ts";
import { geometryToWkb } from "./wkb.ts";

/** This writer's own metadata: how timestamp columns' text is written back (column → fraction digits). */
export const TIMESTAMP_TEXT_KEY = "hexarchive:timestamp-text";
/** This writer's own metadata: columns that are items' top-level foreign members, not properties. */
export const MEMBERS_KEY = "hexarchive:item-members";
export const STAC_GEOPARQUET_VERSION = "1.1.0";

const text = new TextEncoder();

function cellOf(v: unknown, kind: Kind): unknown {
  if (v === undefined || (v === null && kind !== "json")) return null;
  switch (kind) {
    case "json":
      return text.encode(JSON.stringify(v));
    case "int":
      return BigInt(v as number);
    case "timestamp":
      return parseMicros(v as string)!.micros;
    default:
      return v;
  }
}

function structValue(o: Record<string, unknown> | undefined, fields: Map<string, KindState>): unknown {
  if (o === undefined) return null;
  const out: Record<string, unknown> = {};
  for (const [k, s] of fields) out[k] = cellOf(o[k], finalKind(s) ?? "string");
  return out;
}

export interface GeoparquetOptions {
  /** Collections the items belong to, kept in the file's `stac-geoparquet` metadata. */
  collections?: StacCollection[];
  /** Rows per row group (default 10,000). */
  rowGroupSize?: number;
}

/** The plan of these items' columns (schema inference); exported for writers that plan in a first pass. */
export function planItems(items: Iterable<StacItem>): ColumnPlan {
  const plan = newPlan();
  for (const item of items) planItem(plan, item);
  return plan;
}

/** The text of each row's timestamps that their column's shortest form would not give back. */
function timestampText(plan: ColumnPlan, items: StacItem[]) {
  const mixed = mixedTimestamps(plan);
  if (!mixed.length) return [];
  const data = items.map((i) => {
    const kept: Record<string, string> = {};
    for (const k of mixed) {
      const v = i.properties[k];
      if (typeof v === "string" && formatMicros(parseMicros(v)!.micros, "min") !== v) kept[k] = v;
    }
    return Object.keys(kept).length ? cellOf(kept, "json") : null;
  });
  return [{ name: TIMESTAMP_TEXT_COLUMN, data }];
}

/** One batch of items as the columns of the plan's schema. */
function columnsOf(plan: ColumnPlan, items: StacItem[]) {
  const col = (name: string, f: (i: StacItem) => unknown) => ({ name, data: items.map(f) });
  const bboxOf = (i: StacItem) => {
    const b = i.bbox;
    if (!b) return null;
    return b.length === 6
      ? { xmin: b[0], ymin: b[1], zmin: b[2], xmax: b[3], ymax: b[4], zmax: b[5] }
      : plan.bboxZ
        ? { xmin: b[0], ymin: b[1], zmin: null, xmax: b[2], ymax: b[3], zmax: null }
        : { xmin: b[0], ymin: b[1], xmax: b[2], ymax: b[3] };
  };
  return [
    col("type", (i) => i.type ?? null),
    col("stac_version", (i) => i.stac_version ?? null),
    col("stac_extensions", (i) => i.stac_extensions ?? null),
    col("id", (i) => i.id),
    col("geometry", (i) => (i.geometry ? geometryToWkb(i.geometry) : null)),
    col("bbox", bboxOf),
    col("links", (i) => (i.links ? i.links.map((l) => structValue(l, plan.links)) : null)),
    plan.assets.size
      ? col("assets", (i) => {
          if (!i.assets) return null;
          const out: Record<string, unknown> = {};
          for (const [k, fields] of plan.assets) out[k] = structValue(i.assets[k], fields);
          return out;
        })
      : col("assets", (i) => cellOf(i.assets, "json")),
    col("collection", (i) => i.collection ?? null),
    ...timestampText(plan, items),
    ...[...plan.members.keys()].map((k) => col(k, (i) => cellOf((i as never)[k], "json"))),
    ...[...plan.properties]
      .filter(([, s]) => finalKind(s))
      .map(([k, s]) => col(k, (i) => cellOf(i.properties[k], finalKind(s)!))),
  ];
}

function metadataOf(plan: ColumnPlan, digits: Record<string, unknown>, opts: GeoparquetOptions) {
  const geo = {
    version: "1.1.0",
    primary_column: "geometry",
    columns: {
      geometry: {
        encoding: "WKB",
        geometry_types: [...plan.geometryTypes].sort(),
        ...(plan.extent ? { bbox: plan.extent } : {}),
        covering: {
          bbox: {
            xmin: ["bbox", "xmin"],
            ymin: ["bbox", "ymin"],
            xmax: ["bbox", "xmax"],
            ymax: ["bbox", "ymax"],
          },
        },
      },
    },
  };
  const stacMeta = {
    version: STAC_GEOPARQUET_VERSION,
    collections: Object.fromEntries((opts.collections ?? []).map((c) => [c.id, c])),
  };
  return [
    { key: "geo", value: JSON.stringify(geo) },
    { key: "stac-geoparquet", value: JSON.stringify(stacMeta) },
    { key: TIMESTAMP_TEXT_KEY, value: JSON.stringify(digits) },
    { key: MEMBERS_KEY, value: JSON.stringify([...plan.members.keys()]) },
  ];
}

/** A file being written batch by batch, with the columns a first pass over every item planned. */
export interface StacGeoparquetWriter {
  /** Items the plan has seen, in row groups of at most rowGroupSize. */
  write(items: StacItem[]): void;
  finish(): void;
}

/** The Parquet writer of a plan's columns (the file's header written to `writer`), fed batches of items. */
export function stacParquetWriter(writer: Writer, plan: ColumnPlan, opts: GeoparquetOptions = {}) {
  const { schema, digits } = schemaOf(plan);
  const pq = new ParquetWriter({
    writer,
    schema,
    kvMetadata: metadataOf(plan, digits, opts),
    createdBy: "hexarchive (hyparquet-writer)",
  });
  return {
    /** Its row groups and page indexes so far (geoparquet-resume.ts keeps them between invocations). */
    pq,
    write(items: StacItem[]): void {
      if (items.length)
        pq.write({ columnData: columnsOf(plan, items), rowGroupSize: opts.rowGroupSize ?? 10_000 });
    },
    /** The page indexes and footer; `collections`, when given, replace those the writer was opened with. */
    finish(collections?: StacCollection[]): void {
      if (collections) pq.kvMetadata = metadataOf(plan, digits, { ...opts, collections });
      // JSON columns are written as the bytes of their text (a JSON null is the text `null`, not a missing
      // value, which the writer's own JSON conversion would make it); the footer still calls them JSON, so
      // readers that know only the older converted type (DuckDB's) see JSON rather than bytes.
      for (const e of schema) if (e.logical_type?.type === "JSON") e.converted_type = "JSON";
      pq.finish();
    },
  };
}

export function openStacGeoparquet(
  writer: Writer,
  plan: ColumnPlan,
  opts: GeoparquetOptions = {},
): StacGeoparquetWriter {
  const w = stacParquetWriter(writer, plan, opts);
  return { write: (items) => w.write(items), finish: () => w.finish() };
}

/** The file's bytes. Throws UnsupportedItemError for an item the format cannot hold whole. */
export function writeStacGeoparquet(items: StacItem[], opts: GeoparquetOptions = {}): Uint8Array {
  const writer = new ByteWriter();
  const file = openStacGeoparquet(writer, planItems(items), opts);
  file.write(items);
  file.finish();
  return writer.getBytes();
}
