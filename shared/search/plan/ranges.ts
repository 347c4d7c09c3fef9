// The ranges a plan reads: the fine and the group layout of cell ranges covering a search area (with
// the coarser cells every layout reads), skipping ranges a collection's counters show empty, and each
// collection's time rows. Each query carries its row estimate when the collection has row counts.

import { geometryBBox } from "../../geo/normalize.ts";
import { approxAreaKm2, areaCoverKeys, ROOT_KEY } from "../../index/cells.ts";
import {
  ALL_LEVELS,
  BASE_RANGE_LEVELS,
  BASE_ROWS_FEATURE,
  COUNTED_ROWS_FEATURE,
  cellTimePrefix,
  FINE_RES,
  GROUP_RES,
  groupTimePrefix,
  type Level,
  prefixedTimeRange,
  STATS_RES,
  spatialPartition,
  statName,
  TIME_ROW_PREFIX,
  timePartition,
  timeRange,
} from "../../index/keys.ts";
import { shiftTime } from "../../index/time.ts";
import type { Geometry } from "../../stac/types.ts";
import { COST_MODEL, EARTH_KM2, km2, QUERY_COVER } from "./cost.ts";
import {
  type AreaByBase,
  areaByBase,
  baseHitRate,
  cloudSelectivity,
  combine,
  estimate,
  timeEstimate,
} from "./estimates.ts";
import { tileQueries } from "./tile-ranges.ts";
import type { PlanCollection, PlanInput, PlannedQuery } from "./types.ts";

const keysAt = (g: Geometry, res: number) => new Set(areaCoverKeys(g, res));

/** The cells of each level that a search area touches (its overlapping cover at that resolution). */
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
  // Item covers are uncompacted overlapping covers: an item and the area sharing a point share the
  // cell of every resolution containing it, so the area's own cover at each resolution suffices.
  const byRes: Set<string>[] = [];
  for (let res = GROUP_RES; res >= 0; res--) byRes[res] = res === GROUP_RES ? new Set(group) : keysAt(g, res);
  return fine ? { fine, group, byRes } : { group, byRes };
}

interface Range {
  cell: string;
  prefix: string;
}

interface RangeSet {
  holds: Level[];
  /** Levels that make a collection read these ranges (default: `holds`). */
  readFor?: Level[];
  ranges: Range[];
}

/**
 * A range that holds none of these levels' rows: the collection keeps COUNTED_ROWS_FEATURE (a row's counter
 * is added before the row is written), its cell's base-cell record was read, and none of the levels
 * has a counter for the cell there.
 */
function holdsNoRows(c: PlanCollection, levels: readonly Level[], cell: string): boolean {
  const counted = c.rows?.counted;
  if ((c.indexFeatures ?? 0) < COUNTED_ROWS_FEATURE || !counted) return false;
  const res = cell.length - 3;
  if (res >= 0 && !counted.has(cell.slice(0, 3))) return false;
  const at = cell.slice(0, 3 + Math.max(0, Math.min(res, STATS_RES)));
  return levels.every((l) => !((c.rows!.counts[statName(l, at)] ?? 0) > 0));
}

/**
 * One way to cover the area with cell ranges: each collection's queries (undefined: the layout cannot
 * serve the collection, which reads its time rows or the plan is not used), and the modelled area rows.
 */
export interface CellLayout {
  perCollection: (PlannedQuery[] | undefined)[];
  areaRows: number;
  /** Most requests a plan using this layout may make (QUERY_COVER). */
  maxRequests: number;
}

interface Candidate {
  sets: RangeSet[];
  areaRows: number;
  tiles?: boolean;
  /** Whether the layout's ranges hold every row of a collection with these levels (default: yes). */
  serves?: (c: PlanCollection, levels: ReadonlySet<string>) => boolean;
  maxRequests?: number;
}

const asRanges = (keys: Iterable<string>, prefix: (k: string) => string): Range[] =>
  [...keys].map((cell) => ({ cell, prefix: prefix(cell) }));

/** Fine and group layouts, for areas touching few enough res-2 cells. */
function groupCandidates(cells: AreaCells): Candidate[] {
  // Each entry: the levels whose rows its ranges hold, and which of them make a collection read it.
  const coarse: RangeSet[] = [
    { holds: ["R"], ranges: asRanges([ROOT_KEY], cellTimePrefix) },
    { holds: ["0"], ranges: asRanges(cells.byRes[0]!, cellTimePrefix) },
    { holds: ["1"], ranges: asRanges(cells.byRes[1]!, cellTimePrefix) },
    // Res-2 cell rows (older layouts) are uncompacted covers: the area's own res-2 cells.
    { holds: ["2"], ranges: asRanges(cells.group, cellTimePrefix) },
  ];
  const groups = asRanges(cells.group, groupTimePrefix);
  const candidates: Candidate[] = [];
  if (cells.fine) {
    candidates.push({
      sets: [
        ...coarse,
        { holds: ["3"], ranges: asRanges(cells.fine, cellTimePrefix) },
        // Medium items have group rows only; the range also holds fine items' group rows.
        // Tile items' group rows too, when their tiles are unknown.
        { holds: ["G", "M"], readFor: ["M"], ranges: groups },
      ],
      tiles: true,
      areaRows: cells.fine.size * km2(FINE_RES) * COST_MODEL.fineDilation,
    });
  }
  candidates.push({
    sets: [...coarse, { holds: ["G", "M"], ranges: groups }],
    areaRows: cells.group.size * km2(GROUP_RES) * COST_MODEL.groupDilation,
  });
  return candidates;
}

/**
 * The base layout, for areas up to a continent or a polar cap: every item up to coarse size by the base
 * rows of the area's res-0 cells (collections indexed with BASE_ROWS_FEATURE only), strips by its
 * res-0 cell rows, and the root.
 */
function baseCandidate(g: Geometry): Candidate | undefined {
  const base = keysAt(g, 0);
  if (base.size > QUERY_COVER.maxRequests) return undefined;
  return {
    sets: [
      { holds: ["R"], ranges: asRanges([ROOT_KEY], cellTimePrefix) },
      { holds: ["0"], ranges: asRanges(base, cellTimePrefix) },
      { holds: ["B"], ranges: asRanges(base, groupTimePrefix) },
    ],
    areaRows: base.size * km2(0),
    maxRequests: QUERY_COVER.baseMaxRequests,
    serves: (c, levels) =>
      [...levels].every((l) => BASE_RANGE_LEVELS.includes(l as Level)) ||
      ((c.indexFeatures ?? 0) >= BASE_ROWS_FEATURE && levels.has("B")),
  };
}

/** The fine, group and base layouts of the area's cells (fine only for small enough areas). */
export function cellLayouts(input: PlanInput): CellLayout[] {
  const cells = areaCells(input.geometry!);
  const candidates = cells ? groupCandidates(cells) : [];
  const base = baseCandidate(input.geometry!);
  if (base) candidates.push(base);
  const queryKm2 = approxAreaKm2(input.geometry!);
  const overlaps = { from: input.interval.from, to: input.interval.to };
  let byBase: AreaByBase | undefined;
  const baseHit = (c: PlanCollection, cell: string) => {
    if (!byBase) byBase = areaByBase(input.geometry!);
    return baseHitRate(c, byBase, cell, queryKm2);
  };
  const layouts = candidates.map((cand) => ({
    areaRows: cand.areaRows,
    maxRequests: cand.maxRequests ?? QUERY_COVER.maxRequests,
    perCollection: input.collections.map((c) => {
      const levels = new Set<string>(c.levels ?? ALL_LEVELS);
      if (cand.serves && !cand.serves(c, levels)) return undefined;
      // Row sort keys carry the item's datetime, which lies within [start, end] of the item: an item
      // overlapping the interval has its datetime within the interval widened by its collection's
      // longest duration.
      const from = shiftTime(input.interval.from, -c.maxDurationMs);
      const to = shiftTime(input.interval.to, c.maxDurationMs);
      const span: [number, number] = [Date.parse(from), Date.parse(to)];
      const queries: PlannedQuery[] = [];
      const tiles = levels.has("P") && cand.tiles === true;
      if (tiles && c.tiles)
        queries.push(...tileQueries(c, input.geometry!, from, to, overlaps, queryKm2, input.cloudCoverMax));
      const cloud = cloudSelectivity(c, input.cloudCoverMax);
      for (const set of cand.sets) {
        // A fine plan without a collection's tiles reads its tile items' group rows instead.
        const fallback = tiles && !c.tiles && set.holds.includes("G");
        const readFor = (fallback ? set.holds : (set.readFor ?? set.holds)).filter((l) => levels.has(l));
        if (readFor.length === 0) continue;
        const kept = set.ranges.filter((r) => !holdsNoRows(c, readFor, r.cell));
        for (const r of kept) {
          const q: PlannedQuery = {
            pk: spatialPartition(c.id, r.cell),
            range: prefixedTimeRange(r.prefix, from, to),
            descending: true,
            overlaps,
            order: { prefix: r.prefix },
          };
          const e = combine(
            set.holds.map((l) => estimate(c, l, r.cell, span, queryKm2, set.ranges.length, kept.length)),
          );
          const hitRate = set.holds.includes("B") && e ? (baseHit(c, r.cell) ?? e.hitRate) : e?.hitRate;
          if (e) q.estimate = { ...e, hitRate: hitRate! * cloud.hits };
          queries.push(q);
        }
      }
      return queries;
    }),
  }));
  // Base ranges are for areas whose group ranges do not fit the budget: where they do, their finer
  // cells read fewer rows (the no-tiles shape's Q6 at 30k: 47 rows in 2 rounds, 60 in 3 by base ranges).
  if (!base || !cells) return layouts;
  // The group layout is the last before the base layout.
  const group = layouts[layouts.length - 2];
  const groupFits =
    group?.perCollection.every((qs) => qs !== undefined) &&
    group.perCollection.reduce((n, qs) => n + qs!.length, 0) <= QUERY_COVER.maxRequests;
  return groupFits ? layouts.slice(0, -1) : layouts;
}

/** Each collection's time rows over the interval widened by its longest item duration. */
export function timeQueries(input: PlanInput): PlannedQuery[] {
  const queryKm2 = input.geometry ? approxAreaKm2(input.geometry) : EARTH_KM2;
  return input.collections.map((c) => {
    const from = shiftTime(input.interval.from, -c.maxDurationMs);
    const to = shiftTime(input.interval.to, c.maxDurationMs);
    const q: PlannedQuery = {
      pk: timePartition(c.id),
      range: timeRange(from, to),
      descending: true,
      overlaps: { from: input.interval.from, to: input.interval.to },
      order: { prefix: TIME_ROW_PREFIX },
    };
    const e = timeEstimate(c, [Date.parse(from), Date.parse(to)], queryKm2, input.geometry);
    if (e) q.estimate = { ...e, hitRate: e.hitRate * cloudSelectivity(c, input.cloudCoverMax).hits };
    return q;
  });
}
