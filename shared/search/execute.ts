// Runs a plan. Time-ordered queries (cell, group and time rows) are read newest first and merged
// (streams.ts): every round reads each open range back to one instant — the first round to the horizon
// estimated from the row counts (first-pages.ts), later ones to the k-th match or further back by the
// shortfall — and reading stops once the page's last result is newer than everything left unread in
// every stream (limit pushdown). Oldest first (`ascending`) every range is read forwards, with the same
// horizons and pushdown mirrored. Unordered queries are read whole. Then the exact tests (time,
// geometry, collection, `accept`) on the rows' summaries, and one batch read of the page's items.
import { mapLimited } from "../concurrency.ts";
import { intersects } from "../geo/geometry.ts";
import { upToTime } from "../index/keys.ts";
import type { ItemSummary } from "../index/rows.ts";
import { MAX_TIME } from "../index/time.ts";
import type { Geometry, StacItem } from "../stac/types.ts";
import type { IoCounted, ItemRecords, RowReader } from "../storage/catalogue.ts";
import { itemRef } from "../storage/catalogue.ts";
import { type Cursor, compareAsc, compareDesc } from "./cursor.ts";
import type { Interval } from "./datetime.ts";
import { firstRound } from "./first-pages.ts";
import type { Plan, PlannedQuery } from "./plan/types.ts";
import {
  cutAt,
  deeperHorizon,
  EARLIEST,
  nextPageSize,
  PAGE,
  readPage,
  type SearchStats,
  type Stream,
  unreadReaches,
} from "./streams.ts";
import { shareWithin } from "./time-profile.ts";

export interface ExecuteInput {
  plan: Plan;
  geometry?: Geometry | undefined;
  interval: Interval;
  collections?: Set<string> | undefined;
  ids?: Set<string> | undefined;
  after?: Cursor | undefined;
  limit: number;
  /**
   * Result order; newest first (datetime, collection, id descending) when absent, or oldest first with
   * `ascending`. Must be a total order. Given, every row is read (no pushdown).
   */
  compare?: ((a: ItemSummary, b: ItemSummary) => number) | undefined;
  /** Oldest first (datetime, collection, id ascending), with limit pushdown; `after` is then its cursor. */
  ascending?: boolean | undefined;
  /** Keeps only rows after the previous page's last row in `compare` order (replaces `after` when given). */
  afterFilter?: ((s: ItemSummary) => boolean) | undefined;
  /** Extra test on a row's summary (e.g. a CQL2 filter that rows can answer). */
  accept?: ((s: ItemSummary) => boolean) | undefined;
  /** Rows read in the first round, as a multiple of limit (default FIRST_PAGE.factor). */
  firstPageFactor?: number | undefined;
  /**
   * `plan` is a speculative one, from cached inputs: its first round runs while this settles with the
   * plan from fresh inputs and the collections the search may read (no plan: nothing to search;
   * rejected: the search fails). Its rows outside those collections are dropped; ranges of the fresh
   * plan not in `plan` are read from the next round on, and those only in `plan` no further.
   */
  confirm?: Promise<Confirmation> | undefined;
  /**
   * With `compare` (every row read): stop once this many rows are read (pages sized so that one round
   * reads about this many), returning `truncated` and no items. What counts are bounded by (count.ts).
   */
  maxRows?: number | undefined;
}

export type { SearchStats } from "./streams.ts";

/** The plan made from fresh inputs, for a search started on a speculative one (ExecuteInput.confirm). */
export interface Confirmation {
  /** Absent: nothing to search (no collection the caller may see, or the filters exclude everything). */
  plan?: Plan | undefined;
  collections: Set<string>;
  /** Sequential reads its inputs took (collection listing, row counts): rounds on the critical path. */
  rounds: number;
}

/** A range's identity: two plans read the same rows when they hold a query of the same key. */
const queryKey = (q: PlannedQuery): string =>
  JSON.stringify([q.pk, q.range, q.prefix, q.overlaps, q.descending === true, q.order?.prefix]);

export interface SearchResult {
  items: StacItem[];
  /** Sort position of the last item, when more results follow. */
  next?: Cursor;
  /** Summary of the last item returned, when more results follow (for cursors on other sort keys). */
  lastSummary?: ItemSummary;
  stats: SearchStats;
  /** The read stopped at ExecuteInput.maxRows: not every row was evaluated. */
  truncated?: boolean;
  /** Every row of the plan's ranges was read and tested: `accept` saw every match (what counts use). */
  exhausted?: boolean;
}

const CONCURRENCY = 32;
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

/** A cursor cuts a range at its datetime: so is the range's estimate (its older, or newer, part). */
const withCursorEstimate =
  (after: Cursor | undefined, ascending: boolean) =>
  (q: PlannedQuery): PlannedQuery => {
    if (!after || !q.estimate) return q;
    const e = q.estimate;
    const cut = Math.min(e.to, Math.max(e.from, Date.parse(after.datetime)));
    const [from, to] = ascending ? [cut, e.to] : [e.from, cut];
    const rows = e.to > e.from ? e.rows * shareWithin(e.profile, [e.from, e.to], from, to) : e.rows;
    return { ...q, estimate: { ...e, rows, from, to } };
  };

/**
 * With a cursor, nothing newer than it (newest first) or older than it (oldest first) can be on this
 * page; oldest first, every range is read forwards.
 */
function boundByCursor(q: PlannedQuery, after: Cursor | undefined, ascending: boolean): PlannedQuery {
  if (!q.order || !q.range) return q;
  const forwards = ascending ? { ...q, descending: false } : q;
  if (!after) return forwards;
  if (ascending) {
    const lo = `${q.order.prefix}${after.datetime}`;
    return lo > q.range[0] ? { ...forwards, range: [lo, q.range[1]] } : forwards;
  }
  const hi = upToTime(q.order.prefix, after.datetime);
  return hi < q.range[1] ? { ...q, range: [q.range[0], hi] } : q;
}

/** A stream that has read nothing yet. */
const unstarted = (s: Stream): boolean => s.rows === 0 && s.frontier === (s.ascending ? "" : MAX_TIME);

/** What a search reads: index rows, then the items of a page; its requests are counted. */
export type SearchReads = RowReader & Pick<ItemRecords, "getItems"> & IoCounted;

export async function executeSearch(catalogue: SearchReads, input: ExecuteInput): Promise<SearchResult> {
  const stats: SearchStats = {
    strategy: input.plan.strategy,
    requests: 0,
    rounds: 0,
    rowsRead: 0,
    capacity: 0,
  };
  // Pushdown relies on the streams' order matching the result order: newest or oldest first.
  const pushdown = input.compare === undefined;
  const ascending = pushdown && input.ascending === true;
  const order = ascending ? compareAsc : compareDesc;
  const bound = (q: PlannedQuery) => (pushdown ? boundByCursor(q, input.after, ascending) : q);
  const bounded = input.plan.queries.map(bound);
  const round = pushdown && input.firstPageFactor === undefined ? firstRoundOf(bounded) : undefined;
  function firstRoundOf(qs: PlannedQuery[]) {
    return firstRound(
      qs.map(withCursorEstimate(input.after, ascending)),
      input.limit,
      input.plan.filtered,
      ascending,
    );
  }
  const makeStream = (q: PlannedQuery, pageSize: number): Stream => ({
    q,
    ...(ascending ? { ascending } : {}),
    frontier: ascending ? "" : MAX_TIME,
    rows: 0,
    pageSize,
    done: false,
  });
  const firstSizes = (qs: PlannedQuery[], first: ReturnType<typeof firstRoundOf>) => {
    const ordered = qs.filter((q) => q.order).length;
    // Without pushdown everything is read anyway: in pages as large as possible (or, bounded, as
    // large as the bound shared among the streams).
    return qs.map((_, i) =>
      !pushdown
        ? input.maxRows === undefined
          ? PAGE.max
          : Math.min(PAGE.max, Math.max(PAGE.min, Math.ceil(input.maxRows / qs.length)))
        : first
          ? estimatedLimit(first.limits[i]!)
          : firstPageSize(input.limit, ordered, input.firstPageFactor),
    );
  };
  const keys = new Map<Stream, string>();
  const sizes = firstSizes(bounded, round);
  let streams: Stream[] = bounded.map((q, i) => {
    const s = makeStream(q, sizes[i]!);
    keys.set(s, queryKey(q));
    if (round?.horizon !== undefined) cutAt(s, new Date(round.horizon).toISOString());
    return s;
  });
  let collections = input.collections;
  const candidates = new Map<string, ItemSummary>();
  const tested = new Set<string>();
  const test = (s: ItemSummary): void => {
    const ref = `${itemRef(s.collection, s.id)}\u0000${s.version}`;
    if (tested.has(ref)) return;
    tested.add(ref);
    if (passes(input, collections, s, order)) candidates.set(ref, s);
  };

  // With a first round reaching back to a horizon, later rounds reach back to horizons too.
  let reach = round?.horizon;
  let deeper = 0;
  const extentOf = (qs: PlannedQuery[]): [number, number] => [
    Math.min(...qs.map((q) => q.estimate?.from ?? EARLIEST)),
    Math.max(...qs.map((q) => q.estimate?.to ?? 0)),
  ];
  let extent = extentOf(bounded);
  // Settled as a value, so that a failure while the first round reads is not left unhandled.
  let pending = input.confirm?.then(
    (c) => ({ c }),
    (error: unknown) => ({ error }),
  );
  /** The fresh plan: drop what it excludes, add the ranges it reads that the speculative one did not. */
  const confirm = async (): Promise<boolean> => {
    const settled = await pending!;
    pending = undefined;
    if ("error" in settled) throw settled.error;
    const fresh = settled.c;
    // The fresh inputs' reads ran alongside the first round: the longer of the two is on the path.
    stats.rounds = Math.max(stats.rounds, fresh.rounds);
    if (!fresh.plan) return false;
    stats.strategy = fresh.plan.strategy;
    collections = fresh.collections;
    for (const [ref, s] of candidates) if (!collections.has(s.collection)) candidates.delete(ref);
    const freshQueries = fresh.plan.queries.map(bound);
    const wanted = new Set(freshQueries.map(queryKey));
    const held = new Set(streams.map((s) => keys.get(s)!));
    streams = streams.filter((s) => wanted.has(keys.get(s)!));
    const added = freshQueries.filter((q) => !held.has(queryKey(q)));
    if (added.length > 0) {
      const addedSizes = firstSizes(
        added,
        pushdown && input.firstPageFactor === undefined ? firstRoundOf(added) : undefined,
      );
      for (const [i, q] of added.entries()) {
        const s = makeStream(q, addedSizes[i]!);
        keys.set(s, queryKey(q));
        streams.push(s);
      }
    }
    extent = extentOf(streams.map((s) => s.q));
    return true;
  };
  let firstPass = true;
  let want = input.limit;
  for (;;) {
    let ordered: ItemSummary[] = [];
    for (;;) {
      ordered = [...candidates.values()].sort(input.compare ?? order);
      const kth = ordered[want - 1];
      const open = streams.filter(
        (s) => !s.done && (!pushdown || !s.q.order || !kth || unreadReaches(s, kth.datetime)),
      );
      if (open.length === 0) {
        if (!pending) break;
        if (!(await confirm())) return { items: [], stats };
        continue;
      }
      if (!firstPass && reach !== undefined) {
        // Down to the k-th match when there is one (nothing older can be on the page), else further
        // back by the shortfall.
        if (!kth) {
          reach = deeperHorizon(
            reach,
            extent,
            want - candidates.size,
            candidates.size,
            deeper > 0,
            ascending,
          );
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
          if (!s.q.order || unstarted(s)) continue;
          s.pageSize = kth ? nextPageSize(s, kth.datetime) : Math.min(PAGE.max, PAGE.growth * s.pageSize);
        }
      }
      firstPass = false;
      stats.rounds++;
      const { maxRows } = input;
      const spent = maxRows === undefined || pushdown ? undefined : () => stats.rowsRead >= maxRows;
      await mapLimited(open, CONCURRENCY, (s) => readPage(catalogue, s, stats, test, spent));
      if (pending && !(await confirm())) return { items: [], stats };
      if (spent?.() && streams.some((s) => !s.done)) return { items: [], stats, truncated: true };
    }
    // Only results that no open stream can still hold a newer row than are final.
    const open = streams.filter((s) => !s.done);
    const final = ordered.filter((c) => open.every((s) => !unreadReaches(s, c.datetime)));
    const result = await fetchPage(catalogue, final, input.limit, stats);
    if (result.items.length === input.limit || open.length === 0) {
      if (!result.next && open.length > 0) setNext(result, final);
      if (open.length === 0) result.exhausted = true;
      return result;
    }
    // Rows of replaced or deleted items were skipped: read further.
    want += input.limit;
  }
}

/** More rows remain unread: the page ends at its last item. */
function setNext(result: SearchResult, final: ItemSummary[]): void {
  const item = result.items[result.items.length - 1];
  const last = item && final.find((s) => s.id === item.id && s.collection === item.collection);
  if (!last) return;
  result.next = { datetime: last.datetime, collection: last.collection, id: last.id };
  result.lastSummary = last;
}

function passes(
  input: ExecuteInput,
  collections: Set<string> | undefined,
  s: ItemSummary,
  order: (a: Cursor, b: Cursor) => number,
): boolean {
  const { interval } = input;
  if (collections && !collections.has(s.collection)) return false;
  if (input.ids && !input.ids.has(s.id)) return false;
  if (s.start > interval.to || s.end < interval.from) return false;
  if (input.afterFilter ? !input.afterFilter(s) : input.after && order(s, input.after) <= 0) return false;
  if (input.accept && !input.accept(s)) return false;
  return !input.geometry || (s.geometry !== null && intersects(s.geometry, input.geometry));
}

/** Reads the items of the first `limit` summaries, skipping rows left behind by a replaced or deleted item. */
export async function fetchPage(
  catalogue: SearchReads,
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
