// Runs a plan. Time-ordered queries (cell, group and time rows) are read newest first, a page at a
// time, and merged: reading stops once the page's last result is newer than everything left unread in
// every stream (limit pushdown). Unordered queries are read whole. Then the exact tests (time, geometry,
// collection, `accept`) on the rows' summaries, and one batch read of the page's items.
import { intersects } from "../geo/geometry.ts";
import { datetimeOfSortKey, SK, upToTime } from "../index/keys.ts";
import type { ItemSummary } from "../index/rows.ts";
import { MAX_TIME } from "../index/time.ts";
import type { Geometry, StacItem } from "../stac/types.ts";
import type { Catalogue } from "../storage/catalogue.ts";
import { itemRef } from "../storage/catalogue.ts";
import { type Cursor, compareDesc } from "./cursor.ts";
import type { Interval } from "./datetime.ts";
import { ESTIMATED_PAGE, firstRound } from "./first-pages.ts";
import type { Plan, PlannedQuery } from "./planner.ts";
import { shareWithin } from "./time-profile.ts";

export interface ExecuteInput {
  plan: Plan;
  geometry?: Geometry | undefined;
  interval: Interval;
  collections?: Set<string> | undefined;
  ids?: Set<string> | undefined;
  after?: Cursor | undefined;
  limit: number;
  /** Result order; newest first (datetime, collection, id descending) when absent. Must be a total order. */
  compare?: ((a: ItemSummary, b: ItemSummary) => number) | undefined;
  /** Keeps only rows after the previous page's last row in `compare` order (replaces `after` when given). */
  afterFilter?: ((s: ItemSummary) => boolean) | undefined;
  /** Extra test on a row's summary (e.g. a CQL2 filter that rows can answer). */
  accept?: ((s: ItemSummary) => boolean) | undefined;
  /** Rows read in the first round, as a multiple of limit (default FIRST_PAGE.factor). */
  firstPageFactor?: number | undefined;
}

export interface SearchStats {
  strategy: Plan["strategy"] | "ids";
  requests: number;
  rounds: number;
  rowsRead: number;
  capacity: number;
}

export interface SearchResult {
  items: StacItem[];
  /** Sort position of the last item, when more results follow. */
  next?: Cursor;
  /** Summary of the last item returned, when more results follow (for cursors on other sort keys). */
  lastSummary?: ItemSummary;
  stats: SearchStats;
}

const CONCURRENCY = 32;
/**
 * Rows per request of a time-ordered stream: bounds, how the first page is sized, and how fast a page
 * grows while too few matches are known to bound the read (× 4: a range holding many more rows than
 * estimated, e.g. items sharing one instant, is read in a few rounds).
 */
const PAGE = { min: 25, max: 2000, growth: 4 } as const;
/**
 * First page of each of n time-ordered streams without estimates: the wanted rows (limit) times
 * FIRST_PAGE.factor, shared among the streams, at least FIRST_PAGE.min. One round usually suffices when
 * the streams are balanced; a larger factor reads more rows to avoid a second round (precision vs
 * rounds, measured). With estimates (first-pages.ts) the first round reads back to a common horizon,
 * each stream at most its limit, at least `minEstimated` rows.
 */
const FIRST_PAGE = { factor: 8, min: 4, minEstimated: 2 } as const;

function firstPageSize(want: number, streams: number, factor: number = FIRST_PAGE.factor): number {
  return Math.min(PAGE.max, Math.max(FIRST_PAGE.min, Math.ceil((factor * want) / streams)));
}

const estimatedLimit = (rows: number) =>
  Math.min(PAGE.max, Math.max(FIRST_PAGE.minEstimated, Math.ceil(rows)));

interface Stream {
  q: PlannedQuery;
  /** The older part of the range, read only after the first round's part (rows after its horizon). */
  rest?: [string, string];
  /**
   * Ordered streams: everything unread is at or before this datetime (the last row evaluated), or
   * strictly before it when `below` (the part of a range down to a horizon has been read whole).
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

async function mapLimited<T>(xs: T[], n: number, f: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(n, xs.length) }, async () => {
    while (next < xs.length) await f(xs[next++]!);
  });
  await Promise.all(workers);
}

/** A cursor cuts a range at its datetime: so is the range's estimate. */
const withCursorEstimate =
  (after: Cursor | undefined) =>
  (q: PlannedQuery): PlannedQuery => {
    if (!after || !q.estimate) return q;
    const e = q.estimate;
    const cut = Math.min(e.to, Math.max(e.from, Date.parse(after.datetime)));
    const rows = e.to > e.from ? e.rows * shareWithin(e.profile, [e.from, e.to], e.from, cut) : e.rows;
    return { ...q, estimate: { ...e, rows, to: cut } };
  };

/**
 * Reads a time-ordered range only back to the horizon (first round: the estimated one; later rounds:
 * the k-th match's datetime, or further back by the shortfall). Every stream then stops at the same
 * instant, so their matches add up as one count (one margin for all, not one each), and a stream
 * denser than estimated is read to the horizon all the same, up to its page size. The part older than
 * the horizon is kept for later rounds.
 */
function cutAt(s: Stream, horizon: string): void {
  if (!s.q.order || !s.q.range) return;
  const lo = s.rest?.[0] ?? s.q.range[0];
  const hi = s.q.range[1];
  const key = `${s.q.order.prefix}${horizon}`;
  if (key <= lo || key > hi) {
    if (s.rest) {
      s.q = { ...s.q, range: [lo, hi] };
      delete s.rest;
    }
    return;
  }
  s.q = { ...s.q, range: [key, hi] };
  // No row's key equals `key` (rows add "~id" after the datetime): the rest is strictly older.
  s.rest = [lo, key];
}

/** Year 0: no sort key is older, and dates stay printable. */
const EARLIEST = Date.parse("0000-01-01T00:00:00.000Z");

/**
 * The next horizon when fewer matches than wanted were found after `reach`: back by the span read so
 * far times the shortfall (with the first round's margin) over the matches found (at least one). From
 * the second such round on, at least the whole span again: when no more matches exist (fewer than
 * `limit` in all), every row must be read anyway, and doubling does that in a few rounds rather than
 * creeping back by the rate of the matches already found.
 */
function deeperHorizon(
  reach: number,
  [bottom, top]: [number, number],
  missing: number,
  found: number,
  again: boolean,
): number {
  const span = Math.max(60_000, top - reach);
  const factor = (missing + ESTIMATED_PAGE.z * Math.sqrt(missing)) / Math.max(1, found);
  const next = reach - span * (again ? Math.max(1, factor) : factor);
  // Past the oldest estimated rows: read the rest whole (the estimates' extents may lag an ingest).
  return next <= bottom ? EARLIEST : next;
}

/** The first part of a cut range is read: everything unread is older than the horizon. */
function continueBelowCut(s: Stream): void {
  const prefix = s.q.order!.prefix;
  const horizon = datetimeOfSortKey(s.rest![1], prefix);
  if (s.top === undefined) {
    const to = s.q.estimate
      ? new Date(s.q.estimate.to).toISOString()
      : datetimeOfSortKey(s.q.range![1], prefix);
    s.top = to > horizon ? to : horizon;
  }
  s.frontier = horizon;
  s.below = true;
  s.q = { ...s.q, range: s.rest! };
  delete s.rest;
  delete s.startKey;
}

/** With the default order and a cursor, nothing newer than the cursor can be on this page. */
function boundByCursor(q: PlannedQuery, after: Cursor | undefined): PlannedQuery {
  if (!after || !q.order || !q.range) return q;
  const hi = upToTime(q.order.prefix, after.datetime);
  return hi < q.range[1] ? { ...q, range: [q.range[0], hi] } : q;
}

export async function executeSearch(catalogue: Catalogue, input: ExecuteInput): Promise<SearchResult> {
  const stats: SearchStats = {
    strategy: input.plan.strategy,
    requests: 0,
    rounds: 0,
    rowsRead: 0,
    capacity: 0,
  };
  // Pushdown relies on the streams' order matching the result order: only for the default order.
  const pushdown = input.compare === undefined;
  const orderedStreams = input.plan.queries.filter((q) => q.order).length;
  const bounded = input.plan.queries.map((q) => (pushdown ? boundByCursor(q, input.after) : q));
  const round =
    pushdown && input.firstPageFactor === undefined
      ? firstRound(bounded.map(withCursorEstimate(input.after)), input.limit, input.plan.filtered)
      : undefined;
  const streams: Stream[] = bounded.map((q, i) => {
    const s: Stream = {
      q,
      frontier: MAX_TIME,
      rows: 0,
      // Without pushdown everything is read anyway: in pages as large as possible.
      pageSize: !pushdown
        ? PAGE.max
        : round
          ? estimatedLimit(round.limits[i]!)
          : firstPageSize(input.limit, orderedStreams, input.firstPageFactor),
      done: false,
    };
    if (round?.horizon !== undefined) cutAt(s, new Date(round.horizon).toISOString());
    return s;
  });
  const candidates = new Map<string, ItemSummary>();
  const tested = new Set<string>();
  const test = (s: ItemSummary): void => {
    const ref = `${itemRef(s.collection, s.id)}\u0000${s.version}`;
    if (tested.has(ref)) return;
    tested.add(ref);
    if (passes(input, s)) candidates.set(ref, s);
  };

  // With a first round reaching back to a horizon, later rounds reach back to horizons too.
  let reach = round?.horizon;
  let deeper = 0;
  const extent: [number, number] = [
    Math.min(...bounded.map((q) => q.estimate?.from ?? EARLIEST)),
    Math.max(...bounded.map((q) => q.estimate?.to ?? 0)),
  ];
  let firstPass = true;
  let want = input.limit;
  for (;;) {
    let ordered: ItemSummary[] = [];
    for (;;) {
      ordered = [...candidates.values()].sort(input.compare ?? compareDesc);
      const kth = ordered[want - 1];
      const open = streams.filter(
        (s) => !s.done && (!pushdown || !s.q.order || !kth || unreadReaches(s, kth.datetime)),
      );
      if (open.length === 0) break;
      if (!firstPass && reach !== undefined) {
        // Down to the k-th match when there is one (nothing older can be on the page), else further
        // back by the shortfall.
        if (!kth) {
          reach = deeperHorizon(reach, extent, want - candidates.size, candidates.size, deeper > 0);
          deeper++;
        }
        const horizon = kth ? kth.datetime : new Date(reach).toISOString();
        for (const s of open) {
          if (!s.q.order || !s.q.range) continue;
          cutAt(s, horizon);
          s.pageSize = PAGE.max;
        }
      } else if (!firstPass) {
        for (const s of open) {
          if (!s.q.order || (s.rows === 0 && s.frontier === MAX_TIME)) continue;
          s.pageSize = kth ? nextPageSize(s, kth.datetime) : Math.min(PAGE.max, PAGE.growth * s.pageSize);
        }
      }
      firstPass = false;
      stats.rounds++;
      await mapLimited(open, CONCURRENCY, (s) => readPage(catalogue, s, stats, test));
    }
    // Only results that no open stream can still hold a newer row than are final.
    const open = streams.filter((s) => !s.done);
    const final = ordered.filter((c) => open.every((s) => !unreadReaches(s, c.datetime)));
    const result = await fetchPage(catalogue, final, input.limit, stats);
    if (result.items.length === input.limit || open.length === 0) {
      if (!result.next && open.length > 0) setNext(result, final);
      return result;
    }
    // Rows of replaced or deleted items were skipped: read further.
    want += input.limit;
  }
}

/** Whether the stream may still hold an unread row at or after `datetime`. */
const unreadReaches = (s: Stream, datetime: string): boolean =>
  s.below ? datetime < s.frontier : datetime <= s.frontier;

/** More rows remain unread: the page ends at its last item. */
function setNext(result: SearchResult, final: ItemSummary[]): void {
  const item = result.items[result.items.length - 1];
  const last = item && final.find((s) => s.id === item.id && s.collection === item.collection);
  if (!last) return;
  result.next = { datetime: last.datetime, collection: last.collection, id: last.id };
  result.lastSummary = last;
}

function passes(input: ExecuteInput, s: ItemSummary): boolean {
  const { interval } = input;
  if (input.collections && !input.collections.has(s.collection)) return false;
  if (input.ids && !input.ids.has(s.id)) return false;
  if (s.start > interval.to || s.end < interval.from) return false;
  if (input.afterFilter ? !input.afterFilter(s) : input.after && compareDesc(s, input.after) <= 0)
    return false;
  if (input.accept && !input.accept(s)) return false;
  return !input.geometry || (s.geometry !== null && intersects(s.geometry, input.geometry));
}

/** Enough rows to reach `target` at the rate (rows per ms) this stream has shown so far, with a margin. */
function nextPageSize(s: Stream, target: string): number {
  const spanMs = Math.max(1, Date.parse(s.top ?? s.frontier) - Date.parse(s.frontier));
  const gapMs = Math.max(0, Date.parse(s.frontier) - Date.parse(target));
  const estimate = Math.ceil((s.rows / spanMs) * gapMs * 1.25) + PAGE.min;
  return Math.min(PAGE.max, Math.max(PAGE.min, estimate));
}

async function readPage(catalogue: Catalogue, s: Stream, stats: SearchStats, test: (x: ItemSummary) => void) {
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
  } while (!s.q.order && !s.done);
}

/** Reads the items of the first `limit` summaries, skipping rows left behind by a replaced or deleted item. */
export async function fetchPage(
  catalogue: Catalogue,
  ordered: ItemSummary[],
  limit: number,
  stats: SearchStats,
): Promise<SearchResult> {
  const items: StacItem[] = [];
  let offset = 0;
  let last: ItemSummary | undefined;
  while (items.length < limit && offset < ordered.length) {
    const slice = ordered.slice(offset, offset + (limit - items.length));
    offset += slice.length;
    const before = { ...catalogue.stats };
    const found = await catalogue.getItems(slice.map((s) => ({ collection: s.collection, id: s.id })));
    stats.requests += catalogue.stats.requests - before.requests;
    stats.capacity += catalogue.stats.capacity - before.capacity;
    stats.rounds++;
    for (const s of slice) {
      const stored = found.get(itemRef(s.collection, s.id));
      if (!stored || stored.version !== s.version) continue;
      items.push(stored.item);
      last = s;
    }
  }
  const result: SearchResult = { items, stats };
  if (last && offset < ordered.length) {
    result.next = { datetime: last.datetime, collection: last.collection, id: last.id };
    result.lastSummary = last;
  }
  return result;
}
