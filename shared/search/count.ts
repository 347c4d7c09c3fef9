// Counts a search's matches (numberMatched) at a bounded cost: exactly, by reading every candidate
// row, when that takes at most COUNT.maxRows rows; else an estimate (from the rows read and the row
// counters), flagged as such in the response.
import { intersects } from "../geo/geometry.ts";
import type { ItemSummary } from "../index/rows.ts";
import type { Geometry } from "../stac/types.ts";
import type { Interval } from "./datetime.ts";
import { executeSearch, type SearchReads, type SearchStats } from "./execute.ts";
import { planSearch } from "./plan/choose.ts";
import type { Plan, PlanInput } from "./plan/types.ts";
import { makeOrder } from "./sort.ts";

/**
 * `maxRows`: index rows a count may read (a few hundred RCU at most: rows are summaries of well under
 * 1 KB, read 4 KB per half RCU). `skipFactor`: when the row counters expect more than this many times
 * `maxRows` rows and no filter the counters cannot see, the estimate is given without reading.
 */
export const COUNT = { maxRows: 2000, skipFactor: 4 } as const;

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
function estimated(plan: Plan): { rows: number; matches: number } | undefined {
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

const byId = makeOrder([{ field: "id", direction: "asc" }]).compare;

export async function countMatches(catalogue: SearchReads, input: CountInput): Promise<Count> {
  const maxRows = input.maxRows ?? COUNT.maxRows;
  const plan = planSearch({ ...input.plan, limit: undefined });
  const expected = estimated(plan);
  if (expected && !input.plan.filtered && expected.rows > COUNT.skipFactor * maxRows) {
    return {
      matched: Math.round(expected.matches),
      exact: false,
      stats: { strategy: plan.strategy, requests: 0, rounds: 0, rowsRead: 0, capacity: 0 },
    };
  }
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
