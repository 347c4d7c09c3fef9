// First-page sizes from the planner's row estimates, shared by the executor (to size its first round)
// and the planner (to cost plans by the rows they will read rather than the rows their ranges hold).
import type { PlannedQuery } from "./planner.ts";

/**
 * `margin`: expected matches read in the first round, as a multiple of the wanted results; `rowMargin`
 * on each stream's share; `pad` rows. `plain` covers the estimates' own error (counts spread evenly over
 * time and cells); `filtered` also the rows that filters the planner cannot see (CQL2, query, free
 * text) drop. `wholeMargin`: when ranges are to be read whole, a larger page costs nothing (a Query is
 * charged for the rows it reads, not its Limit) and saves a round when the count underestimates a
 * dense cell.
 */
export const ESTIMATED_PAGE = {
  plain: { margin: 1.2, rowMargin: 1.1, pad: 2 },
  filtered: { margin: 1.5, rowMargin: 1.2, pad: 4 },
  wholeMargin: 3,
} as const;

/**
 * Rows each query should read first: find the newest instant T such that the streams' expected matches
 * after T are `margin` × `want`, then each stream reads its expected rows after T. All streams then
 * reach back to about T in one round, which is what lets the newest-first merge stop after it. When
 * fewer matches are expected than wanted, every range is read whole. Undefined without estimates.
 */
export function expectedFirstPages(
  queries: PlannedQuery[],
  want: number,
  filtered = false,
): number[] | undefined {
  if (queries.length === 0 || !queries.every((q) => q.estimate)) return undefined;
  const m = filtered ? ESTIMATED_PAGE.filtered : ESTIMATED_PAGE.plain;
  const es = queries.map((q) => q.estimate!);
  const rowsAfter = (e: (typeof es)[number], t: number): number => {
    const span = e.to - e.from;
    if (span <= 0) return t <= e.from ? e.rows : 0;
    return (e.rows * Math.max(0, e.to - Math.max(t, e.from))) / span;
  };
  const matchesAfter = (t: number) => es.reduce((s, e) => s + rowsAfter(e, t) * e.hitRate, 0);
  const target = want * m.margin;
  let lo = Math.min(...es.map((e) => e.from));
  let hi = Math.max(...es.map((e) => e.to));
  if (matchesAfter(lo) <= target) return es.map((e) => e.rows * ESTIMATED_PAGE.wholeMargin + m.pad);
  while (hi - lo > 1000) {
    const mid = (lo + hi) / 2;
    if (matchesAfter(mid) >= target) lo = mid;
    else hi = mid;
  }
  return es.map((e) => rowsAfter(e, lo) * m.rowMargin + m.pad);
}
