// The first round of a newest-first search, from the planner's row estimates: shared by the executor
// (to bound its first reads) and the planner (to cost plans by the rows they will read rather than the
// rows their ranges hold).
import type { PlannedQuery } from "./planner.ts";
import { shareWithin } from "./time-profile.ts";

/**
 * Counts spread evenly over time and cells are Poisson-like estimates: n expected rows arrive as
 * n ± √n. The first round therefore reaches back to the instant after which the streams together are
 * expected to hold `want + z·√want` matches (their sum varies as one Poisson count, so the margin is
 * pooled, not paid per stream). `filterMargin` multiplies the matches aimed at when filters the planner
 * cannot see (CQL2, query, free text) drop rows. A stream's first read is also capped at
 * `capMargin × (r + z·√r) + pad` of its r expected rows, so an underestimated dense range costs a
 * round rather than an unbounded read. `wholeMargin`: when ranges are to be read whole, a larger page
 * costs nothing (a Query is charged for the rows it reads, not its Limit) and saves a round when the
 * count underestimates a dense cell.
 */
export const ESTIMATED_PAGE = { z: 1.5, pad: 2, filterMargin: 1.5, capMargin: 2, wholeMargin: 3 } as const;

export interface FirstRound {
  /**
   * Instant (ms) back to which every stream reads in the first round: rows at or after it, up to its
   * limit. Undefined when fewer matches are expected than wanted: ranges are then read whole.
   */
  horizon?: number;
  /** Rows each stream is expected to read in the first round. */
  expected: number[];
  /** Most rows each stream reads in its first request. */
  limits: number[];
}

/** The first round of these queries for `want` results; undefined unless every query has an estimate. */
export function firstRound(queries: PlannedQuery[], want: number, filtered = false): FirstRound | undefined {
  if (queries.length === 0 || !queries.every((q) => q.estimate)) return undefined;
  const { z, pad, capMargin, wholeMargin } = ESTIMATED_PAGE;
  const es = queries.map((q) => q.estimate!);
  const rowsAfter = (e: (typeof es)[number], t: number): number =>
    e.rows * shareWithin(e.profile, [e.from, e.to], t, e.to);
  const matchesAfter = (t: number) => es.reduce((s, e) => s + rowsAfter(e, t) * e.hitRate, 0);
  const target = (want + z * Math.sqrt(want)) * (filtered ? ESTIMATED_PAGE.filterMargin : 1);
  let lo = Math.min(...es.map((e) => e.from));
  let hi = Math.max(...es.map((e) => e.to));
  if (matchesAfter(lo) <= target) {
    return { expected: es.map((e) => e.rows), limits: es.map((e) => e.rows * wholeMargin + pad) };
  }
  while (hi - lo > 1000) {
    const mid = (lo + hi) / 2;
    if (matchesAfter(mid) >= target) lo = mid;
    else hi = mid;
  }
  const expected = es.map((e) => rowsAfter(e, lo));
  return {
    horizon: lo,
    expected,
    limits: expected.map((r) => capMargin * (r + z * Math.sqrt(r)) + pad),
  };
}
