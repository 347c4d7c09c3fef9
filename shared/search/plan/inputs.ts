// What the planner is told about each collection: durations, index levels, the row counts of the
// area's base cells with the collection's time extent, from which it sizes first pages (one round),
// and the grid tiles there (collections with tile rows).
import { getHexagonAreaAvg } from "h3-js";
import { approxAreaKm2, areaCoverKeys } from "../../index/cells.ts";
import { GROUP_RES } from "../../index/keys.ts";
import type { Geometry } from "../../stac/types.ts";
import type {
  CollectionRecord,
  RowCountReader,
  TileFootprint,
  TileFootprintReader,
} from "../../storage/catalogue.ts";
import { FOOTPRINT_KM2, QUERY_COVER } from "./cost.ts";
import { planInputCache } from "./input-cache.ts";
import type { PlanCollection } from "./types.ts";

/** Searches spanning more base cells than this plan without counts (time rows serve them). */
const MAX_COUNTED_BASE_CELLS = 40;

/** Base cells whose row counts a search reads: its area's, unless it spans many. */
export function areaBaseCells(g: Geometry | undefined): string[] {
  if (!g) return [];
  const cells = [...areaCoverKeys(g, 0)];
  return cells.length <= MAX_COUNTED_BASE_CELLS ? cells : [];
}

/**
 * Tile footprints are read for areas touching at most this many res-2 cells (one Query each per
 * collection with tile rows, in parallel): a point reads one. Larger areas read tile items' group rows.
 */
const MAX_TILE_CELLS = 12;

/**
 * Nor for areas meeting more tiles of a Sentinel-2 tile's size (FOOTPRINT_KM2.P) than a plan may make
 * requests, ≈ (√area + √tile)² ÷ tile: no plan could read their tile rows, so the footprints' reads
 * (one per res-1 parent and tiled collection: 10 for the bench's Q6, a 6° × 5° box) would be wasted.
 * About 240,000 km² (a 490 km square).
 */
const MAX_TILE_AREA_KM2 = FOOTPRINT_KM2.P * (Math.sqrt(QUERY_COVER.maxRequests) - 1) ** 2;

/** The res-2 cells whose tile footprints a search reads; undefined for larger areas. */
export function tileCells(g: Geometry): string[] | undefined {
  const area = approxAreaKm2(g);
  if (area / getHexagonAreaAvg(GROUP_RES, "km2") > MAX_TILE_CELLS || area > MAX_TILE_AREA_KM2)
    return undefined;
  const cells = [...areaCoverKeys(g, GROUP_RES)];
  return cells.length <= MAX_TILE_CELLS ? cells : undefined;
}

/** `counted`: the base cells whose row-count records `counts` are of (besides the globe's). */
export function planCollection(
  c: CollectionRecord,
  counts?: Record<string, number>,
  tiles?: TileFootprint[],
  counted?: readonly string[],
): PlanCollection {
  const [from, to] = c.collection.extent?.temporal.interval[0] ?? [];
  return {
    id: c.collection.id,
    maxDurationMs: c.maxDurationMs,
    levels: c.levels,
    indexFeatures: c.indexFeatures,
    rows:
      counts && from && to
        ? { counts, from, to, ...(counted ? { counted: new Set(counted) } : {}) }
        : undefined,
    tiles,
  };
}

/** What the planner's inputs read: row counts and tile footprints, where the catalogue keeps them. */
export type PlanReads = RowCountReader & TileFootprintReader;

/** The listing just read: the next search reads row counts before its own listing is back, and plans from it. */
export function rememberCollections(catalogue: PlanReads, listed: CollectionRecord[]): void {
  planInputCache(catalogue).setCollections(listed);
}

const isTiled = (c: CollectionRecord) => c.levels?.includes("P") === true;

/** Tile footprints of these collections in the area, when it is small enough for tile rows (kept in the cache). */
function readTiles(catalogue: PlanReads, ids: string[], g: Geometry | undefined) {
  if (!g || !catalogue.tileFootprints || ids.length === 0) return undefined;
  const cells = tileCells(g);
  if (!cells) return undefined;
  const read = catalogue.tileFootprints(ids, cells);
  read.then((t) => planInputCache(catalogue).setTileFootprints(t, cells)).catch(() => undefined);
  return read;
}

/** Row counts of these collections in these base cells (kept in the cache). */
function readCounts(catalogue: PlanReads, ids: string[], cells: string[]) {
  if (!catalogue.rowCounts) return Promise.resolve(new Map<string, Record<string, number>>());
  const read = catalogue.rowCounts(ids, cells);
  read.then((c) => planInputCache(catalogue).setRowCounts(c, cells)).catch(() => undefined);
  return read;
}

/** A row-count read started alongside the collection listing. */
export interface RowCountPrefetch {
  geometry: Geometry | undefined;
  collections: ReadonlySet<string>;
  counts: Promise<Map<string, Record<string, number>>>;
  /** Tile footprints of the collections with tile rows (all named ones when their levels are unknown). */
  tiles: { collections: ReadonlySet<string>; read: Promise<Map<string, TileFootprint[]>> | undefined };
}

/**
 * Starts reading the row counts of the collections named (or, unnamed, of those this catalogue listed
 * last) for the search area, so that the read runs in parallel with the collection listing instead of
 * after it. Undefined when neither is known (a new instance's first search) or there are no counts.
 * Counts are estimates: a stale list of collections costs a second read, never a result.
 */
export function prefetchRowCounts(
  catalogue: PlanReads,
  named: string[] | undefined,
  geometry: Geometry | undefined,
): RowCountPrefetch | undefined {
  const before = planInputCache(catalogue).lastListed();
  const ids = named ?? before?.map((c) => c.collection.id);
  if (!catalogue.rowCounts || !ids || ids.length === 0) return undefined;
  const counts = readCounts(catalogue, ids, areaBaseCells(geometry));
  const tiledBefore = before && new Set(before.filter(isTiled).map((c) => c.collection.id));
  const tiled = tiledBefore ? ids.filter((id) => tiledBefore.has(id)) : ids;
  const tiles = readTiles(catalogue, tiled, geometry);
  // Awaited by planCollections, or dropped when the search ends before planning (a 400).
  counts.catch(() => undefined);
  tiles?.catch(() => undefined);
  return { geometry, collections: new Set(ids), counts, tiles: { collections: new Set(tiled), read: tiles } };
}

/** Whether the prefetched reads hold every input of these collections in this area (no read after the listing). */
export function prefetchCovers(
  prefetched: RowCountPrefetch | undefined,
  collections: CollectionRecord[],
  geometry: Geometry | undefined,
): boolean {
  return (
    prefetched !== undefined &&
    prefetched.geometry === geometry &&
    collections.every((c) => prefetched.collections.has(c.collection.id)) &&
    collections.filter(isTiled).every((c) => prefetched.tiles.collections.has(c.collection.id))
  );
}

/**
 * Plan inputs for the collections searched, with counts when the catalogue keeps them: the prefetched
 * read when it covers these collections and this area, else one BatchGet now.
 */
export async function planCollections(
  catalogue: PlanReads,
  collections: CollectionRecord[],
  geometry: Geometry | undefined,
  prefetched?: RowCountPrefetch,
): Promise<PlanCollection[]> {
  const usable =
    prefetched !== undefined &&
    prefetched.geometry === geometry &&
    collections.every((c) => prefetched.collections.has(c.collection.id));
  const cells = areaBaseCells(geometry);
  const tiled = collections.filter(isTiled).map((c) => c.collection.id);
  const tilesUsable = usable && tiled.every((id) => prefetched!.tiles.collections.has(id));
  const [counts, tiles] = await Promise.all([
    usable && prefetched
      ? prefetched.counts
      : readCounts(
          catalogue,
          collections.map((c) => c.collection.id),
          cells,
        ),
    tilesUsable ? prefetched!.tiles.read : readTiles(catalogue, tiled, geometry),
  ]);
  // The prefetch read the same base cells: areaBaseCells of the same geometry.
  const counted = catalogue.rowCounts ? cells : undefined;
  return collections.map((c) =>
    planCollection(c, counts.get(c.collection.id), tiles?.get(c.collection.id), counted),
  );
}

/**
 * The same inputs from this process's cache alone (no read), when it holds every one of them: the
 * plan a warm instance starts reading at once (plan/speculate.ts). Tiles of collections without tile
 * rows are not looked up: a plan reads tile rows only for those.
 */
export function cachedPlanCollections(
  catalogue: PlanReads,
  collections: CollectionRecord[],
  geometry: Geometry | undefined,
): PlanCollection[] | undefined {
  const cache = planInputCache(catalogue);
  const cells = areaBaseCells(geometry);
  const tiled = geometry && catalogue.tileFootprints ? tileCells(geometry) : undefined;
  const out: PlanCollection[] = [];
  for (const c of collections) {
    const id = c.collection.id;
    const counts = catalogue.rowCounts ? cache.rowCounts(id, cells) : undefined;
    if (catalogue.rowCounts && !counts) return undefined;
    const tiles = tiled && isTiled(c) ? cache.tileFootprints(id, tiled) : undefined;
    if (tiled && isTiled(c) && !tiles) return undefined;
    out.push(planCollection(c, counts, tiles, catalogue.rowCounts ? cells : undefined));
  }
  return out;
}
