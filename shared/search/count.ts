// Counts a search's matches (numberMatched) at a cost bounded by its page: decided from the row
// counters before anything is read — the page's own read is expected to see every match, or a bounded
// count read runs alongside the page (exact when it sees every candidate), or the counters (or the
// page's own rows, under filters they cannot see) give an estimate, flagged as such in the response.
import { intersects } from "../geo/geometry.ts";
import type { ItemSummary } from "../index/rows.ts";
import type { Geometry } from "../stac/types.ts";
import type { Interval } from "./datetime.ts";
import { executeSearch, type SearchReads, type SearchStats } from "./execute.ts";
import { ESTIMATED_PAGE } from "./first-pages.ts";
import { planSearch } from "./plan/choose.ts";
import type { Plan, PlanInput } from "./plan/types.ts";
import { makeOrder } from "./sort.ts";

/**
 * `perResult`: index rows a search's count read may read per result its page asks for (`limit`), at
 * least `minRows`, at most `maxRows` (the page itself reads one to two rows per result: the count
 * stays a small multiple of it). `maxRows` is also the bound of a plan without row counters (no
 * estimate to fall back on). `skipFactor` (countMatches alone): when the counters expect more than
 * this many times the bound and no filter they cannot see applies, their estimate is given unread.
 */
export const COUNT = { maxRows: 2000, perResult: 2, minRows: 20, skipFactor: 4 } as const;

/** The count read's row bound for a page of `limit` results. */
export const countBound = (limit: number): number =>
  Math.min(COUNT.maxRows, Math.max(COUNT.minRows, COUNT.perResult * limit));

export interface Count {
  matched: number;
  /** False: an estimate, never below the matches counted before the bound was reached. */
  exact: boolean;
  stats: SearchStats;
}

export interface CountInput {
  /** The search's plan input; the count plans to read ranges whole (no limit). */
  plan: PlanInput;
  geometry?: Geometry | undefined;
  interval: Interval;
  collections: Set<string>;
  /** The exact row test (filters, free text) the page applies; the area is tested by the count. */
  accept: (s: ItemSummary) => boolean;
  /** The bound (default COUNT.maxRows). */
  maxRows?: number;
}

/** Rows the plan's ranges hold within their intervals, and the matches among them, from the row counters. */
export function estimated(plan: Plan): { rows: number; matches: number } | undefined {
  if (plan.queries.length === 0 || !plan.queries.every((q) => q.estimate)) return undefined;
  let rows = 0;
  let matches = 0;
  for (const q of plan.queries) {
    const e = q.estimate!;
    rows += e.rows;
    matches += e.rows * e.hitRate;
  }
  return { rows, matches };
}

const noReads = (plan: Plan): SearchStats => ({
  strategy: plan.strategy,
  requests: 0,
  rounds: 0,
  rowsRead: 0,
  capacity: 0,
});

const byId = makeOrder([{ field: "id", direction: "asc" }]).compare;

/** Reads every candidate row up to `maxRows`: exact when it gets through them all, else scaled to `expected`. */
async function readCount(
  catalogue: SearchReads,
  input: CountInput,
  plan: Plan,
  maxRows: number,
  expected: { rows: number } | undefined,
): Promise<Count> {
  const seen = new Set<string>();
  const g = input.geometry;
  const inArea = (s: ItemSummary) => !g || (s.geometry !== null && intersects(s.geometry, g));
  const result = await executeSearch(catalogue, {
    plan,
    geometry: input.geometry,
    interval: input.interval,
    collections: input.collections,
    limit: 0,
    compare: byId,
    // Called before the executor's own geometry test: the area is tested here too.
    accept: (s) => {
      if (inArea(s) && input.accept(s)) seen.add(`${s.collection}\u0000${s.id}`);
      return false;
    },
    maxRows,
  });
  const stats = result.stats;
  if (!result.truncated) return { matched: seen.size, exact: true, stats };
  // The matches among the rows read, scaled to the rows the ranges are expected to hold.
  const scale = expected && stats.rowsRead > 0 ? expected.rows / stats.rowsRead : 1;
  return { matched: Math.max(seen.size, Math.round(seen.size * scale)), exact: false, stats };
}

/** A count on its own (no page): a bounded read, or the counters' estimate when that read would be far too long. */
export async function countMatches(catalogue: SearchReads, input: CountInput): Promise<Count> {
  const maxRows = input.maxRows ?? COUNT.maxRows;
  const plan = planSearch({ ...input.plan, limit: undefined });
  const expected = estimated(plan);
  if (expected && !input.plan.filtered && expected.rows > COUNT.skipFactor * maxRows)
    return { matched: Math.round(expected.matches), exact: false, stats: noReads(plan) };
  return readCount(catalogue, input, plan, maxRows, expected);
}

/**
 * How a search's count is had, decided before its page is read:
 * - `page`: fewer matches are expected than the page's first round aims at, so that round reads the
 *   ranges whole and the page's own read sees every match (search.ts checks that it did);
 * - `sample`: too many rows to read and filters the counters cannot see: the matches among the page's
 *   own rows, scaled to the rows its plan's ranges hold (`sampled`);
 * - `count`: a bounded count read started now, alongside the page, or the counters' estimate (no read).
 */
export type CountStart = { by: "page" } | { by: "sample" } | { by: "count"; count: Promise<Count> };

export interface StartOptions {
  /** The page's size: what the count's bound and the `page` decision are relative to. */
  limit: number;
  /** Page 1 (no paging position): the page's own read can prove or sample the count. */
  firstPage: boolean;
  /** The count read's bound (default countBound(limit); COUNT.maxRows without row counters). */
  maxRows?: number | undefined;
}

export function startCount(catalogue: SearchReads, input: CountInput, o: StartOptions): CountStart {
  const plan = planSearch({ ...input.plan, limit: undefined });
  const expected = estimated(plan);
  const started = (count: Promise<Count>): CountStart => {
    // Awaited after the page; a failed page must not leave it unhandled.
    count.catch(() => undefined);
    return { by: "count", count };
  };
  // No row counters: nothing to estimate from, the bound is the only limit.
  if (!expected) return started(readCount(catalogue, input, plan, o.maxRows ?? COUNT.maxRows, undefined));
  const maxRows = o.maxRows ?? countBound(o.limit);
  // The page's first round reads ranges whole when it expects at most this many matches (first-pages.ts).
  const { z, filterMargin } = ESTIMATED_PAGE;
  const whole = (o.limit + z * Math.sqrt(o.limit)) * (input.plan.filtered ? filterMargin : 1);
  if (o.firstPage && expected.matches <= whole) return { by: "page" };
  if (expected.rows <= maxRows) return started(readCount(catalogue, input, plan, maxRows, expected));
  if (!input.plan.filtered)
    return started(
      Promise.resolve({ matched: Math.round(expected.matches), exact: false, stats: noReads(plan) }),
    );
  if (o.firstPage) return { by: "sample" };
  // A later page without its first page's count (a token issued before counts were carried): a sample
  // of its own, scaled.
  return started(readCount(catalogue, input, plan, maxRows, expected));
}

/**
 * The estimate from a page's own read (`sample`): `matches` among its `rowsRead` rows, scaled to the
 * rows its plan's ranges hold; never below the matches seen.
 */
export function sampled(pagePlan: Plan, matches: number, rowsRead: number): Count {
  const expected = estimated(pagePlan);
  const scale = expected && rowsRead > 0 ? expected.rows / rowsRead : 1;
  return { matched: Math.max(matches, Math.round(matches * scale)), exact: false, stats: noReads(pagePlan) };
}
