// A stac-geoparquet file back to STAC items (and the collections in its metadata): each row's columns
// decoded by their Parquet types — WKB geometry, the bbox struct, timestamps as RFC 3339 text written
// the way they were read (geoparquet-write.ts), JSON text parsed — and the property columns gathered
// into `properties`. Files written by other tools read the same way.
import {
  type AsyncBuffer,
  type FileMetaData,
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
  type SchemaTree,
} from "hyparquet";
import type { Asset, BBox, Link, StacCollection, StacItem } from "../stac/types.ts";
import { formatMicros, type TimestampDigits } from "./column-kinds.ts";
import { ITEM_COLUMNS, TIMESTAMP_TEXT_COLUMN } from "./geoparquet-schema.ts";
import { MEMBERS_KEY, TIMESTAMP_TEXT_KEY } from "./geoparquet-write.ts";
import { wkbToGeometry } from "./wkb.ts";

const utf8 = new TextDecoder();

export interface StacGeoparquet {
  items: StacItem[];
  /** The collections of the file's `stac-geoparquet` metadata (`collections`, or the older `collection`). */
  collections: StacCollection[];
  /** The file's GeoParquet `geo` metadata, as written. */
  geo?: Record<string, unknown>;
}

type Decode = (v: unknown) => unknown;

/** How one schema node's values become JSON values (undefined: absent). */
function decoderOf(node: SchemaTree, digits: TimestampDigits): Decode {
  const e = node.element;
  const isList = e.converted_type === "LIST" || e.logical_type?.type === "LIST";
  if (isList) {
    const repeated = node.children[0]!;
    const element = repeated.children.length === 1 && repeated.children[0] ? repeated.children[0] : repeated;
    const inner = decoderOf(element, digits);
    return (v) => (v == null ? undefined : (v as unknown[]).map((x) => inner(x) ?? null));
  }
  if (node.children.length) {
    const fields = node.children.map((c) => [c.element.name, decoderOf(c, digits)] as const);
    return (v) => {
      if (v == null) return undefined;
      const out: Record<string, unknown> = {};
      for (const [k, d] of fields) {
        const x = d((v as Record<string, unknown>)[k]);
        if (x !== undefined) out[k] = x;
      }
      return out;
    };
  }
  if (e.logical_type?.type === "JSON" || e.converted_type === "JSON")
    return (v) =>
      v == null ? undefined : JSON.parse(typeof v === "string" ? v : utf8.decode(v as Uint8Array));
  if (e.logical_type?.type === "TIMESTAMP" || e.converted_type?.startsWith("TIMESTAMP"))
    return (v) => (v == null ? undefined : formatMicros(v as bigint, digits));
  if (e.type === "INT64" || e.type === "INT32") return (v) => (v == null ? undefined : Number(v));
  if (e.type === "BYTE_ARRAY" && e.converted_type !== "UTF8" && e.logical_type?.type !== "STRING")
    return (v) => (v == null ? undefined : v instanceof Uint8Array ? utf8.decode(v) : v);
  return (v) => (v == null ? undefined : v);
}

function metadataJson(meta: FileMetaData, key: string): Record<string, unknown> | undefined {
  const kv = meta.key_value_metadata?.find((x) => x.key === key);
  return kv?.value ? (JSON.parse(kv.value) as Record<string, unknown>) : undefined;
}

function bboxOf(b: Record<string, number | null | undefined> | undefined): number[] | undefined {
  if (!b) return undefined;
  const { xmin, ymin, xmax, ymax, zmin, zmax } = b;
  if (zmin != null && zmax != null) return [xmin!, ymin!, zmin, xmax!, ymax!, zmax];
  return [xmin!, ymin!, xmax!, ymax!] as BBox;
}

/** A file opened for reading: its metadata now, its items a range of rows at a time. */
export interface StacGeoparquetFile {
  collections: StacCollection[];
  geo?: Record<string, unknown>;
  rows: number;
  /** Items of rows [start, end). */
  items(start: number, end: number): Promise<StacItem[]>;
}

/** The whole file's items (and collections) from its bytes. */
export async function readStacGeoparquet(bytes: Uint8Array): Promise<StacGeoparquet> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const f = await openStacGeoparquetFile(file);
  return { items: await f.items(0, f.rows), collections: f.collections, ...(f.geo ? { geo: f.geo } : {}) };
}

/** Opens a file (an ArrayBuffer, or ranged reads of one: hyparquet's AsyncBuffer) by its footer. */
export async function openStacGeoparquetFile(file: AsyncBuffer): Promise<StacGeoparquetFile> {
  const metadata = await parquetMetadataAsync(file, { geoparquet: false });
  const digits = (metadataJson(metadata, TIMESTAMP_TEXT_KEY) ?? {}) as Record<string, TimestampDigits>;
  const members = new Set((metadataJson(metadata, MEMBERS_KEY) ?? []) as unknown as string[]);
  const geo = metadataJson(metadata, "geo");
  const geometryColumn = (geo?.["primary_column"] as string | undefined) ?? "geometry";
  const stac = metadataJson(metadata, "stac-geoparquet");
  const collections = [
    ...Object.values((stac?.["collections"] as Record<string, StacCollection> | undefined) ?? {}),
    ...(stac?.["collection"] ? [stac["collection"] as StacCollection] : []),
  ];
  const tree = parquetSchema(metadata);
  const decoders = new Map(
    tree.children.map((c) => [c.element.name, decoderOf(c, digits[c.element.name] ?? "min")]),
  );
  const read = async (rowStart: number, rowEnd: number) => {
    const rows = await parquetReadObjects({
      file,
      metadata,
      rowStart,
      rowEnd,
      utf8: false,
      geoparquet: false,
      parsers: {
        timestampFromMicroseconds: (v: bigint) => v,
        timestampFromMilliseconds: (v: bigint) => BigInt(v) * 1000n,
        timestampFromNanoseconds: (v: bigint) => BigInt(v) / 1000n,
        jsonFromBytes: (b: Uint8Array) => b && utf8.decode(b),
      },
    });
    const has = (name: string) => decoders.has(name);
    const items = rows.map((row): StacItem => {
      const get = (name: string) => decoders.get(name)?.(row[name]);
      const properties: Record<string, unknown> = {};
      for (const name of decoders.keys()) {
        if (
          (ITEM_COLUMNS as readonly string[]).includes(name) ||
          name === geometryColumn ||
          members.has(name) ||
          name === TIMESTAMP_TEXT_COLUMN
        )
          continue;
        const v = get(name);
        if (v !== undefined) properties[name] = v;
      }
      Object.assign(properties, get(TIMESTAMP_TEXT_COLUMN) ?? {});
      properties["datetime"] ??= null;
      const raw = row[geometryColumn] as Uint8Array | string | null | undefined;
      const item: Record<string, unknown> = {
        type: get("type") ?? "Feature",
        stac_version: get("stac_version"),
        stac_extensions: get("stac_extensions"),
        id: get("id"),
        collection: get("collection"),
        geometry:
          raw == null
            ? null
            : wkbToGeometry(typeof raw === "string" ? Uint8Array.from(raw, (c) => c.charCodeAt(0)) : raw),
        bbox: bboxOf(get("bbox") as Record<string, number> | undefined),
        properties,
        links: has("links") ? get("links") : [],
        assets: has("assets") ? get("assets") : {},
      };
      for (const name of members) item[name] = get(name);
      for (const k of Object.keys(item)) if (item[k] === undefined) delete item[k];
      if (item["links"]) item["links"] = (item["links"] as Link[]).filter((l) => l !== null);
      if (item["assets"]) item["assets"] = item["assets"] as Record<string, Asset>;
      return item as unknown as StacItem;
    });
    return items;
  };
  return {
    collections,
    ...(geo ? { geo } : {}),
    rows: Number(metadata.num_rows),
    items: (start, end) => (end > start ? read(start, end) : Promise.resolve([])),
  };
}
