// Turns a search into DynamoDB queries: cell-first over the H3 rows for areas that a few cells cover,
// time-first over each collection's time rows for large or absent areas.
import { adaptiveCover, ancestorKeys, childDigits, keyResolution } from "../index/cells.ts";
import {
  descendantPrefix,
  exactCellRange,
  PARTITION_RES,
  spatialPartition,
  timePartition,
  timeRange,
} from "../index/keys.ts";
import { shiftTime } from "../index/time.ts";
import type { RowQuery } from "../storage/catalogue.ts";
import type { Geometry } from "../stac/types.ts";
import type { Interval } from "./datetime.ts";

export interface Plan {
  strategy: "cells" | "time";
  queries: RowQuery[];
}

/** A query area needing more cells than this at PARTITION_RES is searched time-first. */
export const QUERY_COVER = { maxCells: 24, minRes: PARTITION_RES, maxRes: 9 } as const;

export interface PlanInput {
  geometry?: Geometry | undefined;
  interval: Interval;
  /** Collections to search, each with its longest item duration. */
  collections: { id: string; maxDurationMs: number }[];
}

export function planSearch(input: PlanInput): Plan {
  const maxDur = Math.max(0, ...input.collections.map((c) => c.maxDurationMs));
  if (input.geometry) {
    const cover = adaptiveCover(input.geometry, QUERY_COVER);
    if (cover.res >= PARTITION_RES) return cellPlan(expandToPartitions(cover.keys), input.interval, maxDur);
  }
  return timePlan(input);
}

/**
 * Compaction may merge query cells into parents coarser than the partition resolution, whose
 * descendants span several partitions: split those back into their children at that resolution.
 */
function expandToPartitions(keys: string[]): string[] {
  const out: string[] = [];
  const expand = (k: string): void => {
    if (keyResolution(k) >= PARTITION_RES) out.push(k);
    else for (const d of childDigits(k)) expand(k + d);
  };
  keys.forEach(expand);
  return out;
}

function cellPlan(keys: string[], interval: Interval, maxDurMs: number): Plan {
  // Row sort keys carry the item's datetime, which lies within [start, end] of the item: an item
  // overlapping the interval has its datetime within the interval widened by the longest duration.
  const from = shiftTime(interval.from, -maxDurMs);
  const to = shiftTime(interval.to, maxDurMs);
  const overlaps = { from: interval.from, to: interval.to };
  const queries: RowQuery[] = [];
  const ancestors = new Set<string>();
  for (const key of keys) {
    queries.push({ pk: spatialPartition(key), prefix: descendantPrefix(key), overlaps });
    for (const a of ancestorKeys(key)) ancestors.add(a);
  }
  for (const k of keys) ancestors.delete(k);
  for (const a of ancestors) {
    // An ancestor that is itself in the cover is already read by its own prefix query.
    if (keys.some((k) => a.startsWith(k) && a !== k)) continue;
    queries.push({ pk: spatialPartition(a), range: exactCellRange(a, from, to), descending: true, overlaps });
  }
  return { strategy: "cells", queries };
}

function timePlan(input: PlanInput): Plan {
  const queries: RowQuery[] = input.collections.map((c) => ({
    pk: timePartition(c.id),
    range: timeRange(shiftTime(input.interval.from, -c.maxDurationMs), input.interval.to),
    descending: true,
    overlaps: { from: input.interval.from, to: input.interval.to },
  }));
  return { strategy: "time", queries };
}
