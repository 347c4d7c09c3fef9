// What the index stores for an item: the item record, a time row and spatial rows, each carrying a
// summary (geometry, time, searchable properties) so that a search decides on rows alone and reads
// full items only for the page it returns.

import { getHexagonAreaAvg } from "h3-js";
import { geometryBBox, normalizeGeometry } from "../geo/normalize.ts";
import type { BBox, Geometry, StacItem } from "../stac/types.ts";
import { adaptiveCover, approxAreaKm2, cellToKey, coverCells } from "./cells.ts";
import { cellRowKey, FINE_RES, GROUP_RES, groupRowKey, itemKey, type Key, timeRowKey } from "./keys.ts";
import { toIndexTime } from "./time.ts";

/**
 * How footprints are indexed. An item touching at most `maxFineCells` cells of FINE_RES gets one row
 * per such cell plus one group row per GROUP_RES cell it touches; a larger one gets the compacted
 * `coarse` cover (resolution 0–2, or the root for orbit-long strips).
 */
export const ITEM_INDEX = {
  maxFineCells: 12,
  coarse: { maxCells: 8, minRes: 0, maxRes: GROUP_RES },
} as const;
/** @deprecated kept for callers of the old name: the coarse cover. */
export const ITEM_COVER = ITEM_INDEX.coarse;

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

/** The index cells of a footprint: fine cells (FINE_RES) and group cells, or coarse cells. */
export interface ItemCells {
  cells: string[];
  groups: string[];
}

const FINE_KM2 = getHexagonAreaAvg(FINE_RES, "km2");
// Revisits share footprints (a Sentinel-2 tile, a relative orbit's frame): covers are worth caching.
const coverCache = new Map<string, ItemCells>();
const COVER_CACHE_SIZE = 20_000;

export function itemCells(g: Geometry): ItemCells {
  const key = JSON.stringify(g);
  const hit = coverCache.get(key);
  if (hit) return hit;
  let out: ItemCells | undefined;
  // Overlapping containment at FINE_RES and GROUP_RES (not truncated ancestors): a search area and an
  // item that share a point share the cell of each resolution containing that point.
  if (approxAreaKm2(g) / FINE_KM2 <= 2 * ITEM_INDEX.maxFineCells) {
    const fine = coverCells(g, FINE_RES);
    if (fine.size <= ITEM_INDEX.maxFineCells) {
      const groups = [...coverCells(g, GROUP_RES)].map(cellToKey).sort();
      out = { cells: [...fine].map(cellToKey).sort(), groups };
    }
  }
  if (!out) {
    const coarse = adaptiveCover(g, ITEM_INDEX.coarse);
    const groups = coarse.res === GROUP_RES ? [...coverCells(g, GROUP_RES)].map(cellToKey).sort() : [];
    out = { cells: coarse.keys, groups };
  }
  if (coverCache.size >= COVER_CACHE_SIZE) coverCache.clear();
  coverCache.set(key, out);
  return out;
}

export function buildItemRows(item: StacItem, version: string): ItemRows {
  const summary = summarize(item, version);
  const { collection, id, datetime } = summary;
  const rows: IndexRow[] = [{ ...timeRowKey(collection, datetime, id), summary }];
  let cells: string[] = [];
  if (summary.geometry) {
    const c = itemCells(summary.geometry);
    cells = c.cells;
    for (const cell of c.cells) rows.push({ ...cellRowKey(collection, cell, datetime, id), summary });
    for (const cell of c.groups) rows.push({ ...groupRowKey(collection, cell, datetime, id), summary });
  }
  return { record: itemKey(collection, id), rows, summary, cells };
}
