// OpenSearch over the catalogue's own index: the query's footprint and sensing interval go to the
// planner, every other term is a test on the rows' summaries; then the DHuS order and offset paging.
import type { ItemSummary } from "../index/rows.ts";
import { executeSearch } from "../search/execute.ts";
import { planSearch } from "../search/plan/choose.ts";
import { planCollections } from "../search/plan/inputs.ts";
import type { StacItem } from "../stac/types.ts";
import type { Catalogue } from "../storage/catalogue.ts";
import { itemRef } from "../storage/catalogue.ts";
import { FIELDS, fieldValue } from "./fields.ts";
import { parseDhusQuery, type QNode, QueryError } from "./query.ts";
import { compileQuery, queryHints } from "./query-eval.ts";

export const MAX_ROWS = 100;

export interface DhusSearch {
  q: string;
  /** The query already parsed (OData `$filter`); wins over `q`. */
  node?: QNode | undefined;
  rows: number;
  start: number;
  orderby?: string | undefined;
}

export interface DhusPage {
  total: number;
  items: { item: StacItem; summary: ItemSummary }[];
}

interface SortKey {
  field: string;
  desc: boolean;
}

/** `orderby=beginposition desc,cloudcoverpercentage asc`; DHuS's default is newest ingestion first. */
export function parseOrderBy(text: string | undefined): SortKey[] {
  if (!text || text.trim() === "") return [{ field: "ingestiondate", desc: true }];
  return text.split(",").map((part) => {
    const [name = "", dir = "asc", ...rest] = part.trim().split(/\s+/);
    const field = name.toLowerCase();
    if (!Object.hasOwn(FIELDS, field) || rest.length > 0 || !/^(asc|desc)$/i.test(dir))
      throw new QueryError(`orderby: cannot sort on '${part.trim()}' (expected '<field> asc|desc')`);
    return { field, desc: dir.toLowerCase() === "desc" };
  });
}

function comparator(keys: SortKey[]) {
  const value = (field: string, s: ItemSummary): number | string | undefined => {
    const v = fieldValue(field, s);
    return FIELDS[field]!.type === "date" && v !== undefined ? Date.parse(String(v)) : v;
  };
  return (a: ItemSummary, b: ItemSummary): number => {
    for (const k of keys) {
      const [x, y] = [value(k.field, a), value(k.field, b)];
      if (x === y) continue;
      // Missing values sort last either way, as in Solr.
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      const c = x < y ? -1 : 1;
      return k.desc ? -c : c;
    }
    return a.collection === b.collection
      ? a.id < b.id
        ? -1
        : a.id > b.id
          ? 1
          : 0
      : a.collection < b.collection
        ? -1
        : 1;
  };
}

/** Every match is read from the index rows (the total must be exact); only the page's items are fetched. */
export async function searchProducts(
  catalogue: Catalogue,
  req: DhusSearch,
  visible: (collection: string) => boolean = () => true,
  now = new Date(),
): Promise<DhusPage> {
  const node = req.node ?? parseDhusQuery(req.q);
  const accept = compileQuery(node, now);
  const hints = queryHints(node, now);
  const order = comparator(parseOrderBy(req.orderby));
  const collections = (await catalogue.listCollections()).filter((c) => visible(c.collection.id));
  const found = new Map<string, ItemSummary>();
  if (hints.interval.from <= hints.interval.to && collections.length > 0) {
    // Row counts and tile footprints as the STAC search has them: tile rows, cloud bands, no reads of
    // ranges without rows.
    const plan = planSearch({
      geometry: hints.geometry,
      interval: hints.interval,
      collections: await planCollections(catalogue, collections, hints.geometry),
      cloudCoverMax: hints.cloudCoverMax,
    });
    await executeSearch(catalogue, {
      plan,
      geometry: hints.geometry,
      interval: hints.interval,
      collections: new Set(collections.map((c) => c.collection.id)),
      limit: 0,
      compare: order,
      accept: (s) => {
        const ref = itemRef(s.collection, s.id);
        const seen = found.get(ref);
        if ((!seen || seen.version < s.version) && accept(s)) found.set(ref, s);
        return false;
      },
    });
  }
  const sorted = [...found.values()].sort(order);
  const page = sorted.slice(req.start, req.start + req.rows);
  const stored = await catalogue.getItems(page.map((s) => ({ collection: s.collection, id: s.id })));
  const items = page.flatMap((summary) => {
    const hit = stored.get(itemRef(summary.collection, summary.id));
    return hit ? [{ item: hit.item, summary }] : [];
  });
  return { total: sorted.length, items };
}
