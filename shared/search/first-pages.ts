// The first round of a search in time order (newest or oldest first), from the planner's row
// estimates: shared by the executor (to bound its first reads) and the planner (to cost plans by the
// rows they will read rather than the rows their ranges hold).
import type { PlannedQuery } from "./plan/types.ts";
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
   * Instant (ms) back to which every stream reads in the first round: rows at or after it (at or before
   * it oldest first), up to its limit. Undefined when fewer matches are expected than wanted: ranges
   * are then read whole.
   */
  horizon?: number;
  /** Rows each stream is expected to read in the first round. */
  expected: number[];
  /** Most rows each stream reads in its first request. */
  limits: number[];
}

/**
 * The first round of these queries for `want` results, newest first or (`ascending`) oldest first;
 * undefined unless every query has an estimate.
 */
export function firstRound(
  queries: PlannedQuery[],
  want: number,
  filtered = false,
  ascending = false,
): FirstRound | undefined {
  if (queries.length === 0 || !queries.every((q) => q.estimate)) return undefined;
  const { z, pad, capMargin, wholeMargin } = ESTIMATED_PAGE;
  const es = queries.map((q) => q.estimate!);
  // Rows a range holds from its first end in the order (its newest, or oldest) to instant t.
  const rowsTo = (e: (typeof es)[number], t: number): number =>
    e.rows *
    (ascending
      ? shareWithin(e.profile, [e.from, e.to], e.from, t)
      : shareWithin(e.profile, [e.from, e.to], t, e.to));
  // Distinct items: a match with rows in several ranges is one result.
  const matchesTo = (t: number) => es.reduce((s, e) => s + rowsTo(e, t) * e.hitRate * (e.distinct ?? 1), 0);
  const target = (want + z * Math.sqrt(want)) * (filtered ? ESTIMATED_PAGE.filterMargin : 1);
  // `near` is where reading starts, `far` where it would end: the horizon lies between them.
  let near = ascending ? Math.min(...es.map((e) => e.from)) : Math.max(...es.map((e) => e.to));
  let far = ascending ? Math.max(...es.map((e) => e.to)) : Math.min(...es.map((e) => e.from));
  if (matchesTo(far) <= target) {
    return { expected: es.map((e) => e.rows), limits: es.map((e) => e.rows * wholeMargin + pad) };
  }
  while (Math.abs(far - near) > 1000) {
    const mid = (near + far) / 2;
    if (matchesTo(mid) >= target) far = mid;
    else near = mid;
  }
  const expected = es.map((e) => rowsTo(e, far));
  return {
    horizon: far,
    expected,
    limits: expected.map((r) => capMargin * (r + z * Math.sqrt(r)) + pad),
  };
}
