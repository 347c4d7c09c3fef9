// What the index stores for an item: the item record, a time row and spatial rows, each carrying a
// summary (geometry, time, searchable properties) so that a search decides on rows alone and reads
// full items only for the page it returns.
import { geometryBBox, normalizeGeometry } from "../geo/normalize.ts";
import type { BBox, Geometry, StacItem } from "../stac/types.ts";
import { adaptiveCover } from "./cells.ts";
import { itemKey, type Key, spatialRowKey, timeRowKey } from "./keys.ts";
import { toIndexTime } from "./time.ts";

/** How finely footprints are indexed: at most this many cells per item, resolutions in this range. */
export const ITEM_COVER = { maxCells: 8, minRes: 0, maxRes: 7 } as const;

export interface ItemSummary {
  collection: string;
  id: string;
  /** Sort instant: properties.datetime, else start_datetime. */
  datetime: string;
  start: string;
  end: string;
  geometry: Geometry | null;
  bbox: BBox | null;
  /** Scalar and short-array properties, for filters that run on rows. */
  properties: Record<string, unknown>;
  /** Version of the item the row was written for; rows of older versions are ignored. */
  version: string;
}

export interface IndexRow extends Key {
  summary: ItemSummary;
}

export interface ItemRows {
  record: Key;
  rows: IndexRow[];
  summary: ItemSummary;
  cells: string[];
}

function searchableProperties(props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) {
    if (typeof v === "number" || typeof v === "boolean") out[k] = v;
    else if (typeof v === "string" && v.length <= 200) out[k] = v;
    else if (
      Array.isArray(v) &&
      v.length <= 16 &&
      v.every((x) => typeof x === "string" || typeof x === "number")
    )
      out[k] = v;
  }
  return out;
}

export function summarize(item: StacItem, version: string): ItemSummary {
  const p = item.properties;
  const start = toIndexTime(String(p["start_datetime"] ?? p.datetime));
  const end = toIndexTime(String(p["end_datetime"] ?? p.datetime ?? p["start_datetime"]));
  const datetime = p.datetime ? toIndexTime(p.datetime) : start;
  const geometry = item.geometry ? normalizeGeometry(item.geometry) : null;
  return {
    collection: item.collection!,
    id: item.id,
    datetime,
    start,
    end,
    geometry,
    bbox: geometry ? geometryBBox(geometry) : null,
    properties: searchableProperties(p),
    version,
  };
}

export function buildItemRows(item: StacItem, version: string): ItemRows {
  const summary = summarize(item, version);
  const { collection, id, datetime } = summary;
  const rows: IndexRow[] = [{ ...timeRowKey(collection, datetime, id), summary }];
  let cells: string[] = [];
  if (summary.geometry) {
    cells = adaptiveCover(summary.geometry, ITEM_COVER).keys;
    for (const cell of cells) rows.push({ ...spatialRowKey(cell, datetime, collection, id), summary });
  }
  return { record: itemKey(collection, id), rows, summary, cells };
}
