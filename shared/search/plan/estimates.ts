// Row estimates of the planner's ranges, from a collection's row counts: how many rows a cell, tile or
// time range holds within a search's interval (by its quarter counts or evenly), and the share of
// them expected to match its area and cloud bound.
import { areaCoverKeys, ROOT_KEY } from "../../index/cells.ts";
import {
  CLOUD_BANDS,
  cloudBandStat,
  GROUP_RES,
  type Level,
  STATS_RES,
  statName,
  TILE_STAT,
  TIME_STAT,
} from "../../index/keys.ts";
import type { Geometry } from "../../stac/types.ts";
import { ESTIMATED_PAGE } from "../first-pages.ts";
import { profileOf, shareWithin, type TimeProfile } from "../time-profile.ts";
import { EARTH_KM2, FOOTPRINT_KM2, km2 } from "./cost.ts";
import type { PlanCollection, RowEstimate } from "./types.ts";

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
export function cloudSelectivity(
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

/**
 * Estimates of the levels sharing one range: rows add up, match rates are weighted by rows, distinct
 * shares by matches.
 */
export function combine(es: (RowEstimate | undefined)[]): RowEstimate | undefined {
  if (es.some((e) => !e)) return undefined;
  const [first, ...rest] = es as RowEstimate[];
  if (!first || rest.length === 0) return first;
  const rows = es.reduce((s, e) => s + e!.rows, 0);
  const hits = es.reduce((s, e) => s + e!.rows * e!.hitRate, 0);
  const distinct = es.reduce((s, e) => s + e!.rows * e!.hitRate * (e!.distinct ?? 1), 0);
  return {
    ...first,
    rows,
    hitRate: rows > 0 ? hits / rows : first.hitRate,
    distinct: hits > 0 ? distinct / hits : first.distinct,
  };
}

/**
 * The share of a collection's rows within a range of datetimes: by its quarter counts (time-profile.ts)
 * when it has them, else spread evenly over its time extent.
 */
export function timeShare(
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

/**
 * A footprint of area F matches an area Q when their centres are within about √F + √Q; it is in a
 * range when it touches the range's cell (√F + √C). An area of k ranges' cells meets each with about
 * Q / k of it: a continent's interior cells are covered whole, and a strip crossing one base cell of an
 * ocean box crosses the box's part of it nearly always. (Dividing the whole area's share by k instead
 * called 0.34 of a strip range's rows matches where 1.0 did, and a group range's 0.28 where 0.9 did.)
 */
const matchShare = (queryKm2: number, footprintKm2: number, cellKm2: number, ranges = 1): number =>
  Math.min(
    1,
    (Math.sqrt(queryKm2 / Math.max(1, ranges)) + Math.sqrt(footprintKm2)) ** 2 /
      (Math.sqrt(cellKm2) + Math.sqrt(footprintKm2)) ** 2,
  );

/**
 * Expected rows of one cell range: the count of its level and statistics cell, shared evenly among that
 * cell's descendants at the range's resolution and over the collection's time extent. `ranges`: the
 * area's cells at this level; `read`: how many of them the collection's plan reads (the others hold
 * none of its rows), over which one item's rows are spread.
 */
export function estimate(
  c: PlanCollection,
  level: Level,
  cell: string,
  range: [number, number],
  queryKm2: number,
  ranges: number,
  read = 1,
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
  // A match meeting several of the ranges read (`read`) is a row in each: one result (the bench's Q6
  // at 40k no-tiles items: 83 matching rows, 46 items). Not strips, as in areaMatchShare: their share
  // of a range's rows that match is underestimated about as much (Q6: 0.64 estimated, 0.9 matched).
  const distinct = res >= 1 ? 1 / cellsPerItem(FOOTPRINT_KM2[level], cellKm2, read) : 1;
  return { rows, from: t.from, to: t.to, hitRate, distinct, profile: t.profile };
}

/**
 * The levels whose rows count every item once, at their cells' resolution: group rows (fine and tile
 * items), medium, large, coarse and strip items' rows (root rows: below).
 */
const ITEM_LEVELS: readonly (readonly [Level, number])[] = [
  ["G", GROUP_RES],
  ["M", GROUP_RES],
  ["2", GROUP_RES],
  ["1", 1],
  ["0", 0],
];

/**
 * How many of k adjacent cells (of C km² each) an item of F km² that meets them touches on average:
 * k × P(touches one) ÷ P(touches their union), ≈ k (√F + √C)² ÷ (√F + √(kC))² — 1 for items small
 * against a cell, k for items larger than all k. A cell counter counts rows, one per cell an item
 * touches, so the matching rows of an area's cells count an item that large once per cell it meets.
 */
const cellsPerItem = (footprintKm2: number, cellKm2: number, k: number): number =>
  k <= 1
    ? 1
    : (k * (Math.sqrt(footprintKm2) + Math.sqrt(cellKm2)) ** 2) /
      (Math.sqrt(footprintKm2) + Math.sqrt(k * cellKm2)) ** 2;

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
    // An item meeting several of the area's cells has a row in each: counted once. Not strips: an
    // orbit's strip is long and narrow and meets every res-0 cell of an area it crosses (divided,
    // Sentinel-5P's time rows north of 80° were estimated at 0.63 where 1.0 matched).
    const perItem = res === 0 ? 1 : cellsPerItem(FOOTPRINT_KM2[level], km2(res), cells.length);
    for (const cell of cells) {
      const n = counts[statName(level, cell)];
      if (n) matches += (n * matchShare(queryKm2, FOOTPRINT_KM2[level], km2(res), cells.length)) / perItem;
    }
  }
  return Math.min(1, matches / items);
}

/**
 * Time rows: one per item (TIME_STAT). They match as the area's counted rows say, else as the
 * collection's most used level does, evenly over the globe.
 */
export function timeEstimate(
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

/**
 * The area's cells by base cell, at the resolutions whose counters tell where in a base cell its small
 * and coarse items are: res 2 (group and medium rows) and res 1 (coarse rows).
 */
export interface AreaByBase {
  res2: Map<string, string[]>;
  res1: Map<string, string[]>;
  k2: number;
  k1: number;
}

export function areaByBase(g: Geometry): AreaByBase {
  const byBase = (cells: readonly string[]) => {
    const m = new Map<string, string[]>();
    for (const c of cells) m.set(c.slice(0, 3), [...(m.get(c.slice(0, 3)) ?? []), c]);
    return m;
  };
  const res2 = areaCoverKeys(g, GROUP_RES);
  const res1 = areaCoverKeys(g, 1);
  return { res2: byBase(res2), res1: byBase(res1), k2: res2.length, k1: res1.length };
}

/**
 * Share of a base range's rows (level "B": every item up to coarse size touching the base cell) that
 * match the area: the items the area's own res-2 and res-1 cells in that base cell count (group,
 * medium, large and coarse rows, as areaMatchShare weighs them), over the base cell's base rows. A continent
 * or a polar cap covers part of each base cell, and an archive is not even within one: a national
 * archive's base cell holds most of its items in the nation. Undefined without the counts.
 */
export function baseHitRate(
  c: PlanCollection,
  area: AreaByBase,
  base: string,
  queryKm2: number,
): number | undefined {
  const counts = c.rows?.counts;
  const rows = counts?.[statName("B", base)];
  if (!counts || !rows || !c.rows?.counted?.has(base)) return undefined;
  let matches = 0;
  const res2 = area.res2.get(base) ?? [];
  for (const cell of res2)
    for (const level of ["G", "M", "2"] as const) {
      const n = counts[statName(level, cell)];
      if (n)
        matches +=
          (n * matchShare(queryKm2, FOOTPRINT_KM2[level], km2(GROUP_RES), area.k2)) /
          cellsPerItem(FOOTPRINT_KM2[level], km2(GROUP_RES), res2.length);
    }
  const res1 = area.res1.get(base) ?? [];
  for (const cell of res1) {
    const n = counts[statName("1", cell)];
    if (n)
      matches +=
        (n * matchShare(queryKm2, FOOTPRINT_KM2["1"], km2(1), area.k1)) /
        cellsPerItem(FOOTPRINT_KM2["1"], km2(1), res1.length);
  }
  return Math.min(1, matches / rows);
}
