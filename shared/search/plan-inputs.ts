// What the planner is told about each collection: durations, index levels, and the row counts of the
// area's base cells with the collection's time extent, from which it sizes first pages (one round).
import { cellToKey, coverCells } from "../index/cells.ts";
import type { Geometry } from "../stac/types.ts";
import type { Catalogue, CollectionRecord } from "../storage/catalogue.ts";
import type { PlanCollection } from "./planner.ts";

/** Searches spanning more base cells than this plan without counts (time rows serve them). */
const MAX_COUNTED_BASE_CELLS = 40;

/** Base cells whose row counts a search reads: its area's, unless it spans many. */
export function areaBaseCells(g: Geometry | undefined): string[] {
  if (!g) return [];
  const cells = [...coverCells(g, 0)].map(cellToKey);
  return cells.length <= MAX_COUNTED_BASE_CELLS ? cells : [];
}

export function planCollection(c: CollectionRecord, counts?: Record<string, number>): PlanCollection {
  const [from, to] = c.collection.extent?.temporal.interval[0] ?? [];
  return {
    id: c.collection.id,
    maxDurationMs: c.maxDurationMs,
    levels: c.levels,
    rows: counts && from && to ? { counts, from, to } : undefined,
  };
}

/** Collections a catalogue listed last: whose row counts a search may read before its listing is back. */
const listedBefore = new WeakMap<Catalogue, string[]>();

export function rememberCollections(catalogue: Catalogue, listed: CollectionRecord[]): void {
  listedBefore.set(
    catalogue,
    listed.map((c) => c.collection.id),
  );
}

/** A row-count read started alongside the collection listing. */
export interface RowCountPrefetch {
  geometry: Geometry | undefined;
  collections: ReadonlySet<string>;
  counts: Promise<Map<string, Record<string, number>>>;
}

/**
 * Starts reading the row counts of the collections named (or, unnamed, of those this catalogue listed
 * last) for the search area, so that the read runs in parallel with the collection listing instead of
 * after it. Undefined when neither is known (a new instance's first search) or there are no counts.
 * Counts are estimates: a stale list of collections costs a second read, never a result.
 */
export function prefetchRowCounts(
  catalogue: Catalogue,
  named: string[] | undefined,
  geometry: Geometry | undefined,
): RowCountPrefetch | undefined {
  const ids = named ?? listedBefore.get(catalogue);
  if (!catalogue.rowCounts || !ids || ids.length === 0) return undefined;
  const counts = catalogue.rowCounts(ids, areaBaseCells(geometry));
  // Awaited by planCollections, or dropped when the search ends before planning (a 400).
  counts.catch(() => undefined);
  return { geometry, collections: new Set(ids), counts };
}

/**
 * Plan inputs for the collections searched, with counts when the catalogue keeps them: the prefetched
 * read when it covers these collections and this area, else one BatchGet now.
 */
export async function planCollections(
  catalogue: Catalogue,
  collections: CollectionRecord[],
  geometry: Geometry | undefined,
  prefetched?: RowCountPrefetch,
): Promise<PlanCollection[]> {
  const usable =
    prefetched !== undefined &&
    prefetched.geometry === geometry &&
    collections.every((c) => prefetched.collections.has(c.collection.id));
  const counts =
    usable && prefetched
      ? await prefetched.counts
      : catalogue.rowCounts
        ? await catalogue.rowCounts(
            collections.map((c) => c.collection.id),
            areaBaseCells(geometry),
          )
        : new Map<string, Record<string, number>>();
  return collections.map((c) => planCollection(c, counts.get(c.collection.id)));
}
