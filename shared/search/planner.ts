// Turns a search into DynamoDB queries and picks the cheapest plan, all of them ranges read newest
// first and bounded in time:
//   fine  — rows of the FINE_RES cells the area touches, plus the coarser cells (res 0–2, root);
//   group — group rows and res-2 cell rows of the GROUP_RES cells the area touches, plus res 0–1, root;
//   time  — each collection's time rows;
//   mixed — with estimates: cell ranges (fine or group) for some collections, time rows for the rest.
// All are pre-filters; the executor applies the exact tests. With row counts (DynamoCatalogue
// rowCounts) each query carries an estimate of its rows and of the share of them that match, from
// which the executor sizes first pages.

import { getHexagonAreaAvg } from "h3-js";
import { intersects } from "../geo/geometry.ts";
import { bboxToGeometry, geometryBBox } from "../geo/normalize.ts";
import { approxAreaKm2, areaCoverKeys, ROOT_KEY } from "../index/cells.ts";
import {
  ALL_LEVELS,
  CLOUD_BANDS,
  cellTimePrefix,
  cloudBandPrefix,
  cloudBandStat,
  FINE_RES,
  GROUP_RES,
  groupTimePrefix,
  INDEX_FEATURES,
  type Level,
  prefixedTimeRange,
  STATS_RES,
  spatialPartition,
  statName,
  TILE_ROW_PREFIX,
  TILE_STAT,
  TIME_ROW_PREFIX,
  TIME_STAT,
  tilePartition,
  timePartition,
  timeRange,
} from "../index/keys.ts";
import { shiftTime } from "../index/time.ts";
import type { Geometry } from "../stac/types.ts";
import type { RowQuery, TileFootprint } from "../storage/catalogue.ts";
import type { Interval } from "./datetime.ts";
import { ESTIMATED_PAGE, firstRound } from "./first-pages.ts";
import { profileOf, shareWithin, type TimeProfile } from "./time-profile.ts";

/** Expected rows of a query, spread evenly over [from, to] (ms), and the share expected to match. */
export interface RowEstimate {
  rows: number;
  from: number;
  to: number;
  hitRate: number;
  /** How the collection's rows spread over time (else evenly over [from, to]). */
  profile?: TimeProfile | undefined;
}

/** A query whose rows come newest first; `order.prefix` precedes the datetime in every sort key. */
export interface PlannedQuery extends RowQuery {
  order?: { prefix: string };
  estimate?: RowEstimate;
}

export interface Plan {
  /** mixed: cell ranges for some collections, time rows for the others. */
  strategy: "cells" | "time" | "mixed";
  queries: PlannedQuery[];
  /** Estimated cost in request units (requests + rows / rows per request), for the choice and for tests. */
  cost?: number;
  /** PlanInput.filtered: the executor sizes first pages with the wider margin. */
  filtered?: boolean;
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
  /**
   * With estimates, rows are no longer a guess scaled by an archive-wide rate: a request is worth
   * about as much as this many rows (its 0.5 RCU minimum is 4 rows; the rest is latency and overhead,
   * small when the requests run in parallel). At 50, Q6 of the bench (Fiji, one year) chose a mixed
   * plan of 18 requests reading 5 × the rows of its 28-request cell plan; at 30 (with first rounds
   * costed by their expected rows), Q2 at 100k items (50 km, one month) read two group ranges whole,
   * 80 rows, rather than seven tile and cell ranges, 11 rows.
   */
  rowsPerRequestEstimated: 15,
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
  collections: PlanCollection[];
  /** Page size: with estimates, plans are costed by the rows their first page reads. */
  limit?: number | undefined;
  /** Rows also pass tests the planner cannot estimate (CQL2, query, free text): larger first pages. */
  filtered?: boolean | undefined;
  /**
   * Every match has `eo:cloud_cover` at most this (a filter's bound): tile ranges read the tile's
   * cloud band (keys.ts CLOUD_BANDS), and every estimate counts the share of rows under the bound.
   */
  cloudCoverMax?: number | undefined;
}

export interface PlanCollection {
  id: string;
  maxDurationMs: number;
  levels?: readonly string[] | undefined;
  /**
   * Row counts (DynamoCatalogue.rowCounts of the area's base cells, `counted`) and time extent: for
   * estimates, and with INDEX_FEATURES to skip ranges whose level and cell have no counter.
   */
  rows?:
    | { counts: Readonly<Record<string, number>>; from: string; to: string; counted?: ReadonlySet<string> }
    | undefined;
  /** CollectionRecord.indexFeatures. */
  indexFeatures?: number | undefined;
  /**
   * Grid tiles in the area's res-2 cells (collections with tile rows, level "P"): a fine plan reads the
   * tile rows of those whose box meets the area. Unknown: it reads the items' group rows instead.
   */
  tiles?: readonly TileFootprint[] | undefined;
}

/**
 * Typical footprint (km²) of the items at each level, for the share of a range's rows that match an
 * area: Sentinel-2 tiles (fine), Sentinel-1 scenes (res 2), swaths (res 0–1), strips.
 */
const FOOTPRINT_KM2: Record<Level, number> = {
  P: 12_000,
  "3": 12_000,
  G: 12_000,
  M: 42_000,
  "2": 42_000,
  "1": 1_500_000,
  "0": 40_000_000,
  R: 100_000_000,
};

export function planSearch(input: PlanInput): Plan {
  const plan = choosePlan(input);
  return input.filtered ? { ...plan, filtered: true } : plan;
}

function choosePlan(input: PlanInput): Plan {
  const time = timePlan(input);
  if (!input.geometry) return time;
  const layouts = cellLayouts(input);
  const cells = cellPlan(input, layouts);
  const best = cells && (cells.cost ?? 0) <= (time.cost ?? 0) ? cells : time;
  const mixed = mixedPlan(input, layouts, time);
  return mixed && mixed.cost! < best.cost! ? mixed : best;
}

function intervalDays(interval: Interval, maxDurMs: number): number {
  const from = Math.max(Date.parse(interval.from) - maxDurMs, Date.UTC(1970, 0, 1));
  const to = Math.min(Date.parse(interval.to), Date.now() + 86_400_000);
  return Math.max(1 / 24, (to - from) / 86_400_000);
}

const km2 = (res: number) => getHexagonAreaAvg(res, "km2");
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
 * Share of a tile's items expected to match an area meeting its box: most revisits cover the whole
 * tile, those at a swath's edge a part of it.
 */
const TILE_HIT_RATE = 0.85;

/** Tile rows of the tiles whose box meets the area, each time-ordered and time-bounded. */
function tileQueries(
  c: PlanCollection,
  g: Geometry,
  from: string,
  to: string,
  overlaps: { from: string; to: string },
  queryKm2: number,
  cloudCoverMax: number | undefined,
): PlannedQuery[] {
  const span: [number, number] = [Date.parse(from), Date.parse(to)];
  // A cloud bound within a band: the band's rows hold exactly the tile's items under it.
  const band =
    cloudCoverMax !== undefined && (c.indexFeatures ?? 0) >= INDEX_FEATURES
      ? CLOUD_BANDS.find((b) => b >= cloudCoverMax)
      : undefined;
  const prefix = band === undefined ? TILE_ROW_PREFIX : cloudBandPrefix(band);
  const cloud = cloudSelectivity(c, cloudCoverMax, band);
  return (c.tiles ?? [])
    .map((t) => ({ ...t, box: bboxToGeometry(t.bbox) }))
    .filter((t) => intersects(t.box, g))
    .map((t) => {
      const q: PlannedQuery = {
        pk: tilePartition(c.id, t.tile),
        range: prefixedTimeRange(prefix, from, to),
        descending: true,
        overlaps,
        order: { prefix },
      };
      if (c.rows) {
        const share = timeShare(c, span);
        const boxKm2 = approxAreaKm2(t.box);
        const hitRate = Math.min(1, TILE_HIT_RATE + queryKm2 / Math.max(1, boxKm2));
        q.estimate = {
          rows: t.items * share.share * cloud.rows,
          from: share.from,
          to: share.to,
          hitRate: hitRate * cloud.hits,
          profile: share.profile,
        };
      }
      return q;
    });
}

/**
 * Share of a collection's items with `eo:cloud_cover` ≤ x, from its tile rows' band counters
 * (linear between the bands; cloud cover 0 is common, so the first band's share is spread over
 * −1 … its bound). Undefined without tile rows to tell.
 */
function cloudShare(c: PlanCollection, x: number): number | undefined {
  const counts = c.rows?.counts;
  const tiles = counts?.[TILE_STAT];
  if (!counts || !tiles) return undefined;
  const points: [number, number][] = [
    [-1, 0],
    ...CLOUD_BANDS.map((b): [number, number] => [b, Math.min(1, (counts[cloudBandStat(b)] ?? 0) / tiles)]),
    [100, 1],
  ];
  for (let i = 1; i < points.length; i++) {
    const [[x0, y0], [x1, y1]] = [points[i - 1]!, points[i]!];
    if (x <= x1) return Math.max(0, y0 + ((y1 - y0) * (x - x0)) / (x1 - x0));
  }
  return 1;
}

/**
 * What a cloud bound does to a collection's ranges: `rows`, the share of a range's rows it reads (a
 * cloud band's share of the tile's rows), and `hits`, the share of those that pass the bound. Without
 * counters to tell, the share of a filter the planner cannot see.
 */
function cloudSelectivity(
  c: PlanCollection,
  max: number | undefined,
  band?: number,
): { rows: number; hits: number } {
  if (max === undefined) return { rows: 1, hits: 1 };
  const under = cloudShare(c, max);
  if (under === undefined) return { rows: 1, hits: 1 / ESTIMATED_PAGE.filterMargin };
  if (band === undefined) return { rows: 1, hits: under };
  const inBand = cloudShare(c, band)!;
  return { rows: inBand, hits: inBand > 0 ? Math.min(1, under / inBand) : 1 };
}

/** Estimates of the levels sharing one range: rows add up, match rates are weighted by rows. */
function combine(es: (RowEstimate | undefined)[]): RowEstimate | undefined {
  if (es.some((e) => !e)) return undefined;
  const [first, ...rest] = es as RowEstimate[];
  if (!first || rest.length === 0) return first;
  const rows = es.reduce((s, e) => s + e!.rows, 0);
  const hits = es.reduce((s, e) => s + e!.rows * e!.hitRate, 0);
  return { ...first, rows, hitRate: rows > 0 ? hits / rows : first.hitRate };
}

/**
 * The share of a collection's rows within a range of datetimes: by its quarter counts (time-profile.ts)
 * when it has them, else spread evenly over its time extent.
 */
function timeShare(
  c: PlanCollection,
  range: [number, number],
): { share: number; from: number; to: number; profile?: TimeProfile } {
  const t0 = Date.parse(c.rows!.from);
  const t1 = Date.parse(c.rows!.to);
  const from = Math.max(range[0], t0);
  const to = Math.min(range[1], t1);
  const profile = profileOf(c.rows!.counts, [t0, t1]);
  if (profile)
    return { share: shareWithin(profile, [t0, t1], from, to), from, to: Math.max(from, to), profile };
  const share = to < from ? 0 : (to - from + 1) / Math.max(3_600_000, t1 - t0 + 1);
  return { share, from, to: Math.max(from, to) };
}

/** A footprint of area F matches an area Q when their centres are within about √F + √Q; it is in a
 * range when it touches the range's cell (√F + √C). */
const matchShare = (queryKm2: number, footprintKm2: number, cellKm2: number, ranges = 1): number =>
  Math.min(
    1,
    (Math.sqrt(queryKm2) + Math.sqrt(footprintKm2)) ** 2 /
      (Math.max(1, ranges) * (Math.sqrt(cellKm2) + Math.sqrt(footprintKm2)) ** 2),
  );

/**
 * A range that holds none of these levels' rows: the collection keeps INDEX_FEATURES (a row's counter
 * is added before the row is written), its cell's base-cell record was read, and none of the levels
 * has a counter for the cell there.
 */
function holdsNoRows(c: PlanCollection, levels: readonly Level[], cell: string): boolean {
  const counted = c.rows?.counted;
  if ((c.indexFeatures ?? 0) < INDEX_FEATURES || !counted) return false;
  const res = cell.length - 3;
  if (res >= 0 && !counted.has(cell.slice(0, 3))) return false;
  const at = cell.slice(0, 3 + Math.max(0, Math.min(res, STATS_RES)));
  return levels.every((l) => !((c.rows!.counts[statName(l, at)] ?? 0) > 0));
}

/**
 * Expected rows of one cell range: the count of its level and statistics cell, shared evenly among that
 * cell's descendants at the range's resolution and over the collection's time extent.
 */
function estimate(
  c: PlanCollection,
  level: Level,
  cell: string,
  range: [number, number],
  queryKm2: number,
  ranges: number,
): RowEstimate | undefined {
  if (!c.rows) return undefined;
  const t = timeShare(c, range);
  const res = cell.length - 3;
  const statRes = Math.max(-1, Math.min(res, STATS_RES));
  const n = c.rows.counts[statName(level, cell.slice(0, 3 + Math.max(0, statRes)))] ?? 0;
  const rows = (n / 7 ** Math.max(0, res - Math.max(0, statRes))) * t.share;
  const cellKm2 = res >= 0 ? km2(res) : EARTH_KM2;
  // The area's matches are shared among the ranges of its cells at this level.
  const hitRate = matchShare(queryKm2, FOOTPRINT_KM2[level], cellKm2, ranges);
  return { rows, from: t.from, to: t.to, hitRate, profile: t.profile };
}

/**
 * The levels whose rows count every item once, at their cells' resolution: group rows (fine and tile
 * items), medium, coarse and strip items' rows (root rows: below).
 */
const ITEM_LEVELS: readonly (readonly [Level, number])[] = [
  ["G", GROUP_RES],
  ["M", GROUP_RES],
  ["1", 1],
  ["0", 0],
];

/**
 * The share of a collection's items that match the area, from the row counts of the area's own cells:
 * the collection's spatial distribution (an archive is dense where it is national, sparse or empty
 * elsewhere) rather than an even spread over the globe. Undefined without the area's counts.
 */
function areaMatchShare(c: PlanCollection, g: Geometry | undefined, queryKm2: number): number | undefined {
  const counts = c.rows?.counts;
  const items = counts?.[TIME_STAT];
  if (!g || !counts || !items || !c.rows?.counted || c.rows.counted.size === 0) return undefined;
  // A range of k cells holding n rows has n × matchShare(…, k) matching items (planner estimates).
  let matches = (counts[statName("R", ROOT_KEY)] ?? 0) * matchShare(queryKm2, FOOTPRINT_KM2.R, EARTH_KM2);
  for (const [level, res] of ITEM_LEVELS) {
    const cells = areaCoverKeys(g, res);
    for (const cell of cells) {
      const n = counts[statName(level, cell)];
      if (n) matches += n * matchShare(queryKm2, FOOTPRINT_KM2[level], km2(res), cells.length);
    }
  }
  return Math.min(1, matches / items);
}

/**
 * Time rows: one per item (TIME_STAT). They match as the area's counted rows say, else as the
 * collection's most used level does, evenly over the globe.
 */
function timeEstimate(
  c: PlanCollection,
  range: [number, number],
  queryKm2: number,
  g?: Geometry,
): RowEstimate | undefined {
  if (!c.rows) return undefined;
  const t = timeShare(c, range);
  return {
    rows: (c.rows.counts[TIME_STAT] ?? 0) * t.share,
    from: t.from,
    to: t.to,
    profile: t.profile,
    hitRate: areaMatchShare(c, g, queryKm2) ?? globeMatchShare(c.rows.counts, queryKm2),
  };
}

/** Without the area's counts: items match as the collection's most used level does, evenly over the globe. */
function globeMatchShare(counts: Readonly<Record<string, number>>, queryKm2: number): number {
  const perLevel = new Map<Level, number>();
  for (const [k, n] of Object.entries(counts)) {
    // Tile rows (n_P, n_P_c<band>) count items, not rows in cells.
    if (k.startsWith(TILE_STAT)) continue;
    const level = k.split("_")[1] as Level;
    if (level in FOOTPRINT_KM2) perLevel.set(level, (perLevel.get(level) ?? 0) + n);
  }
  const main = [...perLevel].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "3";
  return matchShare(queryKm2, FOOTPRINT_KM2[main], EARTH_KM2);
}

/** A plan's rows in request units: from estimates when every query has one, else from the model. */
function planRows(qs: PlannedQuery[], input: PlanInput, modelled: () => number): number {
  const rows = expectedRows(qs, input);
  return rows !== undefined
    ? rows / COST_MODEL.rowsPerRequestEstimated
    : modelled() / COST_MODEL.rowsPerRequest;
}

/** Rows a plan is expected to read: its first pages for a limit, else its ranges whole. */
function expectedRows(qs: PlannedQuery[], input: PlanInput): number | undefined {
  if (!qs.every((q) => q.estimate)) return undefined;
  const first = input.limit !== undefined ? firstRound(qs, input.limit, input.filtered) : undefined;
  return (first?.expected ?? qs.map((q) => q.estimate!.rows)).reduce((s, n) => s + n, 0);
}

/** One way to cover the area with cell ranges: each collection's queries, and the modelled area rows. */
interface CellLayout {
  perCollection: PlannedQuery[][];
  areaRows: number;
}

/** The fine and the group layout of the area's cells (fine only for small enough areas). */
function cellLayouts(input: PlanInput): CellLayout[] {
  const cells = areaCells(input.geometry!);
  if (!cells) return [];
  const asRanges = (keys: Iterable<string>, prefix: (k: string) => string): Range[] =>
    [...keys].map((cell) => ({ cell, prefix: prefix(cell) }));
  // Each entry: the levels whose rows its ranges hold, and which of them make a collection read it.
  const coarse: RangeSet[] = [
    { holds: ["R"], ranges: asRanges([ROOT_KEY], cellTimePrefix) },
    { holds: ["0"], ranges: asRanges(cells.byRes[0]!, cellTimePrefix) },
    { holds: ["1"], ranges: asRanges(cells.byRes[1]!, cellTimePrefix) },
    // Res-2 cell rows (older layouts) are uncompacted covers: the area's own res-2 cells.
    { holds: ["2"], ranges: asRanges(cells.group, cellTimePrefix) },
  ];
  const groups = asRanges(cells.group, groupTimePrefix);
  const candidates: { sets: RangeSet[]; areaRows: number; tiles?: boolean }[] = [];
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
  const queryKm2 = approxAreaKm2(input.geometry!);
  const overlaps = { from: input.interval.from, to: input.interval.to };
  return candidates.map((cand) => ({
    areaRows: cand.areaRows,
    perCollection: input.collections.map((c) => {
      const levels = new Set(c.levels ?? ALL_LEVELS);
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
        for (const r of set.ranges) {
          if (holdsNoRows(c, readFor, r.cell)) continue;
          const q: PlannedQuery = {
            pk: spatialPartition(c.id, r.cell),
            range: prefixedTimeRange(r.prefix, from, to),
            descending: true,
            overlaps,
            order: { prefix: r.prefix },
          };
          const e = combine(set.holds.map((l) => estimate(c, l, r.cell, span, queryKm2, set.ranges.length)));
          if (e) q.estimate = { ...e, hitRate: e.hitRate * cloud.hits };
          queries.push(q);
        }
      }
      return queries;
    }),
  }));
}

function cellPlan(input: PlanInput, layouts: CellLayout[]): Plan | undefined {
  const maxDur = Math.max(0, ...input.collections.map((c) => c.maxDurationMs));
  let best: Plan | undefined;
  for (const layout of layouts) {
    const queries = layout.perCollection.flat();
    if (queries.length > QUERY_COVER.maxRequests) continue;
    const cost =
      queries.length +
      planRows(
        queries,
        input,
        () =>
          COST_MODEL.itemsPerDay *
          intervalDays(input.interval, maxDur) *
          (COST_MODEL.coarseShare + layout.areaRows / EARTH_KM2),
      );
    if (!best || cost < best.cost!) best = { strategy: "cells", queries, cost };
  }
  return best;
}

/**
 * Cell ranges for some collections and time rows for the others, e.g. a polar cap: its few res-0/1
 * ranges for the swath and strip collections, whose items there are many, and the time rows for
 * tile collections, whose ~45 group ranges there would exceed the budget. Only with estimates on every
 * query (their first pages are costed together); greedy from the time plan, one collection at a time.
 */
function mixedPlan(input: PlanInput, layouts: CellLayout[], time: Plan): Plan | undefined {
  if (input.collections.length < 2 || !time.queries.every((q) => q.estimate)) return undefined;
  let best: Plan | undefined;
  for (const layout of layouts) {
    if (!layout.perCollection.every((qs) => qs.every((q) => q.estimate))) continue;
    const useCells = input.collections.map(() => false);
    const queriesOf = (choice: boolean[]) =>
      choice.flatMap((cells, i) => (cells ? layout.perCollection[i]! : [time.queries[i]!]));
    const costOf = (qs: PlannedQuery[]) =>
      qs.length + (expectedRows(qs, input) ?? 0) / COST_MODEL.rowsPerRequestEstimated;
    let current = costOf(queriesOf(useCells));
    for (;;) {
      let pick: { i: number; cost: number } | undefined;
      for (let i = 0; i < useCells.length; i++) {
        if (useCells[i] || layout.perCollection[i]!.length === 0) continue;
        const trial = useCells.map((v, k) => v || k === i);
        const qs = queriesOf(trial);
        if (qs.length > QUERY_COVER.maxRequests) continue;
        const cost = costOf(qs);
        if (cost < current && (!pick || cost < pick.cost)) pick = { i, cost };
      }
      if (!pick) break;
      useCells[pick.i] = true;
      current = pick.cost;
    }
    // All cells or none is what the other two plans already are.
    if (useCells.every(Boolean) || !useCells.some(Boolean)) continue;
    if (!best || current < best.cost!)
      best = { strategy: "mixed", queries: queriesOf(useCells), cost: current };
  }
  return best;
}

function timePlan(input: PlanInput): Plan {
  const maxDur = Math.max(0, ...input.collections.map((c) => c.maxDurationMs));
  const queryKm2 = input.geometry ? approxAreaKm2(input.geometry) : EARTH_KM2;
  const queries: PlannedQuery[] = input.collections.map((c) => {
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
  const rows = planRows(queries, input, () => COST_MODEL.itemsPerDay * intervalDays(input.interval, maxDur));
  return { strategy: "time", queries, cost: queries.length + rows };
}
