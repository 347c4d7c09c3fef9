// The streams of a search: time-ordered ranges read newest first a page at a time, each cut at a
// horizon (an instant back to which every stream reads in a round) and its older part kept for later
// rounds, or oldest first a page at a time; unordered ranges read whole. execute.ts merges them.
import { datetimeOfSortKey, SK, upToTime } from "../index/keys.ts";
import type { ItemSummary } from "../index/rows.ts";
import { MAX_TIME } from "../index/time.ts";
import type { RowReader } from "../storage/catalogue.ts";
import { ESTIMATED_PAGE } from "./first-pages.ts";
import type { Plan, PlannedQuery } from "./plan/types.ts";

export interface SearchStats {
  strategy: Plan["strategy"] | "ids";
  requests: number;
  rounds: number;
  rowsRead: number;
  capacity: number;
}

/**
 * Rows per request of a time-ordered stream: bounds, how the first page is sized, and how fast a page
 * grows while too few matches are known to bound the read (× 4: a range holding many more rows than
 * estimated, e.g. items sharing one instant, is read in a few rounds).
 */
export const PAGE = { min: 25, max: 2000, growth: 4 } as const;

export interface Stream {
  q: PlannedQuery;
  /** Read oldest first (results in ascending datetime order); newest first otherwise. */
  ascending?: boolean;
  /**
   * The part of the range beyond the horizon (older; newer when ascending), read only after the part
   * up to it.
   */
  rest?: [string, string];
  /**
   * Ordered streams: everything unread is at or before this datetime (the last row evaluated; at or
   * after it when ascending), or strictly so when `below` (the part of a range up to a horizon has been
   * read whole). Before the first page: MAX_TIME, or "" when ascending.
   */
  frontier: string;
  below?: boolean;
  /** Datetime of the first row evaluated. */
  top?: string;
  rows: number;
  pageSize: number;
  startKey?: Record<string, unknown>;
  done: boolean;
}

/**
 * Reads a time-ordered range only back to the horizon (first round: the estimated one; later rounds:
 * the k-th match's datetime, or further back by the shortfall). Every stream then stops at the same
 * instant, so their matches add up as one count (one margin for all, not one each), and a stream
 * denser than estimated is read to the horizon all the same, up to its page size. The part older than
 * the horizon (newer, oldest first) is kept for later rounds.
 */
export function cutAt(s: Stream, horizon: string): void {
  if (!s.q.order || !s.q.range) return;
  const forwards = s.ascending === true;
  // The range's whole extent, the part read so far included.
  const lo = forwards ? s.q.range[0] : (s.rest?.[0] ?? s.q.range[0]);
  const hi = forwards ? (s.rest?.[1] ?? s.q.range[1]) : s.q.range[1];
  // No row's key equals the cut (rows add "~id" after the datetime; `upToTime` ends in the highest
  // character): the rest is strictly older (newer) than the horizon.
  const key = forwards ? upToTime(s.q.order.prefix, horizon) : `${s.q.order.prefix}${horizon}`;
  if (forwards ? key >= hi || key < lo : key <= lo || key > hi) {
    if (s.rest) {
      s.q = { ...s.q, range: [lo, hi] };
      delete s.rest;
    }
    return;
  }
  s.q = { ...s.q, range: forwards ? [lo, key] : [key, hi] };
  s.rest = forwards ? [key, hi] : [lo, key];
}

/** Year 0: no sort key is older, and dates stay printable. */
export const EARLIEST = Date.parse("0000-01-01T00:00:00.000Z");

/**
 * The next horizon when fewer matches than wanted were found after `reach`: back by the span read so
 * far times the shortfall (with the first round's margin) over the matches found (at least one). From
 * the second such round on, at least the whole span again: when no more matches exist (fewer than
 * `limit` in all), every row must be read anyway, and doubling does that in a few rounds rather than
 * creeping back by the rate of the matches already found.
 */
export function deeperHorizon(
  reach: number,
  [bottom, top]: [number, number],
  missing: number,
  found: number,
  again: boolean,
  ascending = false,
): number {
  const span = Math.max(60_000, ascending ? reach - bottom : top - reach);
  const factor = (missing + ESTIMATED_PAGE.z * Math.sqrt(missing)) / Math.max(1, found);
  const step = span * (again ? Math.max(1, factor) : factor);
  // Past the estimated rows: read the rest whole (the estimates' extents may lag an ingest).
  if (ascending) return reach + step >= top ? LATEST : reach + step;
  return reach - step <= bottom ? EARLIEST : reach - step;
}

/** The last instant of year 9999: no sort key is newer. */
export const LATEST = Date.parse(MAX_TIME);

/** The first part of a cut range is read: everything unread is beyond (older, or newer) the horizon. */
function continueBelowCut(s: Stream): void {
  s.frontier = datetimeOfSortKey(s.rest![s.ascending ? 0 : 1], s.q.order!.prefix);
  s.below = true;
  s.q = { ...s.q, range: s.rest! };
  delete s.rest;
  delete s.startKey;
}

/**
 * Whether the stream may still hold an unread row that comes no later than `datetime` in its order:
 * at or after it newest first, at or before it oldest first.
 */
export const unreadReaches = (s: Stream, datetime: string): boolean =>
  s.ascending
    ? s.below
      ? datetime > s.frontier
      : datetime >= s.frontier
    : s.below
      ? datetime < s.frontier
      : datetime <= s.frontier;

/** Enough rows to reach `target` at the rate (rows per ms) this stream has shown so far, with a margin. */
export function nextPageSize(s: Stream, target: string): number {
  const [top, frontier] = [Date.parse(s.top ?? s.frontier), Date.parse(s.frontier)];
  const spanMs = Math.max(1, Math.abs(frontier - top));
  const gapMs = Math.max(0, s.ascending ? Date.parse(target) - frontier : frontier - Date.parse(target));
  const estimate = Math.ceil((s.rows / spanMs) * gapMs * 1.25) + PAGE.min;
  return Number.isFinite(estimate) ? Math.min(PAGE.max, Math.max(PAGE.min, estimate)) : PAGE.min;
}

export async function readPage(
  catalogue: RowReader,
  s: Stream,
  stats: SearchStats,
  test: (x: ItemSummary) => void,
  /** Ends an unordered stream's read early (a bounded read); it resumes from its start key. */
  spent?: () => boolean,
) {
  do {
    const base = s.q.order ? { ...s.q, pageSize: s.pageSize } : s.q;
    const page = await catalogue.queryRows(s.startKey ? { ...base, startKey: s.startKey } : base);
    stats.requests++;
    stats.rowsRead += page.scanned;
    stats.capacity += page.capacity;
    s.rows += page.scanned;
    for (const r of page.rows) test(r.summary);
    if (s.q.order) {
      const last = page.next?.[SK] as string | undefined;
      if (last !== undefined) {
        const t = datetimeOfSortKey(last, s.q.order.prefix);
        s.top ??= page.rows[0]?.summary.datetime ?? t;
        s.frontier = t;
        s.below = false;
      }
    }
    if (page.next) s.startKey = page.next;
    else if (s.rest) continueBelowCut(s);
    else s.done = true;
    // Unordered streams are read to the end in one round; ordered ones a page at a time.
  } while (!s.q.order && !s.done && !spent?.());
}
