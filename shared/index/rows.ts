// What the index stores for an item: the item record, a time row and spatial rows, each carrying a
// summary (geometry, time, searchable properties) so that a search decides on rows alone and reads
// full items only for the page it returns.

import { getHexagonAreaAvg, latLngToCell } from "h3-js";
import { geometryBBox, normalizeGeometry } from "../geo/normalize.ts";
import type { BBox, Geometry, StacItem } from "../stac/types.ts";
import { baseCellsOf } from "./base-cells.ts";
import { approxAreaKm2, cellToKey, coverCells, ROOT_KEY } from "./cells.ts";
import {
  baseRowKey,
  CLOUD_BANDS,
  cellRowKey,
  cloudBandRowKey,
  FINE_RES,
  FOOTPRINT_TILE_RES,
  footprintTileCode,
  GROUP_RES,
  groupRowKey,
  itemKey,
  type Key,
  type Level,
  tileRowKey,
  timeRowKey,
} from "./keys.ts";
import { toIndexTime } from "./time.ts";

/**
 * How footprints are indexed, by size (rows per item measured in docs/index-design.md):
 * - fine: at most `maxFineArea` FINE_RES cells of area and touching at most `maxFineCells` of them (a
 *   Sentinel-2 tile is ≈ 1 cell of area and touches 4–7): one cell row per such cell plus one group row
 *   per GROUP_RES cell it touches;
 * - medium: touching at most `maxMediumCells` cells of GROUP_RES (a Sentinel-1 scene touches 3–5): one
 *   group row per such cell, nothing finer (a scene has 9–14 fine cells: too many rows for its share).
 *   Group rows, not res-2 cell rows, so that an area search reads one range per res-2 cell for both;
 * - large: touching at most `maxLargeCells` GROUP_RES cells (boxes of ≈ 400–1,000 km): one res-2 cell
 *   row per such cell (level "2", a range of their own), not res-1 rows: in a res-1 cell (≈ 780 km
 *   across) a point matched one in 10 of them (docs/index-design.md, Finer rows for large items);
 * - coarse: the res-1 cells they touch, up to `coarse.maxCells` (Sentinel-3 swaths touch 5–10 res-1
 *   cells and 22–39 res-2 cells; boxes up to ≈ 3,000 km up to 30);
 * - strips: the res-0 cells they touch, up to `maxStripCells` (orbit-long Sentinel-5P strips touch
 *   ~25 of the 122 base cells, and ≥ 98 res-1 cells); larger footprints the root.
 * Revisits of a fixed tile (`tileOf`, else the footprint's own: `footprintTileOf`) up to medium size
 * instead get one tile row and their group rows. Every item up to coarse size also gets a base row
 * per res-0 cell it touches (keys.ts level "B": one or two for a tile, 2–4 for a swath), so that an
 * area too large for group ranges (a continent, a polar cap) reads its few res-0 cells.
 */
export const ITEM_INDEX: ItemIndex = {
  maxFineArea: 2,
  maxFineCells: 8,
  maxMediumCells: 8,
  maxLargeCells: 16,
  coarse: { maxCells: 30, minRes: 1, maxRes: 1 },
  maxStripCells: 40,
};

/** The size classes' bounds (ITEM_INDEX). */
export interface ItemIndex {
  readonly maxFineArea: number;
  readonly maxFineCells: number;
  readonly maxMediumCells: number;
  /** 0: no large class (as before 2026-12-08: such items were coarse or strips). */
  readonly maxLargeCells: number;
  readonly coarse: { readonly maxCells: number; readonly minRes: number; readonly maxRes: number };
  readonly maxStripCells: number;
}

/**
 * The bounds before large items got res-2 rows (2026-12-08): catalogues indexed then hold their boxes
 * of ≈ 400–1,000 km as res-1 rows and of ≈ 2,000–3,000 km as strips (tests build such rows).
 */
export const ITEM_INDEX_BEFORE_LARGE: ItemIndex = {
  ...ITEM_INDEX,
  maxLargeCells: 0,
  coarse: { ...ITEM_INDEX.coarse, maxCells: 12 },
};
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
  /** Index level when the key alone does not tell it (group rows of medium items: "M"). */
  level?: Level;
  /** Tile rows: the tile, and the res-2 cells whose tile footprints must hold the item's bbox. */
  tile?: { code: string; cells: string[] };
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
  /** Medium item: group rows only (level "M"). */
  medium?: boolean;
  /** Tile item: its tile footprints are those of its group cells. */
  tile?: boolean;
  /** Items up to coarse size: the res-0 cells they touch (base rows). */
  bases?: string[];
}

/** Grid tile codes: short, and safe in a partition key. */
const TILE_CODE = /^[A-Za-z0-9][A-Za-z0-9_.:+-]{0,63}$/;

/**
 * Orbit frames: seconds of orbit time from the ascending node per frame. Sentinel-1 slices are ~25 s
 * (IW, SM) or ~60 s (EW) long; a frame shorter than a slice keeps one slice position per frame.
 */
export const ORBIT_FRAME_SECONDS = 10;

/**
 * The fixed tile an item revisits, when its properties name one: STAC `grid:code`, else the MGRS
 * extension's fields (or Earth Search v0's `sentinel:*` ones) or `s2:mgrs_tile` (Sentinel-2), else
 * Landsat's WRS-2 path and row, else an orbit frame: the relative orbit, its direction, the SAR mode
 * when given, and the position along it (time since the ascending node, `sat:anx_datetime`; without it
 * the latitude of the footprint's centre, by degree). Scenes of one relative orbit repeat their ground
 * track, as Sentinel-1 slices do.
 */
export function tileOf(p: Record<string, unknown>, bbox?: BBox | null): string | undefined {
  const str = (k: string) => {
    const v = p[k];
    return typeof v === "string" || typeof v === "number" ? String(v) : undefined;
  };
  let code = str("grid:code");
  for (const ns of ["mgrs", "sentinel"]) {
    // The MGRS extension, or Earth Search v0's sentinel:* fields.
    const [zone, band, square] = [
      str(`${ns}:utm_zone`),
      str(`${ns}:latitude_band`),
      str(`${ns}:grid_square`),
    ];
    if (!code && zone && band && square) code = `MGRS-${zone.padStart(2, "0")}${band}${square}`;
  }
  if (!code && str("s2:mgrs_tile")) code = `MGRS-${str("s2:mgrs_tile")}`;
  const [path, row] = [str("landsat:wrs_path"), str("landsat:wrs_row")];
  if (!code && path && row) code = `WRS2-${path.padStart(3, "0")}${row.padStart(3, "0")}`;
  if (!code) code = orbitFrame(p, bbox);
  return code && TILE_CODE.test(code) ? code : undefined;
}

function orbitFrame(p: Record<string, unknown>, bbox?: BBox | null): string | undefined {
  const orbit = p["sat:relative_orbit"];
  if (typeof orbit !== "number" || !Number.isInteger(orbit) || orbit < 0) return undefined;
  const state = p["sat:orbit_state"];
  const dir = state === "ascending" ? "A" : state === "descending" ? "D" : "X";
  // Modes of one orbit image different swaths (Sentinel-1 IW, EW, SM, WV).
  const mode = typeof p["sar:instrument_mode"] === "string" ? `-${p["sar:instrument_mode"]}` : "";
  const start = Date.parse(String(p["start_datetime"] ?? p["datetime"]));
  const anx = Date.parse(String(p["sat:anx_datetime"]));
  const sinceAnx = (start - anx) / 1000;
  // An orbit lasts under two hours: a larger offset is not this orbit's ascending node.
  if (Number.isFinite(sinceAnx) && sinceAnx >= 0 && sinceAnx < 7_200)
    return `ORBIT-${orbit}${dir}${mode}-T${Math.floor(sinceAnx / ORBIT_FRAME_SECONDS)}`;
  if (!bbox) return undefined;
  return `ORBIT-${orbit}${dir}${mode}-L${Math.floor((bbox[1] + bbox[3]) / 2)}`;
}

/**
 * The footprint tile of an item that names none (keys.ts `footprintTileCode`): revisits of one
 * footprint — a Sentinel-2 tile's full and edge passes, a relative orbit's slice give or take a few km —
 * mostly get one code whatever their properties say. Footprints of one area class centred in one
 * res-3 cell share it even if they are not revisits (neighbouring tiles, 100 km apart, sometimes do):
 * their tile's box holds them all (more rows read, never fewer results). A revisit whose centre
 * crosses a cell's edge, or whose area crosses a power of four, starts a second tile.
 */
export function footprintTileOf(g: Geometry, bbox: BBox): string {
  const [w, s, e, n] = bbox;
  // STAC bboxes cross the antimeridian with west > east.
  const lon = w <= e ? (w + e) / 2 : (((w + e + 360) / 2 + 180) % 360) - 180;
  const cell = cellToKey(latLngToCell((s + n) / 2, lon, FOOTPRINT_TILE_RES));
  return footprintTileCode(Math.floor(Math.log(Math.max(1, approxAreaKm2(g))) / Math.log(4)), cell);
}

const FINE_KM2 = getHexagonAreaAvg(FINE_RES, "km2");
const GROUP_KM2 = getHexagonAreaAvg(GROUP_RES, "km2");
/**
 * Revisits share footprints (a Sentinel-2 tile, a relative orbit's frame): covers are worth caching,
 * least recently used first out, within a budget of characters (keys and cells) per thread. Loads that
 * stream any number of items (bench, Lambda ingest) keep it bounded: 4 M characters hold ≈ 8,000 covers
 * of tile-less footprints, ≈ 9 MB of heap, where a 100,000-entry cap held ≈ 64 MB per thread; on the
 * bench's no-tiles catalogue it still serves 12 % of covers, against 15.5 % at most.
 */
export const COVER_CACHE_CHARS = 4_000_000;
const coverCache = new Map<string, { cells: ItemCells; chars: number }>();
let coverCacheChars = 0;
/** Map and object overhead of one entry, counted in characters. */
const ENTRY_CHARS = 200;

/** Cached covers now held: entries and their characters (for tests and the bench). */
export function coverCacheUse(): { entries: number; chars: number } {
  return { entries: coverCache.size, chars: coverCacheChars };
}

const keysOf = (cells: Iterable<string>) => [...cells].map(cellToKey).sort();

/** An item's cells by the size classes of `index` (ITEM_INDEX; uncached: `itemCells` caches). */
export function computeItemCells(g: Geometry, tile: boolean, index: ItemIndex = ITEM_INDEX): ItemCells {
  // Overlapping containment at every resolution (not truncated ancestors): a search area and an item
  // that share a point share the cell of each resolution containing that point.
  const area = approxAreaKm2(g);
  // Up to large size (≤ maxLargeCells res-2 cells touched): the item's res-2 cells; up to medium
  // size (≤ maxMediumCells) its group cells.
  const maxRes2 = Math.max(index.maxMediumCells, index.maxLargeCells);
  const cover2 = area / GROUP_KM2 <= 2 * maxRes2 ? coverCells(g, GROUP_RES) : undefined;
  const groups = cover2 && cover2.size <= index.maxMediumCells ? keysOf(cover2) : undefined;
  // A tile revisit: a tile row instead of fine cell rows, and group rows for area searches.
  const bases = () => keysOf(baseCellsOf(g));
  if (tile && groups) return { cells: [], groups, tile: true, bases: bases() };
  // By area first: a Sentinel-1 scene (≈ 3.5 fine cells of area) may touch as few fine cells as a tile.
  if (area <= index.maxFineArea * FINE_KM2) {
    const fine = coverCells(g, FINE_RES);
    if (fine.size <= index.maxFineCells)
      return {
        cells: keysOf(fine),
        groups: groups ?? keysOf(cover2 ?? coverCells(g, GROUP_RES)),
        bases: bases(),
      };
  }
  if (groups) return { cells: [], groups, medium: true, bases: bases() };
  // Large: res-2 cell rows, a range apart from the group rows (a fine plan reads it only for
  // collections with large items, level "2").
  if (cover2 && cover2.size <= index.maxLargeCells)
    return { cells: keysOf(cover2), groups: [], bases: bases() };
  // Uncompacted: a collection's coarse items then sit at one level (Sentinel-3 at res 1 only), so a
  // search reads one range per cell of one resolution for them, not res-1 and res-0 ranges.
  if (area / getHexagonAreaAvg(1, "km2") <= 2 * index.coarse.maxCells) {
    const coarse = coverCells(g, 1);
    if (coarse.size <= index.coarse.maxCells) return { cells: keysOf(coarse), groups: [], bases: bases() };
  }
  const base = coverCells(g, 0);
  return { cells: base.size <= index.maxStripCells ? keysOf(base) : [ROOT_KEY], groups: [] };
}

export function itemCells(g: Geometry, tile = false): ItemCells {
  const key = `${tile ? "T" : ""}${JSON.stringify(g)}`;
  const hit = coverCache.get(key);
  if (hit) {
    // Most recently used last: Map order is insertion order.
    coverCache.delete(key);
    coverCache.set(key, hit);
    return hit.cells;
  }
  const cells = computeItemCells(g, tile);
  const chars =
    ENTRY_CHARS +
    key.length +
    [...cells.cells, ...cells.groups, ...(cells.bases ?? [])].reduce((n, c) => n + c.length, 0);
  coverCache.set(key, { cells, chars });
  coverCacheChars += chars;
  for (const [oldest, entry] of coverCache) {
    if (coverCacheChars <= COVER_CACHE_CHARS) break;
    coverCache.delete(oldest);
    coverCacheChars -= entry.chars;
  }
  return cells;
}

/** The cloud bands (keys.ts CLOUD_BANDS) an item's `eo:cloud_cover` puts it in. */
export function cloudBandsOf(p: Record<string, unknown>): number[] {
  const cc = p["eo:cloud_cover"];
  return typeof cc === "number" && Number.isFinite(cc) ? CLOUD_BANDS.filter((b) => cc <= b) : [];
}

/**
 * An item's record key, summary and rows. `index`: the size classes (ITEM_INDEX; tests build the rows
 * that older bounds wrote, ITEM_INDEX_BEFORE_LARGE).
 */
export function buildItemRows(item: StacItem, version: string, index: ItemIndex = ITEM_INDEX): ItemRows {
  const summary = summarize(item, version);
  const { collection, id, datetime } = summary;
  const rows: IndexRow[] = [{ ...timeRowKey(collection, datetime, id), summary }];
  let cells: string[] = [];
  if (summary.geometry) {
    const tile =
      tileOf(item.properties, summary.bbox) ??
      (summary.bbox ? footprintTileOf(summary.geometry, summary.bbox) : undefined);
    const c =
      index === ITEM_INDEX
        ? itemCells(summary.geometry, tile !== undefined)
        : computeItemCells(summary.geometry, tile !== undefined, index);
    cells = c.medium || c.tile ? c.groups : c.cells;
    if (tile && c.tile) {
      rows.push({
        ...tileRowKey(collection, tile, datetime, id),
        summary,
        tile: { code: tile, cells: c.groups },
      });
      for (const band of cloudBandsOf(summary.properties))
        rows.push({ ...cloudBandRowKey(collection, tile, band, datetime, id), summary });
    }
    for (const cell of c.cells) rows.push({ ...cellRowKey(collection, cell, datetime, id), summary });
    for (const cell of c.groups)
      rows.push({
        ...groupRowKey(collection, cell, datetime, id),
        summary,
        ...(c.medium ? { level: "M" } : {}),
      });
    for (const cell of c.bases ?? []) rows.push({ ...baseRowKey(collection, cell, datetime, id), summary });
  }
  return { record: itemKey(collection, id), rows, summary, cells };
}
