// The planner's cost model: its assumptions (ingest rate, rows per request, typical footprints) and a
// plan's cost in request units, from its row estimates when it has them, else from the model.
import { getHexagonAreaAvg } from "h3-js";
import type { Level } from "../../index/keys.ts";
import type { Interval } from "../datetime.ts";
import { firstRound } from "../first-pages.ts";
import type { PlanInput, PlannedQuery } from "./types.ts";

/**
 * Request budget of a cell plan: more and the time plan (or a coarser cell plan) is used. A base plan
 * (keys.ts level "B") may use `baseMaxRequests`: it reads two ranges per res-0 cell (base rows and
 * strips) and the root per collection, so a polar cap's 4 res-0 cells take 36 requests for four
 * collections holding every size of item (the bench's `uniform` shape). Within 30, one of them read
 * its time rows: at 40k items 89 of Q7's 108 rows, for 3 of its 7 results.
 */
export const QUERY_COVER = { maxRequests: 30, baseMaxRequests: 36 } as const;

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
   * 80 rows, rather than seven tile and cell ranges, 11 rows. At 15, with base ranges (keys.ts level
   * "B"), Q2 read one base range, 23 rows for 5 results, rather than three tile ranges, 9 rows: 4 is
   * what a request costs in rows (its 0.5 RCU minimum; a summary row is ≈ 0.2 RCU on the bench).
   */
  rowsPerRequestEstimated: 4,
  fineDilation: 3,
  groupDilation: 1.5,
} as const;
export const EARTH_KM2 = 510_072_000;

/**
 * Typical footprint (km²) of the items at each level, for the share of a range's rows that match an
 * area: Sentinel-2 tiles (fine), Sentinel-1 scenes (group rows of medium items), boxes of 9–16 res-2
 * cells (res-2 cell rows of large items, rows.ts ITEM_INDEX: ≈ 400–700 km a side; in catalogues
 * indexed before group rows, medium scenes), swaths (res 1), strips (res 0).
 */
export const FOOTPRINT_KM2: Record<Level, number> = {
  P: 12_000,
  "3": 12_000,
  G: 12_000,
  M: 42_000,
  "2": 300_000,
  B: 20_000,
  "1": 1_500_000,
  "0": 40_000_000,
  R: 100_000_000,
};

export const km2 = (res: number) => getHexagonAreaAvg(res, "km2");

export function intervalDays(interval: Interval, maxDurMs: number): number {
  const from = Math.max(Date.parse(interval.from) - maxDurMs, Date.UTC(1970, 0, 1));
  const to = Math.min(Date.parse(interval.to), Date.now() + 86_400_000);
  return Math.max(1 / 24, (to - from) / 86_400_000);
}

/** A plan's rows in request units: from estimates when every query has one, else from the model. */
export function planRows(qs: PlannedQuery[], input: PlanInput, modelled: () => number): number {
  const rows = expectedRows(qs, input);
  return rows !== undefined
    ? rows / COST_MODEL.rowsPerRequestEstimated
    : modelled() / COST_MODEL.rowsPerRequest;
}

/** Rows a plan is expected to read: its first pages for a limit, else its ranges whole. */
export function expectedRows(qs: PlannedQuery[], input: PlanInput): number | undefined {
  if (!qs.every((q) => q.estimate)) return undefined;
  const first = input.limit !== undefined ? firstRound(qs, input.limit, input.filtered) : undefined;
  return (first?.expected ?? qs.map((q) => q.estimate!.rows)).reduce((s, n) => s + n, 0);
}
