// Turns a search into DynamoDB queries and picks the cheaper of two plans: cell-first over the H3 rows
// (exact-cell ranges, which are in time order, plus the few rows of finer cells) or time-first over
// each collection's time rows. Both are pre-filters; the executor applies the exact tests.

import { compactCells, getHexagonAreaAvg } from "h3-js";
import { geometryBBox } from "../geo/normalize.ts";
import {
  ancestorKeys,
  approxAreaKm2,
  cellToKey,
  childDigits,
  coverCells,
  keyResolution,
} from "../index/cells.ts";
import {
  cellTimePrefix,
  exactCellRange,
  PARTITION_RES,
  spatialPartition,
  strictDescendantRange,
  TIME_ROW_PREFIX,
  timePartition,
  timeRange,
} from "../index/keys.ts";
import { ITEM_COVER } from "../index/rows.ts";
import { shiftTime } from "../index/time.ts";
import type { Geometry } from "../stac/types.ts";
import type { RowQuery } from "../storage/catalogue.ts";
import type { Interval } from "./datetime.ts";

/** A query whose rows come newest first; `order.prefix` precedes the datetime in every sort key. */
export interface PlannedQuery extends RowQuery {
  order?: { prefix: string };
}

export interface Plan {
  strategy: "cells" | "time";
  queries: PlannedQuery[];
  /** Estimated cost in request units (requests + rows / rows per request), for the choice and for tests. */
  cost?: number;
}

/** Finest query resolution tried; finer than any item cell, so a point reads only ancestors. */
export const QUERY_COVER = { maxRes: ITEM_COVER.maxRes + 2, minRes: PARTITION_RES, maxRequests: 30 } as const;

/**
 * Planner assumptions (no statistics are kept): archive-wide ingest rate, the share of items whose
 * footprint is indexed at the coarse levels every cell plan reads (swaths and orbit strips), and how
 * many rows one request returns.
 */
export const COST_MODEL = { itemsPerDay: 10_000, coarseShare: 0.1, rowsPerRequest: 500 } as const;
const EARTH_KM2 = 510_072_000;

export interface PlanInput {
  geometry?: Geometry | undefined;
  interval: Interval;
  /** Collections to search, each with its longest item duration. */
  collections: { id: string; maxDurationMs: number }[];
}

export function planSearch(input: PlanInput): Plan {
  const time = timePlan(input);
  if (!input.geometry) return time;
  const cells = cellPlan(input);
  return cells && (cells.cost ?? 0) <= (time.cost ?? 0) ? cells : time;
}

function intervalDays(interval: Interval, maxDurMs: number): number {
  const from = Math.max(Date.parse(interval.from) - maxDurMs, Date.UTC(1970, 0, 1));
  const to = Math.min(Date.parse(interval.to), Date.now() + 86_400_000);
  return Math.max(1 / 24, (to - from) / 86_400_000);
}

/** Splits cells coarser than the partition resolution into their children at that resolution. */
function expandToPartitions(keys: string[]): string[] {
  const out: string[] = [];
  const expand = (k: string): void => {
    if (keyResolution(k) >= PARTITION_RES) out.push(k);
    else for (const d of childDigits(k)) expand(k + d);
  };
  keys.forEach(expand);
  return out;
}

/** The query cells at the finest resolution whose plan fits the request budget, or none. */
function queryCells(g: Geometry): string[] | undefined {
  const area = approxAreaKm2(g);
  // Far more partition cells than the budget allows: do not compute a cover at all.
  if (area / getHexagonAreaAvg(QUERY_COVER.minRes, "km2") > QUERY_COVER.maxRequests * 8) return undefined;
  // Lines and thin shapes: their length, not their area, sets how many cells they cross.
  const [w, s, e, n] = geometryBBox(g);
  const midLat = (((s + n) / 2) * Math.PI) / 180;
  const lengthKm = Math.hypot(((e - w + 360) % 360) * 111 * Math.cos(midLat), (n - s) * 111);
  const tooMany = (r: number) =>
    area / getHexagonAreaAvg(r, "km2") > QUERY_COVER.maxRequests * 4 ||
    lengthKm / Math.sqrt(getHexagonAreaAvg(r, "km2")) > QUERY_COVER.maxRequests * 4;
  let res = QUERY_COVER.maxRes;
  while (res > QUERY_COVER.minRes && tooMany(res)) res--;
  for (; res >= QUERY_COVER.minRes; res--) {
    const keys = expandToPartitions(compactCells([...coverCells(g, res)]).map(cellToKey)).sort();
    if (cellQueries(keys, "", "").length <= QUERY_COVER.maxRequests) return keys;
    if (keys.length > QUERY_COVER.maxRequests * 8) return undefined;
  }
  return undefined;
}

function cellQueries(keys: string[], from: string, to: string): PlannedQuery[] {
  const queries: PlannedQuery[] = [];
  const covered = (a: string) => keys.some((k) => a.startsWith(k));
  const ancestors = new Set<string>();
  for (const key of keys) {
    // Items are never indexed finer than ITEM_COVER.maxRes: below it a cell has no descendant rows.
    if (keyResolution(key) < ITEM_COVER.maxRes)
      queries.push({ pk: spatialPartition(key), range: strictDescendantRange(key) });
    queries.push({
      pk: spatialPartition(key),
      range: exactCellRange(key, from, to),
      descending: true,
      order: { prefix: cellTimePrefix(key) },
    });
    for (const a of ancestorKeys(key))
      if (keyResolution(a) <= ITEM_COVER.maxRes && !covered(a)) ancestors.add(a);
  }
  for (const a of ancestors) {
    queries.push({
      pk: spatialPartition(a),
      range: exactCellRange(a, from, to),
      descending: true,
      order: { prefix: cellTimePrefix(a) },
    });
  }
  return queries;
}

function cellPlan(input: PlanInput): Plan | undefined {
  const keys = queryCells(input.geometry!);
  if (!keys) return undefined;
  const maxDur = Math.max(0, ...input.collections.map((c) => c.maxDurationMs));
  // Row sort keys carry the item's datetime, which lies within [start, end] of the item: an item
  // overlapping the interval has its datetime within the interval widened by the longest duration.
  const from = shiftTime(input.interval.from, -maxDur);
  const to = shiftTime(input.interval.to, maxDur);
  const overlaps = { from: input.interval.from, to: input.interval.to };
  const queries = cellQueries(keys, from, to).map((q) => ({ ...q, overlaps }));
  const coverKm2 = keys.reduce((s, k) => s + getHexagonAreaAvg(Math.max(0, keyResolution(k)), "km2"), 0);
  const rows =
    COST_MODEL.itemsPerDay *
    intervalDays(input.interval, maxDur) *
    (COST_MODEL.coarseShare + coverKm2 / EARTH_KM2);
  return { strategy: "cells", queries, cost: queries.length + rows / COST_MODEL.rowsPerRequest };
}

function timePlan(input: PlanInput): Plan {
  const maxDur = Math.max(0, ...input.collections.map((c) => c.maxDurationMs));
  const queries: PlannedQuery[] = input.collections.map((c) => ({
    pk: timePartition(c.id),
    range: timeRange(shiftTime(input.interval.from, -c.maxDurationMs), input.interval.to),
    descending: true,
    overlaps: { from: input.interval.from, to: input.interval.to },
    order: { prefix: TIME_ROW_PREFIX },
  }));
  const rows = COST_MODEL.itemsPerDay * intervalDays(input.interval, maxDur);
  return { strategy: "time", queries, cost: queries.length + rows / COST_MODEL.rowsPerRequest };
}
