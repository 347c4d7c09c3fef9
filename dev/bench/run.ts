// Runs one benchmark query through the API's search (search.ts: plan-input cache, planner, executor),
// collecting the executor's I/O statistics, latency and CPU time.
import { UNRESTRICTED } from "../../shared/auth/authorize.ts";
import { BadRequestError } from "../../shared/errors.ts";
import { type ItemSummary, summarize } from "../../shared/index/rows.ts";
import { compareAsc, compareDesc } from "../../shared/search/cursor.ts";
import { summaryTest } from "../../shared/search/filter.ts";
import { planCollections } from "../../shared/search/plan/inputs.ts";
import {
  filterPlanInput,
  parseSearch,
  requestFilter,
  type SearchRequest,
} from "../../shared/search/request.ts";
import { type SearchPage, searchItems } from "../../shared/search/search.ts";
import { makeOrder } from "../../shared/search/sort.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import type { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import type { BenchQuery } from "./queries.ts";
import type { RequestTimeline } from "./request-timeline.ts";

export interface QueryFigures {
  id: string;
  strategy: string;
  results: number;
  rowsRead: number;
  precision: number;
  /**
   * Rows the plan's ranges hold from the newest down to the page's last result: the fewest rows any
   * single round of this plan could read (one that knew that instant), and `results` ÷ that. The gap
   * to `rowsRead` is the first round's margin and its estimates; the rest is the key layout's.
   */
  leastRows: number;
  leastPrecision: number;
  requests: number;
  /**
   * Sequential rounds of reads on the search's critical path, the plan's inputs included (collection
   * listing, row counts, tile footprints, queryables): run alongside the first index round on a warm
   * instance (shared/search/speculate.ts), before it on a cold one.
   */
  rounds: number;
  /** Sequential rounds measured from the requests' own timeline (request-timeline.ts), median of the timed runs. */
  measuredRounds: number;
  readCapacity: number;
  /**
   * Requests and read capacity of the plan's inputs (collection listing, row counts, tile footprints,
   * queryables), not in `requests` or `readCapacity`, which are the plan's.
   */
  planInputRequests: number;
  planInputReadCapacity: number;
  p50Ms: number;
  p95Ms: number;
  /** The run before the timed ones (cold emulator cache). */
  firstMs: number;
  cpuMs: number;
  /**
   * The count read (count.ts) the API's search adds to the page (run alongside it; none on pages after
   * the first, which carry page 1's count in their token): rows, requests and read capacity on top of
   * the page's, and what it answered (exact, or a flagged estimate). Plan inputs are shared with the page.
   */
  count: {
    matched: number;
    exact: boolean;
    rowsRead: number;
    requests: number;
    readCapacity: number;
    ms: number;
  };
}

/** A page as the API's search reads it (search.ts, with its plan-input cache), without the count read. */
async function searchPage(catalogue: DynamoCatalogue, q: BenchQuery, token?: string): Promise<SearchPage> {
  // Parsed on every run, as the API parses every request: nothing derived from the area is reused.
  const req = parseSearch({ ...q.body, ...(token ? { token } : {}) }, { source: "body" });
  benchOrder(req);
  return searchItems(catalogue, req, UNRESTRICTED, { count: false });
}

/**
 * The count the API's search adds (search.ts, count.ts): page 1's count read as searchItems runs it
 * (alongside its page, bounded by the page's size, or none: the page's own read, or an estimate), and
 * on a later page nothing (page 1's count, carried in the token). `ms`: what counting adds to the
 * search's time (the fastest of three with it less the fastest of three without; still noisy under load).
 */
async function countQuery(catalogue: DynamoCatalogue, q: BenchQuery) {
  const req = parseSearch(q.body, { source: "body" });
  const timed = async (count: boolean) => {
    const ms: number[] = [];
    let page: SearchPage | undefined;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      page = await searchItems(catalogue, req, UNRESTRICTED, { count });
      ms.push(performance.now() - t0);
    }
    return { page: page!, ms: Math.min(...ms) };
  };
  const on = await timed(true);
  const off = await timed(false);
  const later = (q.page ?? 1) > 1;
  const read = later ? undefined : on.page.countStats;
  return {
    matched: on.page.numberMatched ?? 0,
    exact: on.page.matchedEstimated !== true,
    rowsRead: read?.rowsRead ?? 0,
    requests: read?.requests ?? 0,
    readCapacity: read?.capacity ?? 0,
    ms: later ? 0 : Math.max(0, on.ms - off.ms),
  };
}

/** `sortby`: the bench runs the executor's own orders only (datetime descending or ascending). */
function benchOrder(req: SearchRequest) {
  const order = makeOrder(req.sortby);
  if (!order.isDefault && !order.isOldestFirst)
    throw new Error("--queries: the bench sorts by datetime only (sortby datetime desc or asc)");
  return order;
}

/** The request's filter (`filter`, `query`) as the row test the API's search applies. */
function rowFilter(req: SearchRequest): ((s: ItemSummary) => boolean) | undefined {
  const expr = requestFilter(req);
  return expr && summaryTest(expr);
}

/**
 * Searches of areas and times no measured query reads, run before the measurements: the process's
 * JIT and SDK warm up (a warm Lambda instance is warm) without warming the emulator's cache for the
 * measured queries (their first run is still reported on its own). Without it, whichever query was
 * measured first paid for the process's warm-up in its p95: Q6 measured first 111.6 ms (CPU 58.9 ms),
 * Q1 right after it 64.0 ms, where Q1 measured first had 92–154 ms.
 */
export const WARM_UP: BenchQuery[] = [
  { id: "W1", body: { intersects: { type: "Point", coordinates: [100.3, 31.7] }, limit: 100 } },
  {
    id: "W2",
    body: { bbox: [-64, -12, -58, -7], datetime: "2019-01-01T00:00:00Z/2019-12-31T23:59:59Z", limit: 10 },
  },
  { id: "W3", body: { bbox: [-120, 20, -80, 50], datetime: "2018-07-02T00:00:00Z/2018-07-02T23:59:59Z" } },
];

export async function warmUp(catalogue: DynamoCatalogue, runs: number): Promise<void> {
  for (let i = 0; i < runs; i++) for (const q of WARM_UP) await searchPage(catalogue, q);
}

/**
 * Every page of a query, in order (for the correctness check). A filter on a property none of the
 * searched collections has is refused, as the API refuses it (400, not queryable): no items, as brute
 * force finds none (a missing property fails every comparison).
 */
export async function allPages(
  catalogue: DynamoCatalogue,
  q: BenchQuery,
  maxPages = Number.POSITIVE_INFINITY,
): Promise<{ items: StacItem[]; complete: boolean; refused?: boolean }> {
  const out: StacItem[] = [];
  let token: string | undefined;
  for (let p = 0; p < maxPages; p++) {
    let page: SearchPage;
    try {
      page = await searchPage(catalogue, q, token);
    } catch (e) {
      if (p === 0 && e instanceof BadRequestError && /not queryable/.test(e.message))
        return { items: [], complete: true, refused: true };
      throw e;
    }
    out.push(...page.items);
    if (!page.nextToken) return { items: out, complete: true };
    token = page.nextToken;
  }
  return { items: out, complete: false };
}

const quantile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

export async function measureQuery(
  catalogue: DynamoCatalogue,
  q: BenchQuery,
  runs: number,
  timeline: RequestTimeline,
): Promise<QueryFigures> {
  let after: string | undefined;
  for (let p = 1; p < (q.page ?? 1); p++) {
    const page = await searchPage(catalogue, q, after);
    if (!page.nextToken) break;
    after = page.nextToken;
  }
  // One untimed-for-quantiles run first: it pays for the emulator's cold LevelDB cache (DynamoDB has
  // none to warm), and is reported on its own as firstMs.
  const f0 = performance.now();
  const seen = await recordingRows(catalogue, () => searchPage(catalogue, q, after));
  const firstMs = performance.now() - f0;
  const times: number[] = [];
  const measured: number[] = [];
  let cpu = 0;
  let first: SearchPage | undefined;
  let io = { requests: 0, capacity: 0 };
  for (let i = 0; i < runs; i++) {
    const before = { ...catalogue.stats };
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const { result: r, rounds } = await timeline.record(() => searchPage(catalogue, q, after));
    times.push(performance.now() - t0);
    measured.push(rounds);
    const c = process.cpuUsage(c0);
    cpu += (c.user + c.system) / 1000;
    if (!first) {
      first = r;
      io = {
        requests: catalogue.stats.requests - before.requests,
        capacity: catalogue.stats.capacity - before.capacity,
      };
    }
  }
  const s = first!.stats;
  const least = leastRows(
    seen.rows,
    seen.result,
    s.rowsRead,
    benchOrder(parseSearch(q.body, { source: "body" })).isOldestFirst,
  );
  return {
    id: q.id,
    strategy: s.strategy,
    results: first!.items.length,
    rowsRead: s.rowsRead,
    precision: s.rowsRead === 0 ? 1 : first!.items.length / s.rowsRead,
    leastRows: least,
    leastPrecision: least === 0 ? 1 : first!.items.length / least,
    requests: s.requests,
    rounds: s.rounds,
    measuredRounds: quantile(measured, 0.5),
    readCapacity: s.capacity,
    planInputRequests: io.requests - s.requests,
    planInputReadCapacity: io.capacity - s.capacity,
    p50Ms: quantile(times, 0.5),
    p95Ms: quantile(times, 0.95),
    firstMs,
    cpuMs: cpu / runs,
    count: await countQuery(catalogue, q),
  };
}

/** Runs `search` noting every index row it reads (rows DynamoDB's filter dropped: datetime unknown). */
async function recordingRows(
  catalogue: DynamoCatalogue,
  search: () => Promise<SearchPage>,
): Promise<{ rows: (ItemSummary | undefined)[]; result: SearchPage }> {
  const rows: (ItemSummary | undefined)[] = [];
  const queryRows = catalogue.queryRows;
  catalogue.queryRows = async (q) => {
    const page = await queryRows.call(catalogue, q);
    rows.push(...page.rows.map((r) => r.summary));
    for (let i = page.rows.length; i < page.scanned; i++) rows.push(undefined);
    return page;
  };
  try {
    return { rows, result: await search() };
  } finally {
    catalogue.queryRows = queryRows;
  }
}

/**
 * Rows no later than the page's last result in the page's order: at or after its datetime, or at or
 * before it oldest first (rows of unknown datetime counted too). A page short of its limit had to read
 * every row of its ranges.
 */
function leastRows(
  rows: (ItemSummary | undefined)[],
  page: SearchPage,
  rowsRead: number,
  oldestFirst: boolean,
): number {
  const onPage = new Set(page.items.map((i) => `${i.collection}/${i.id}`));
  const later = (a: string, b: string) => (oldestFirst ? a > b : a < b);
  const last = rows
    .filter((r): r is ItemSummary => r !== undefined && onPage.has(`${r.collection}/${r.id}`))
    .reduce<string | undefined>(
      (m, r) => (m === undefined || later(r.datetime, m) ? r.datetime : m),
      undefined,
    );
  if (page.nextToken === undefined || last === undefined) return rowsRead;
  return rows.filter((r) => r === undefined || !later(r.datetime, last)).length;
}

/** The exact filter a search must equal, over summaries of every item, in the search's order (newest first). */
export function bruteForce(
  summaries: ItemSummary[],
  q: BenchQuery,
  intersects: (a: never, b: never) => boolean,
) {
  const req = parseSearch(q.body, { source: "body" });
  return summaries
    .filter((s) => s.start <= req.interval.to && s.end >= req.interval.from)
    .filter((s) => !req.collections || req.collections.includes(s.collection))
    .filter(
      (s) => !req.geometry || (s.geometry !== null && intersects(s.geometry as never, req.geometry as never)),
    )
    .filter(rowFilter(req) ?? (() => true))
    .sort(benchOrder(req).isOldestFirst ? compareAsc : compareDesc)
    .map((s) => `${s.collection}/${s.id}`);
}

export const summaryOf = (item: StacItem) => summarize(item, "v1");
