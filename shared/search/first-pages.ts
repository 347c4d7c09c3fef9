// First-page sizes from the planner's row estimates, shared by the executor (to size its first round)
// and the planner (to cost plans by the rows they will read rather than the rows their ranges hold).
import type { PlannedQuery } from "./planner.ts";
import { shareWithin } from "./time-profile.ts";

/**
 * Counts spread evenly over time and cells are Poisson-like estimates: n expected rows arrive as
 * n ± √n. The first round therefore aims at `want + z·√want` matches (the k-th result's time varies
 * with the total) and each stream reads its expected rows `r + z·√r + pad` (each stream varies on
 * its own). `filterMargin` multiplies the matches aimed at when filters the planner cannot see (CQL2,
 * query, free text) drop rows. `wholeMargin`: when ranges are to be read whole, a larger page costs
 * nothing (a Query is charged for the rows it reads, not its Limit) and saves a round when the count
 * underestimates a dense cell.
 */
export const ESTIMATED_PAGE = { z: 1.5, pad: 1, filterMargin: 1.5, wholeMargin: 3 } as const;

/**
 * Rows each query should read first: find the newest instant T such that the streams' expected matches
 * after T are the target above, then each stream reads its expected rows after T. All streams then
 * reach back to about T in one round, which is what lets the newest-first merge stop after it. When
 * fewer matches are expected than wanted, every range is read whole. Undefined without estimates.
 */
export function expectedFirstPages(
  queries: PlannedQuery[],
  want: number,
  filtered = false,
): number[] | undefined {
  if (queries.length === 0 || !queries.every((q) => q.estimate)) return undefined;
  const { z, pad } = ESTIMATED_PAGE;
  const es = queries.map((q) => q.estimate!);
  const rowsAfter = (e: (typeof es)[number], t: number): number =>
    e.rows * shareWithin(e.profile, [e.from, e.to], t, e.to);
  const matchesAfter = (t: number) => es.reduce((s, e) => s + rowsAfter(e, t) * e.hitRate, 0);
  const target = (want + z * Math.sqrt(want)) * (filtered ? ESTIMATED_PAGE.filterMargin : 1);
  let lo = Math.min(...es.map((e) => e.from));
  let hi = Math.max(...es.map((e) => e.to));
  if (matchesAfter(lo) <= target) return es.map((e) => e.rows * ESTIMATED_PAGE.wholeMargin + pad);
  while (hi - lo > 1000) {
    const mid = (lo + hi) / 2;
    if (matchesAfter(mid) >= target) lo = mid;
    else hi = mid;
  }
  return es.map((e) => {
    const r = rowsAfter(e, lo);
    return r + z * Math.sqrt(r) + pad;
  });
}
