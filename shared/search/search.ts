// Item Search as a domain operation: validate collections, plan, execute, page.
import { BadRequestError, NotFoundError } from "../http/errors.ts";
import { summarize } from "../index/rows.ts";
import type { Catalogue, CollectionRecord } from "../storage/catalogue.ts";
import { type Cursor, compareDesc, decodeCursor, encodeCursor, fingerprint } from "./cursor.ts";
import { intersects } from "../geo/geometry.ts";
import { executeSearch, type SearchResult, type SearchStats } from "./execute.ts";
import { planSearch } from "./planner.ts";
import type { SearchRequest } from "./request.ts";

export interface SearchPage extends SearchResult {
  /** Token for the next page, when there is one. */
  nextToken?: string;
}

/** The parts of a request that define its result set (everything but limit and token). */
const identity = (r: SearchRequest) => fingerprint([r.collections, r.ids, r.bbox, r.intersects, r.interval]);

async function resolveCollections(catalogue: Catalogue, wanted?: string[]): Promise<CollectionRecord[]> {
  const all = await catalogue.listCollections();
  if (!wanted) return all;
  const byId = new Map(all.map((c) => [c.collection.id, c]));
  const unknown = wanted.filter((c) => !byId.has(c));
  if (unknown.length > 0) throw new BadRequestError(`collections: unknown collection(s) ${unknown.map((u) => `'${u}'`).join(", ")}`);
  return wanted.map((c) => byId.get(c)!);
}

export async function searchItems(catalogue: Catalogue, req: SearchRequest): Promise<SearchPage> {
  const collections = await resolveCollections(catalogue, req.collections);
  const key = identity(req);
  const after = req.token ? decodeCursor(req.token, key) : undefined;
  let result: SearchResult;
  if (req.ids) {
    result = await searchByIds(catalogue, req, collections, after);
  } else {
    const plan = planSearch({
      geometry: req.geometry,
      interval: req.interval,
      collections: collections.map((c) => ({ id: c.collection.id, maxDurationMs: c.maxDurationMs })),
    });
    result = await executeSearch(catalogue, {
      plan,
      geometry: req.geometry,
      interval: req.interval,
      collections: new Set(collections.map((c) => c.collection.id)),
      after,
      limit: req.limit,
    });
  }
  const page: SearchPage = result;
  if (result.next) page.nextToken = encodeCursor(result.next, key);
  return page;
}

/** `ids` are looked up directly in each candidate collection, then the other filters apply. */
async function searchByIds(
  catalogue: Catalogue,
  req: SearchRequest,
  collections: CollectionRecord[],
  after: Cursor | undefined,
): Promise<SearchResult> {
  const before = catalogue.stats.requests;
  const found = await catalogue.getItems(
    collections.flatMap((c) => req.ids!.map((id) => ({ collection: c.collection.id, id }))),
  );
  const stats: SearchStats = {
    strategy: "ids",
    requests: catalogue.stats.requests - before,
    rounds: 1,
    rowsRead: found.size,
    capacity: 0,
  };
  const matches = [...found.values()]
    .map((s) => ({ s, sum: summarize(s.item, s.version) }))
    .filter(({ sum }) => sum.start <= req.interval.to && sum.end >= req.interval.from)
    .filter(({ sum }) => !req.geometry || (sum.geometry !== null && intersects(sum.geometry, req.geometry)))
    .filter(({ sum }) => !after || compareDesc(sum, after) > 0)
    .sort((a, b) => compareDesc(a.sum, b.sum));
  const page = matches.slice(0, req.limit);
  const result: SearchResult = { items: page.map((m) => m.s.item), stats };
  const last = page[page.length - 1];
  if (last && matches.length > page.length) result.next = last.sum;
  return result;
}

export async function requireCollection(catalogue: Catalogue, id: string): Promise<CollectionRecord> {
  const c = await catalogue.getCollection(id);
  if (!c) throw new NotFoundError(`collection '${id}' does not exist`);
  return c;
}
