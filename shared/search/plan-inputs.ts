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

/** Plan inputs for the collections searched, with counts when the catalogue keeps them (one BatchGet). */
export async function planCollections(
  catalogue: Catalogue,
  collections: CollectionRecord[],
  geometry: Geometry | undefined,
): Promise<PlanCollection[]> {
  const counts = catalogue.rowCounts
    ? await catalogue.rowCounts(
        collections.map((c) => c.collection.id),
        areaBaseCells(geometry),
      )
    : new Map<string, Record<string, number>>();
  return collections.map((c) => planCollection(c, counts.get(c.collection.id)));
}
