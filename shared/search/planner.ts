// Turns a search into DynamoDB queries and picks the cheapest of three plans, all of them ranges read
// newest first and bounded in time:
//   fine  — rows of the FINE_RES cells the area touches, plus the coarse cells (res 0–2, root) above;
//   group — group rows of the GROUP_RES cells the area touches, plus the coarse cells (res 0–1, root);
//   time  — each collection's time rows.
// All are pre-filters; the executor applies the exact tests.

import { getHexagonAreaAvg } from "h3-js";
import { geometryBBox } from "../geo/normalize.ts";
import { approxAreaKm2, cellToKey, coverCells, ROOT_KEY } from "../index/cells.ts";
import {
  ALL_LEVELS,
  cellTimePrefix,
  FINE_RES,
  GROUP_RES,
  groupTimePrefix,
  type Level,
  prefixedTimeRange,
  spatialPartition,
  TIME_ROW_PREFIX,
  timePartition,
  timeRange,
} from "../index/keys.ts";
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

/** Request budget of a cell plan: more and the time plan (or a coarser cell plan) is used. */
export const QUERY_COVER = { maxRequests: 30 } as const;

/**
 * Planner assumptions (no statistics are kept): archive-wide ingest rate, the share of items indexed at
 * the coarse levels every cell plan reads (swaths, orbit strips), how many rows one request returns,
 * and how many fine / group rows an item of a typical footprint has in one cell (its dilation).
 */
export const COST_MODEL = {
  itemsPerDay: 10_000,
  coarseShare: 0.1,
  rowsPerRequest: 500,
  fineDilation: 3,
  groupDilation: 1.5,
} as const;
const EARTH_KM2 = 510_072_000;

export interface PlanInput {
  geometry?: Geometry | undefined;
  interval: Interval;
  /**
   * Collections to search, each with its longest item duration and the index levels its items use
   * (CollectionRecord.levels; all levels when unknown).
   */
  collections: { id: string; maxDurationMs: number; levels?: readonly string[] | undefined }[];
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

const km2 = (res: number) => getHexagonAreaAvg(res, "km2");
const keysAt = (g: Geometry, res: number) => new Set([...coverCells(g, res)].map(cellToKey));

/**
 * The cells of each level that a search area touches. Each level is the area's own cover at that
 * resolution plus the ancestors of the finer level's cells (compacted item covers sit at ancestors).
 */
interface AreaCells {
  fine?: Set<string>;
  group: Set<string>;
  byRes: Set<string>[];
}

function areaCells(g: Geometry): AreaCells | undefined {
  const area = approxAreaKm2(g);
  const [w, s, e, n] = geometryBBox(g);
  const midLat = (((s + n) / 2) * Math.PI) / 180;
  const lengthKm = Math.hypot(((e - w + 360) % 360) * 111 * Math.cos(midLat), (n - s) * 111);
  const count = (res: number) => area / km2(res) + lengthKm / Math.sqrt(km2(res));
  const limit = QUERY_COVER.maxRequests * 2;
  if (count(GROUP_RES) > limit) return undefined;
  const group = keysAt(g, GROUP_RES);
  const fine = count(FINE_RES) <= limit * 2 ? keysAt(g, FINE_RES) : undefined;
  const byRes: Set<string>[] = [];
  let finer = fine ?? group;
  for (let res = GROUP_RES; res >= 0; res--) {
    const at = res === GROUP_RES ? new Set(group) : keysAt(g, res);
    for (const k of finer) at.add(k.slice(0, 3 + res));
    byRes[res] = at;
    finer = at;
  }
  return fine ? { fine, group, byRes } : { group, byRes };
}

interface Range {
  cell: string;
  prefix: string;
}

function cellPlan(input: PlanInput): Plan | undefined {
  const cells = areaCells(input.geometry!);
  if (!cells) return undefined;
  const coarse: [Level, string[]][] = [
    ["R", [ROOT_KEY]],
    ["0", [...cells.byRes[0]!]],
    ["1", [...cells.byRes[1]!]],
  ];
  const candidates: { ranges: [Level, Range[]][]; areaRows: number }[] = [];
  const asRanges = (keys: string[], prefix: (k: string) => string): Range[] =>
    keys.map((cell) => ({ cell, prefix: prefix(cell) }));
  const coarseRanges = coarse.map(([l, ks]) => [l, asRanges(ks, cellTimePrefix)] as [Level, Range[]]);
  if (cells.fine) {
    candidates.push({
      ranges: [
        ...coarseRanges,
        ["2", asRanges([...cells.byRes[2]!], cellTimePrefix)],
        ["3", asRanges([...cells.fine], cellTimePrefix)],
      ],
      areaRows: cells.fine.size * km2(FINE_RES) * COST_MODEL.fineDilation,
    });
  }
  candidates.push({
    ranges: [...coarseRanges, ["G", asRanges([...cells.group], groupTimePrefix)]],
    areaRows: cells.group.size * km2(GROUP_RES) * COST_MODEL.groupDilation,
  });
  const maxDur = Math.max(0, ...input.collections.map((c) => c.maxDurationMs));
  const overlaps = { from: input.interval.from, to: input.interval.to };
  let best: Plan | undefined;
  for (const cand of candidates) {
    const queries: PlannedQuery[] = [];
    for (const c of input.collections) {
      const levels = new Set(c.levels ?? ALL_LEVELS);
      // Row sort keys carry the item's datetime, which lies within [start, end] of the item: an item
      // overlapping the interval has its datetime within the interval widened by its collection's
      // longest duration.
      const from = shiftTime(input.interval.from, -c.maxDurationMs);
      const to = shiftTime(input.interval.to, c.maxDurationMs);
      for (const [level, ranges] of cand.ranges) {
        if (!levels.has(level)) continue;
        for (const r of ranges)
          queries.push({
            pk: spatialPartition(c.id, r.cell),
            range: prefixedTimeRange(r.prefix, from, to),
            descending: true,
            overlaps,
            order: { prefix: r.prefix },
          });
      }
    }
    if (queries.length > QUERY_COVER.maxRequests) continue;
    const rows =
      COST_MODEL.itemsPerDay *
      intervalDays(input.interval, maxDur) *
      (COST_MODEL.coarseShare + cand.areaRows / EARTH_KM2);
    const cost = queries.length + rows / COST_MODEL.rowsPerRequest;
    if (!best || cost < best.cost!) best = { strategy: "cells", queries, cost };
  }
  return best;
}

function timePlan(input: PlanInput): Plan {
  const maxDur = Math.max(0, ...input.collections.map((c) => c.maxDurationMs));
  const queries: PlannedQuery[] = input.collections.map((c) => ({
    pk: timePartition(c.id),
    range: timeRange(
      shiftTime(input.interval.from, -c.maxDurationMs),
      shiftTime(input.interval.to, c.maxDurationMs),
    ),
    descending: true,
    overlaps: { from: input.interval.from, to: input.interval.to },
    order: { prefix: TIME_ROW_PREFIX },
  }));
  const rows = COST_MODEL.itemsPerDay * intervalDays(input.interval, maxDur);
  return { strategy: "time", queries, cost: queries.length + rows / COST_MODEL.rowsPerRequest };
}
