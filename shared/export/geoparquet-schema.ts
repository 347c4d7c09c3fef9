// The columns of a stac-geoparquet file, decided from the items it will hold: the spec's fixed columns,
// one column per item property, a struct field per link and asset field, each typed by its values
// (column-kinds.ts), and the Parquet schema elements that write them.
import type { SchemaElement } from "hyparquet";
import type { Geometry, StacItem } from "../stac/types.ts";
import {
  addValue,
  digitsOf,
  finalKind,
  type Kind,
  type KindState,
  type TimestampDigits,
} from "./column-kinds.ts";
import { hasZ } from "./wkb.ts";

/** The item's own fields; properties are columns beside them and may not take these names. */
export const ITEM_COLUMNS = [
  "type",
  "stac_version",
  "stac_extensions",
  "id",
  "geometry",
  "bbox",
  "links",
  "assets",
  "collection",
] as const;
/** Per row, the text of timestamps whose column's one width would not write them back as they were. */
export const TIMESTAMP_TEXT_COLUMN = "hexarchive:timestamp_text";
const RESERVED = new Set<string>([...ITEM_COLUMNS, "properties", TIMESTAMP_TEXT_COLUMN]);

/** Timestamp columns of mixed widths (column-kinds.ts `mixed`). */
export const mixedTimestamps = (plan: ColumnPlan): string[] =>
  [...plan.properties].filter(([, s]) => s.mixed && finalKind(s) === "timestamp").map(([k]) => k);

/** Properties written as timestamps whenever their text allows (and any other RFC 3339 UTC value). */
export const TIMESTAMP_PROPERTIES = ["datetime", "start_datetime", "end_datetime", "created", "updated"];

export interface ColumnPlan {
  properties: Map<string, KindState>;
  /** Top-level fields of items beyond the STAC ones. */
  members: Map<string, KindState>;
  links: Map<string, KindState>;
  /** Asset key → field → kind; no keys at all: `assets` is a JSON column. */
  assets: Map<string, Map<string, KindState>>;
  bboxZ: boolean;
  geometryTypes: Set<string>;
  /** [xmin, ymin, xmax, ymax] of every geometry's coordinates. */
  extent: [number, number, number, number] | undefined;
  items: number;
}

export class UnsupportedItemError extends Error {}

export function newPlan(): ColumnPlan {
  return {
    properties: new Map(),
    members: new Map(),
    links: new Map([
      ["href", {}],
      ["rel", {}],
    ]),
    assets: new Map(),
    bboxZ: false,
    geometryTypes: new Set(),
    extent: undefined,
    items: 0,
  };
}

const stateOf = (m: Map<string, KindState>, k: string): KindState => {
  let s = m.get(k);
  if (!s) {
    s = {};
    m.set(k, s);
  }
  return s;
};

/** Widens the plan to hold this item; refuses what the format cannot hold rather than drop it. */
export function planItem(plan: ColumnPlan, item: StacItem): void {
  // Foreign members (GeoJSON allows them) are JSON columns of their own, named in the file's metadata.
  for (const k of Object.keys(item))
    if (!RESERVED.has(k)) addValue(stateOf(plan.members, k), (item as never)[k]);
  for (const [k, v] of Object.entries(item.properties ?? {})) {
    if (RESERVED.has(k) || plan.members.has(k))
      throw new UnsupportedItemError(`item '${item.id}': property '${k}' collides with an item field`);
    // A null datetime (a range instead) is what the reader restores for no value.
    if (k === "datetime" && v === null) continue;
    addValue(stateOf(plan.properties, k), v, true);
  }
  for (const l of item.links ?? [])
    for (const [k, v] of Object.entries(l)) addValue(stateOf(plan.links, k), v);
  for (const [key, a] of Object.entries(item.assets ?? {})) {
    let fields = plan.assets.get(key);
    if (!fields) {
      fields = new Map([["href", {}]]);
      plan.assets.set(key, fields);
    }
    for (const [k, v] of Object.entries(a)) addValue(stateOf(fields, k), v);
  }
  if ((item.bbox?.length ?? 0) === 6) plan.bboxZ = true;
  if (item.geometry) {
    plan.geometryTypes.add(`${item.geometry.type}${hasZ(item.geometry) ? " Z" : ""}`);
    plan.extent = widen(plan.extent, item.geometry);
  }
  plan.items++;
}

function widen(e: ColumnPlan["extent"], g: Geometry): ColumnPlan["extent"] {
  let [x0, y0, x1, y1] = e ?? [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === "number") {
      x0 = Math.min(x0, c[0]);
      x1 = Math.max(x1, c[0]);
      y0 = Math.min(y0, c[1] as number);
      y1 = Math.max(y1, c[1] as number);
    } else if (Array.isArray(c)) for (const x of c) walk(x);
  };
  if (g.type === "GeometryCollection") {
    let out = e;
    for (const x of g.geometries) out = widen(out, x);
    return out;
  }
  walk(g.coordinates);
  return x0 <= x1 ? [x0, y0, x1, y1] : e;
}

const OPT = "OPTIONAL" as const;

/** Schema elements of one column of a kind (a leaf, or a LIST of leaves). */
export function kindElements(
  name: string,
  kind: Kind,
  repetition: "OPTIONAL" | "REQUIRED" = OPT,
): SchemaElement[] {
  const leaf = (n: string, r: "OPTIONAL" | "REQUIRED"): SchemaElement => {
    switch (kind) {
      case "string":
      case "strings":
        return {
          name: n,
          repetition_type: r,
          type: "BYTE_ARRAY",
          converted_type: "UTF8",
          logical_type: { type: "STRING" },
        };
      case "int":
        return { name: n, repetition_type: r, type: "INT64" };
      case "double":
      case "numbers":
        return { name: n, repetition_type: r, type: "DOUBLE" };
      case "bool":
        return { name: n, repetition_type: r, type: "BOOLEAN" };
      case "timestamp":
        return {
          name: n,
          repetition_type: r,
          type: "INT64",
          converted_type: "TIMESTAMP_MICROS",
          logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MICROS" },
        };
      case "json":
        // Converted type JSON is added once the data is written (geoparquet-write.ts says why).
        return { name: n, repetition_type: r, type: "BYTE_ARRAY", logical_type: { type: "JSON" } };
    }
  };
  if (kind === "strings" || kind === "numbers") return listOf(name, [leaf("element", OPT)], repetition);
  return [leaf(name, repetition)];
}

export function listOf(
  name: string,
  element: SchemaElement[],
  repetition: "OPTIONAL" | "REQUIRED" = OPT,
): SchemaElement[] {
  return [
    {
      name,
      repetition_type: repetition,
      converted_type: "LIST",
      logical_type: { type: "LIST" },
      num_children: 1,
    },
    { name: "list", repetition_type: "REPEATED", num_children: 1 },
    ...element,
  ];
}

/** A struct of typed fields; fields with no value at all are left out. */
export function structOf(name: string, fields: Map<string, KindState>): SchemaElement[] {
  const children = [...fields].flatMap(([k, s]) => {
    const kind = finalKind(s) ?? "string";
    return kindElements(k, kind);
  });
  const count = [...fields].length;
  return [{ name, repetition_type: OPT, num_children: count }, ...children];
}

/** The whole schema, root first, and the timestamp widths the reader uses to write values back. */
export function schemaOf(plan: ColumnPlan): {
  schema: SchemaElement[];
  digits: Record<string, TimestampDigits>;
} {
  const bboxFields = plan.bboxZ
    ? ["xmin", "ymin", "zmin", "xmax", "ymax", "zmax"]
    : ["xmin", "ymin", "xmax", "ymax"];
  const columns: SchemaElement[][] = [
    kindElements("type", "string"),
    kindElements("stac_version", "string"),
    kindElements("stac_extensions", "strings"),
    kindElements("id", "string", "REQUIRED"),
    [{ name: "geometry", repetition_type: OPT, type: "BYTE_ARRAY" }],
    [
      { name: "bbox", repetition_type: OPT, num_children: bboxFields.length },
      ...bboxFields.map((f): SchemaElement => ({ name: f, repetition_type: OPT, type: "DOUBLE" })),
    ],
    listOf("links", structOf("element", plan.links)),
    plan.assets.size
      ? [
          { name: "assets", repetition_type: OPT, num_children: plan.assets.size },
          ...[...plan.assets].flatMap(([k, fields]) => structOf(k, fields)),
        ]
      : kindElements("assets", "json"),
    kindElements("collection", "string"),
  ];
  const digits: Record<string, TimestampDigits> = {};
  for (const k of plan.members.keys()) {
    if (plan.properties.has(k)) throw new UnsupportedItemError(`'${k}' is both an item field and a property`);
    columns.push(kindElements(k, "json"));
  }
  if (mixedTimestamps(plan).length) columns.push(kindElements(TIMESTAMP_TEXT_COLUMN, "json"));
  for (const [k, s] of plan.properties) {
    const kind = finalKind(s);
    if (!kind) continue;
    if (kind === "timestamp") digits[k] = digitsOf(s);
    columns.push(kindElements(k, kind));
  }
  return { schema: [{ name: "root", num_children: columns.length }, ...columns.flat()], digits };
}
