// Runs a plan: all queries in parallel, then the exact tests (time, geometry, collection) on the
// rows' summaries, the sort, the cursor, and one batch read of the page's items.
import { intersects } from "../geo/geometry.ts";
import type { ItemSummary } from "../index/rows.ts";
import type { Catalogue, RowQuery } from "../storage/catalogue.ts";
import { itemRef } from "../storage/catalogue.ts";
import type { Geometry, StacItem } from "../stac/types.ts";
import { compareDesc, type Cursor } from "./cursor.ts";
import type { Interval } from "./datetime.ts";
import type { Plan } from "./planner.ts";

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

async function readAll(catalogue: Catalogue, q: RowQuery, stats: SearchStats): Promise<ItemSummary[]> {
  const out: ItemSummary[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await catalogue.queryRows(startKey ? { ...q, startKey } : q);
    stats.requests++;
    stats.rowsRead += page.scanned;
    stats.capacity += page.capacity;
    for (const r of page.rows) out.push(r.summary);
    startKey = page.next;
  } while (startKey);
  return out;
}

async function mapLimited<T, R>(xs: T[], n: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(xs.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(n, xs.length) }, async () => {
    while (next < xs.length) {
      const i = next++;
      out[i] = await f(xs[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}

export async function executeSearch(catalogue: Catalogue, input: ExecuteInput): Promise<SearchResult> {
  const stats: SearchStats = { strategy: input.plan.strategy, requests: 0, rounds: 1, rowsRead: 0, capacity: 0 };
  const batches = await mapLimited(input.plan.queries, CONCURRENCY, (q) => readAll(catalogue, q, stats));
  const { interval } = input;
  const candidates = new Map<string, ItemSummary>();
  for (const s of batches.flat()) {
    const ref = `${itemRef(s.collection, s.id)}\u0000${s.version}`;
    if (candidates.has(ref)) continue;
    if (input.collections && !input.collections.has(s.collection)) continue;
    if (input.ids && !input.ids.has(s.id)) continue;
    if (s.start > interval.to || s.end < interval.from) continue;
    if (input.afterFilter ? !input.afterFilter(s) : input.after && compareDesc(s, input.after) <= 0) continue;
    if (input.geometry && (!s.geometry || !intersects(s.geometry, input.geometry))) continue;
    if (input.accept && !input.accept(s)) continue;
    candidates.set(ref, s);
  }
  const ordered = [...candidates.values()].sort(input.compare ?? compareDesc);
  return fetchPage(catalogue, ordered, input.limit, stats);
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
    const before = catalogue.stats.requests;
    const found = await catalogue.getItems(slice.map((s) => ({ collection: s.collection, id: s.id })));
    stats.requests += catalogue.stats.requests - before;
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
