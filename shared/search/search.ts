// Item Search as a domain operation: validate collections and queryables, narrow the plan with the
// filter's index hints, execute with the row-level tests (CQL2, query, free text) and the requested
// order, and page by position (sort values of the last item) and by response size.
import type { Access } from "../auth/authorize.ts";
import { BadRequestError, GoneError, NotFoundError } from "../errors.ts";
import { intersects } from "../geo/geometry.ts";
import { geometryBBox, normalizeGeometry } from "../geo/normalize.ts";
import { type ItemSummary, summarize } from "../index/rows.ts";
import type { Geometry, StacItem } from "../stac/types.ts";
import type { Catalogue, CollectionRecord, StoredItem } from "../storage/catalogue.ts";
import { type Count, type CountStart, countBound, countMatches, sampled, startCount } from "./count.ts";
import { collectPropertyRefs, extractIndexHints } from "./cql2/index.ts";
import { type Cursor, fingerprint } from "./cursor.ts";
import type { Interval } from "./datetime.ts";
import type { SearchResult, SearchStats } from "./execute.ts";
import { summaryTest } from "./filter.ts";
import { itemText, matchesText } from "./free-text.ts";
import { type CarriedCount, type PagingTokens, processPagingTokens } from "./paging-tokens.ts";
import { planInputCache } from "./plan/input-cache.ts";
import {
  planCollections,
  prefetchCovers,
  prefetchRowCounts,
  type RowCountPrefetch,
  rememberCollections,
} from "./plan/inputs.ts";
import type { Plan } from "./plan/types.ts";
import { CORE_QUERYABLES, collectQueryables, requireQueryable } from "./queryables.ts";
import { filterPlanInput, requestFilter, type SearchRequest } from "./request.ts";
import { makeOrder, type Order } from "./sort.ts";
import { runPlannedSearch } from "./speculate.ts";

export interface SearchPage extends SearchResult {
  /** Token for the next page, when there is one. */
  nextToken?: string;
  /**
   * Items matching the whole search: exact when the page's own read saw every match (explicit sorts,
   * ids, a single page, a first page that read every candidate) or a count read bounded by the page's
   * size could (count.ts); else an estimate. Later pages repeat the first page's, carried in the token.
   */
  numberMatched?: number;
  /** numberMatched is an estimate (the count's bound was reached, or the row counters gave it). */
  matchedEstimated?: boolean;
  /** What the count read alongside the page read (absent: none). */
  countStats?: SearchStats;
}

export interface SearchOptions {
  /** Ends a page before its items' total size would pass maxBytes (at least one item is returned). */
  budget?: { maxBytes: number; size: (item: StacItem) => number };
  /** Seals and opens paging tokens; the API passes its configured key, library callers get this process's. */
  tokens?: PagingTokens;
  /** false: numberMatched only where the page's own read gives it (no count read). */
  count?: boolean;
  /** The count read's bound (default count.ts countBound(limit)). */
  countMaxRows?: number;
}

/** The parts of a request that define its result set and order (everything but limit, fields and token). */
const identity = (r: SearchRequest) =>
  fingerprint([
    r.collections,
    r.ids,
    r.bbox,
    r.intersects,
    r.interval,
    r.filter,
    r.query,
    r.sortby,
    r.q,
    // Only when given, so that tokens issued before the parameter existed stay valid.
    ...(r.versions ? [r.versions] : []),
  ]);

/**
 * Superseded versions (`deprecated: true`, products/versions.ts) are left out unless the request asks
 * for them: `versions=all`, explicit `ids`, or a filter that names `deprecated`. A row-level test like
 * any filter: paging and counts stay exact; the rows of superseded versions are still read and skipped.
 */
function latestOnly(r: SearchRequest): boolean {
  if (r.versions === "all" || r.ids) return false;
  const named = [r.filter, r.query].flatMap((e) => (e ? collectPropertyRefs(e) : []));
  return !named.includes("deprecated");
}

/** The default order's position [datetime, collection, id] as the executor's own cursor. */
function defaultCursor(position: unknown[]): Cursor {
  const [datetime, collection, id] = position;
  if (typeof datetime !== "string" || typeof collection !== "string" || typeof id !== "string")
    throw new BadRequestError("token: not a paging token issued by this API");
  return { datetime, collection, id };
}

/**
 * The collections a search reads, authorized on the parsed (canonical) ids before anything is read:
 * the named ones (each must be visible) or every visible one.
 */
async function resolveCollections(
  catalogue: Catalogue,
  access: Access,
  named?: string[],
): Promise<CollectionRecord[]> {
  const all = await catalogue.listCollections();
  rememberCollections(catalogue, all);
  return scoped(all, access, named);
}

/** The records of the collections the caller may search (`Access.scope`); 400 for an unknown name. */
function scoped(all: CollectionRecord[], access: Access, named?: string[]): CollectionRecord[] {
  const wanted = access.scope(
    named,
    all.map((c) => c.collection.id),
  );
  const byId = new Map(all.map((c) => [c.collection.id, c]));
  const unknown = wanted.filter((c) => !byId.has(c));
  if (unknown.length > 0)
    throw new BadRequestError(
      `collections: unknown collection(s) ${unknown.map((u) => `'${u}'`).join(", ")}`,
    );
  return wanted.map((c) => byId.get(c)!);
}

function bboxArea(g: Geometry): number {
  const [w, s, e, n] = geometryBBox(g);
  return (w <= e ? e - w : e - w + 360) * (n - s);
}

/** What the request alone says about its search: areas, times, ids, row tests (no read). */
interface Described {
  ids?: string[];
  geometry?: Geometry;
  interval: Interval;
  /** The filter's hints prove nothing can match. */
  empty: boolean;
  accept: (s: ItemSummary) => boolean;
  /** Rows must also pass tests the planner cannot estimate (free text, filters beyond its hints). */
  filtered: boolean;
  /** The filter bounds eo:cloud_cover by this: the planner reads cloud bands. */
  cloudCoverMax?: number;
  /** The filter names these collections: only they are read. */
  only?: string[];
}

interface Prepared extends Described {
  collections: CollectionRecord[];
  /** Row counts read alongside the collection listing, for the planner. */
  counts?: RowCountPrefetch | undefined;
  /** Nothing to read: no collection the caller may see, or the hints prove nothing can match. */
  empty: boolean;
  /** The planner's inputs, read once and shared by the page's read and the count's. */
  planned?: ReturnType<typeof planCollections>;
  /** Sequential reads before the plan: the listing, and what could only follow it (bench `rounds`). */
  inputRounds: number;
}

const plannedCollections = (catalogue: Catalogue, p: Prepared) =>
  (p.planned ??= (() => {
    if (catalogue.rowCounts && !prefetchCovers(p.counts, p.collections, p.geometry)) p.inputRounds++;
    return planCollections(catalogue, p.collections, p.geometry, p.counts);
  })());

/** Property names the request's filter, query and sortby use, by where. */
function namesUsed(req: SearchRequest): [string, string[]][] {
  return [
    ["filter", req.filter ? collectPropertyRefs(req.filter) : []],
    ["query", req.query ? collectPropertyRefs(req.query) : []],
    ["sortby", req.sortby?.map((k) => k.field) ?? []],
  ];
}

const needsQueryables = (req: SearchRequest) =>
  !namesUsed(req).every(([, names]) => names.every((n) => n in CORE_QUERYABLES));

/** The queryables read, and of which collections. */
interface QueryablesRead {
  ids: string[];
  read: ReturnType<typeof collectQueryables>;
}

/** Reads the collections' queryables, remembering each one's sampled names (knownQueryable). */
const sampleQueryables = (catalogue: Catalogue, ids: string[]) =>
  collectQueryables(catalogue, ids, (c, names) => planInputCache(catalogue).setQueryableNames(c, names));

/**
 * Every name the request uses beyond the core queryables was seen lately in one of these collections'
 * samples: accepted with no read (a name not seen is read again, and refused only on a fresh read).
 */
function knownQueryable(catalogue: Catalogue, req: SearchRequest, ids: string[]): boolean {
  const cache = planInputCache(catalogue);
  const seen = ids.map((id) => cache.queryableNames(id));
  return namesUsed(req).every(([, names]) =>
    names.every((n) => n in CORE_QUERYABLES || seen.some((s) => s?.has(n))),
  );
}

function readQueryables(catalogue: Catalogue, ids: string[]): QueryablesRead {
  const read = sampleQueryables(catalogue, ids);
  read.catch(() => undefined);
  return { ids, read };
}

/** Checks the names against the collections' queryables (read early when `early` is of these); true when read now. */
async function checkQueryables(
  catalogue: Catalogue,
  req: SearchRequest,
  collections: CollectionRecord[],
  early: QueryablesRead | undefined,
): Promise<boolean> {
  if (!needsQueryables(req)) return false;
  const ids = collections.map((c) => c.collection.id);
  if (knownQueryable(catalogue, req, ids)) return false;
  const again = !early || early.ids.join("\u0000") !== ids.join("\u0000");
  const queryable = await (again ? sampleQueryables(catalogue, ids) : early.read);
  for (const [where, names] of namesUsed(req)) requireQueryable(names, queryable, where);
  return again;
}

function describe(req: SearchRequest): Described {
  const expr = requestFilter(req);
  const hints = expr ? extractIndexHints(expr) : undefined;
  const d: Described = {
    interval: req.interval,
    empty: false,
    accept: () => true,
    ...filterPlanInput(req, hints),
  };
  if (req.ids) d.ids = req.ids;
  if (req.geometry) d.geometry = req.geometry;
  if (hints) {
    if (hints.collections) d.only = hints.collections;
    if (hints.ids) d.ids = d.ids ? d.ids.filter((i) => hints.ids!.includes(i)) : hints.ids;
    if (hints.geometry) {
      try {
        // Both areas are necessary conditions: plan on the smaller one.
        const g = normalizeGeometry(hints.geometry);
        if (!d.geometry || bboxArea(g) < bboxArea(d.geometry)) d.geometry = g;
      } catch {
        // Not usable as a plan area: the exact evaluation still applies.
      }
    }
    if (hints.interval) {
      const [from, to] = hints.interval;
      d.interval = {
        from: from && from > d.interval.from ? from : d.interval.from,
        to: to && to < d.interval.to ? to : d.interval.to,
      };
    }
    d.empty = d.ids?.length === 0 || d.interval.from > d.interval.to;
  }
  const terms = req.q;
  const test = expr && summaryTest(expr);
  // Complete on its own (the executor may call it before its own geometry test): the request's
  // area and the plan's (a filter's, when smaller) both apply exactly.
  const areas = [...new Set([req.geometry, d.geometry])].filter((g): g is Geometry => g !== undefined);
  const latest = latestOnly(req);
  d.accept = (s) => {
    if (latest && s.properties["deprecated"] === true) return false;
    if (areas.some((g) => s.geometry === null || !intersects(s.geometry, g))) return false;
    if (test && !test(s)) return false;
    if (!terms) return true;
    return matchesText(itemText(s.id, s.properties), terms);
  };
  return d;
}

async function prepare(
  catalogue: Catalogue,
  req: SearchRequest,
  access: Access,
  d: Described = describe(req),
): Promise<Prepared> {
  // Read alongside the listing, before authorization: the planner's own input, never shown; a refused
  // search drops it. So are the queryables of the collections named (or listed last) that the
  // caller's Access allows: read again when the listing says otherwise.
  const counts = req.ids ? undefined : prefetchRowCounts(catalogue, req.collections, req.geometry);
  const names = (
    req.collections ??
    planInputCache(catalogue)
      .lastListed()
      ?.map((c) => c.collection.id)
  )?.filter((c) => access.canSearch(c));
  const early =
    needsQueryables(req) && names && !knownQueryable(catalogue, req, names)
      ? readQueryables(catalogue, names)
      : undefined;
  let collections = await resolveCollections(catalogue, access, req.collections);
  const again = await checkQueryables(catalogue, req, collections, early);
  if (d.only) collections = collections.filter((c) => d.only!.includes(c.collection.id));
  return {
    ...d,
    collections,
    counts,
    // Nothing the caller may see: nothing to read.
    empty: d.empty || collections.length === 0,
    inputRounds: again ? 2 : 1,
  };
}

/**
 * The collections a search would read as this process's cache lists them, with the request's Access
 * applied (it only ever narrows them); undefined when cold, refused or naming one the cache lacks.
 * Only for a plan checked against the fresh listing (speculate.ts): never what the caller is shown.
 */
function cachedScope(
  catalogue: Catalogue,
  req: SearchRequest,
  access: Access,
  d: Described,
): CollectionRecord[] | undefined {
  const listed = planInputCache(catalogue).collections();
  if (!listed || d.ids) return undefined;
  try {
    const records = scoped(listed, access, req.collections);
    return d.only ? records.filter((c) => d.only!.includes(c.collection.id)) : records;
  } catch {
    return undefined;
  }
}

const emptyStats = (): SearchStats => ({
  strategy: "time",
  requests: 0,
  rounds: 0,
  rowsRead: 0,
  capacity: 0,
});

interface RunOptions {
  order: Order;
  accept: (s: ItemSummary) => boolean;
  limit: number;
  /** The executor's own orders only (newest or oldest first): its cursor, which lets it stop reading early. */
  after?: Cursor;
  /** Told the plan the page is read with (the fresh one, when the read started on a cached one). */
  planned?: (plan: Plan) => void;
}

/**
 * Plans and runs the search (speculate.ts): warm, its index round starts from cached plan inputs while
 * `prepared` (the listing, authorization, queryables, fresh plan inputs) is read alongside.
 */
async function run(
  catalogue: Catalogue,
  req: SearchRequest,
  access: Access,
  d: Described,
  prepared: Promise<Prepared>,
  o: RunOptions,
): Promise<SearchResult> {
  if (d.empty || d.ids) {
    const p = await prepared;
    if (p.empty) return { items: [], stats: { ...emptyStats(), rounds: p.inputRounds } };
    return searchByIds(catalogue, p, p.ids!, o);
  }
  return runPlannedSearch(catalogue, {
    plan: {
      geometry: d.geometry,
      interval: d.interval,
      limit: o.limit,
      filtered: d.filtered,
      cloudCoverMax: d.cloudCoverMax,
    },
    fresh: prepared.then(async (p) => {
      if (p.empty) return { collections: [], inputs: [], rounds: p.inputRounds };
      const inputs = await plannedCollections(catalogue, p);
      return { collections: p.collections, inputs, rounds: p.inputRounds };
    }),
    cached: cachedScope(catalogue, req, access, d),
    ...(o.planned ? { planned: o.planned } : {}),
    exec: {
      geometry: d.geometry,
      interval: d.interval,
      limit: o.limit,
      // In its own order (newest or oldest first) the executor may stop reading early; given `compare`,
      // it reads every row.
      ...(o.order.isDefault || o.order.isOldestFirst
        ? { after: o.after, ascending: o.order.isOldestFirst }
        : { compare: o.order.compare }),
      accept: o.accept,
    },
  });
}

export async function searchItems(
  catalogue: Catalogue,
  req: SearchRequest,
  access: Access,
  opts: SearchOptions = {},
): Promise<SearchPage> {
  const key = identity(req);
  const tokens = opts.tokens ?? processPagingTokens;
  const opened = req.token ? await tokens.openPage(req.token, key) : undefined;
  const after = opened?.position;
  const d = describe(req);
  const prepared = prepare(catalogue, req, access, d);
  // Awaited by run (which may first read from cached plan inputs) and below.
  prepared.catch(() => undefined);
  const order = makeOrder(req.sortby);
  // Counting needs every match: only when the executor reads them all anyway (other sorts, or ids),
  // not in its own order (newest or oldest first), where it may stop once the page is full.
  const counting = !(order.isDefault || order.isOldestFirst) || d.ids !== undefined;
  // Else the first page's count, carried by the token; or one decided now and read alongside the page.
  const carried = counting ? undefined : opened?.count;
  const counts = !(counting || carried || opts.count === false);
  // The matches the page's own read sees: all of them with `counting`, else (first page) what proves
  // or samples the count.
  const tracking = counting || (counts && !after);
  const seen = new Set<string>();
  const accept = (s: ItemSummary) => {
    if (!d.accept(s)) return false;
    if (tracking) seen.add(`${s.collection}\u0000${s.id}`);
    return !after || !counting || order.isAfter(s, after);
  };
  const cursor = after && !counting ? defaultCursor(after) : undefined;
  let pagePlan: Plan | undefined;
  const reading = run(catalogue, req, access, d, prepared, {
    order,
    accept,
    limit: req.limit,
    ...(cursor ? { after: cursor } : {}),
    planned: (plan) => {
      pagePlan = plan;
    },
  });
  // Decided and started once the listing is read, alongside the page's read (both wait for the same
  // planner inputs), awaited after it.
  const started = counts
    ? prepared.then((p) => startPageCount(catalogue, p, req.limit, !after, opts.countMaxRows))
    : undefined;
  // A failed page must not leave it unhandled.
  started?.catch(() => undefined);
  const result = await reading;
  const p = await prepared;
  // Matches seen in collections the fresh listing lets this caller search (a read started on cached
  // inputs may have tested rows of a collection the listing no longer has).
  const searched = new Set(p.collections.map((x) => x.collection.id));
  const seenCount = () => [...seen].filter((k) => searched.has(k.slice(0, k.indexOf("\u0000")))).length;
  let items = result.items;
  let position = result.lastSummary ? order.position(result.lastSummary) : undefined;
  if (opts.budget) {
    let total = 0;
    let n = 0;
    for (const item of items) {
      const size = opts.budget.size(item);
      if (n > 0 && total + size > opts.budget.maxBytes) break;
      total += size;
      n++;
    }
    if (n < items.length) {
      items = items.slice(0, n);
      position = order.position(summarize(items[n - 1]!, ""));
    }
  }
  const page: SearchPage = { items, stats: result.stats };
  let matched: CarriedCount | undefined;
  if (counting) matched = { matched: seenCount(), exact: true };
  else if (carried) matched = carried;
  else if (!after && !position && !started) matched = { matched: items.length, exact: true };
  else if (started) {
    const c = await finishCount(catalogue, p, await started, {
      firstPage: !after,
      whole: !after && !position ? items.length : undefined,
      exhausted: result.exhausted === true,
      seen: seenCount(),
      pagePlan,
      rowsRead: result.stats.rowsRead,
      maxRows: opts.countMaxRows ?? countBound(req.limit),
    });
    matched = c;
    if (c.stats.requests > 0) page.countStats = c.stats;
  }
  if (matched) {
    page.numberMatched = matched.matched;
    if (!matched.exact) page.matchedEstimated = true;
  }
  // Later pages repeat this count (when the executor's own order leaves them no read that gives it).
  const carry = matched && !counting ? { matched: matched.matched, exact: matched.exact } : undefined;
  if (position) page.nextToken = await tokens.seal(position, key, carry);
  return page;
}

const countInput = async (catalogue: Catalogue, p: Prepared) => ({
  plan: {
    geometry: p.geometry,
    interval: p.interval,
    collections: await plannedCollections(catalogue, p),
    filtered: p.filtered,
    cloudCoverMax: p.cloudCoverMax,
  },
  geometry: p.geometry,
  interval: p.interval,
  collections: new Set(p.collections.map((c) => c.collection.id)),
  accept: p.accept,
});

/** The count of a search in the executor's own order, decided (and its read started) before the page's read. */
async function startPageCount(
  catalogue: Catalogue,
  p: Prepared,
  limit: number,
  firstPage: boolean,
  maxRows: number | undefined,
): Promise<CountStart> {
  if (p.empty)
    return { by: "count", count: Promise.resolve({ matched: 0, exact: true, stats: emptyStats() }) };
  return startCount(catalogue, await countInput(catalogue, p), { limit, firstPage, maxRows });
}

interface PageRead {
  firstPage: boolean;
  /** The first page holds every result: their number. */
  whole: number | undefined;
  /** The page's read read every candidate row. */
  exhausted: boolean;
  /** Matches among the rows the page's read tested (first page). */
  seen: number;
  pagePlan: Plan | undefined;
  rowsRead: number;
  maxRows: number;
}

/** The count once the page is read: from the page's own read where it proves (or samples) it. */
async function finishCount(catalogue: Catalogue, p: Prepared, s: CountStart, r: PageRead): Promise<Count> {
  // The page holds every result, or read every candidate: that is the count, whatever else was decided.
  const proven = r.whole ?? (r.firstPage && r.exhausted ? r.seen : undefined);
  if (proven !== undefined) {
    // A read already started is let finish (not left running past the response), its answer unused.
    const read = s.by === "count" ? await s.count.catch(() => undefined) : undefined;
    return { matched: proven, exact: true, stats: read?.stats ?? emptyStats() };
  }
  if (s.by === "count") return s.count;
  if (s.by === "sample" && r.firstPage && r.pagePlan) return sampled(r.pagePlan, r.seen, r.rowsRead);
  // The counters expected the page to see every match and it did not: a bounded read after all.
  return countMatches(catalogue, { ...(await countInput(catalogue, p)), maxRows: r.maxRows });
}

/** Every summary matching the search (no paging, no item reads): what aggregations count. */
export async function matchingSummaries(
  catalogue: Catalogue,
  req: SearchRequest,
  access: Access,
): Promise<ItemSummary[]> {
  const d = describe(req);
  const prepared = prepare(catalogue, req, access, d);
  prepared.catch(() => undefined);
  const found = new Map<string, ItemSummary>();
  const collect = (s: ItemSummary) => {
    if (d.accept(s)) found.set(`${s.collection}\u0000${s.id}`, s);
    return false;
  };
  // An explicit order makes the executor read every row rather than stop early.
  await run(catalogue, req, access, d, prepared, {
    order: makeOrder([{ field: "id", direction: "asc" }]),
    accept: collect,
    limit: 0,
  });
  return [...found.values()];
}

/** `ids` are looked up directly in each candidate collection, then the other filters apply. */
async function searchByIds(
  catalogue: Catalogue,
  p: Prepared,
  ids: string[],
  o: RunOptions,
): Promise<SearchResult> {
  const { order, accept, limit } = o;
  const before = catalogue.stats.requests;
  const found = await catalogue.getItems(
    p.collections.flatMap((c) => ids.map((id) => ({ collection: c.collection.id, id }))),
  );
  const stats: SearchStats = {
    strategy: "ids",
    requests: catalogue.stats.requests - before,
    rounds: p.inputRounds + 1,
    rowsRead: found.size,
    capacity: 0,
  };
  const matches = [...found.values()]
    .map((s) => ({ s, sum: summarize(s.item, s.version) }))
    .filter(({ sum }) => sum.start <= p.interval.to && sum.end >= p.interval.from)
    .filter(({ sum }) => !p.geometry || (sum.geometry !== null && intersects(sum.geometry, p.geometry)))
    .filter(({ sum }) => accept(sum))
    .sort((a, b) => order.compare(a.sum, b.sum));
  const page = matches.slice(0, limit);
  const result: SearchResult = { items: page.map((m) => m.s.item), stats };
  const last = page[page.length - 1];
  if (last && matches.length > page.length) result.lastSummary = last.sum;
  return result;
}

/** The collection, authorized (401/403) on the very id that is then looked up (404 when missing). */
export async function requireCollection(
  catalogue: Catalogue,
  id: string,
  access: Access,
): Promise<CollectionRecord> {
  access.requireSearch(id);
  const c = await catalogue.getCollection(id);
  if (!c) throw new NotFoundError(`collection '${id}' does not exist`);
  return c;
}

/** The stored item, or a 404 that says whether the collection or the item is missing. */
export async function requireStoredItem(
  catalogue: Catalogue,
  collection: string,
  id: string,
  access: Access,
): Promise<StoredItem> {
  await requireCollection(catalogue, collection, access);
  const stored = await catalogue.getItem(collection, id);
  if (stored) return stored;
  // A deleted item's URL (and its downloads) say so, with the cause: 410 rather than 404.
  const t = await catalogue.getTombstone?.(collection, id);
  if (t) {
    const d = t.deletion;
    const text = d.text && d.text !== d.cause ? ` (${d.text})` : "";
    throw new GoneError(
      `item '${id}' of collection '${collection}' was deleted on ${t.deletedAt}: ${d.cause}${text}`,
    );
  }
  throw new NotFoundError(`item '${id}' does not exist in collection '${collection}'`);
}

export const requireItem = async (
  catalogue: Catalogue,
  collection: string,
  id: string,
  access: Access,
): Promise<StacItem> => (await requireStoredItem(catalogue, collection, id, access)).item;
