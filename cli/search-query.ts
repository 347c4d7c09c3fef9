// Search options shared by `search`, `download` and `download-list`: the flags, the STAC POST body
// they make, and the items of a search, page after page (following `next` links).
import { readFileSync } from "node:fs";
import { UsageError } from "./errors.ts";
import type { Api } from "./http.ts";

export const SEARCH_FLAGS = {
  bbox: { type: "string" },
  intersects: { type: "string" },
  wkt: { type: "string" },
  datetime: { type: "string", short: "d" },
  collections: { type: "string", short: "c", multiple: true },
  ids: { type: "string", multiple: true },
  filter: { type: "string", short: "f" },
  sortby: { type: "string" },
  q: { type: "string" },
  "page-size": { type: "string" },
} as const;

export const SEARCH_HELP = `Search options:
  --bbox W,S,E,N        a bounding box in degrees (west > east crosses the antimeridian)
  --intersects FILE     a GeoJSON geometry, Feature or one-feature FeatureCollection ('-': stdin)
  --wkt WKT             a WKT geometry, e.g. 'POLYGON((14 50,15 50,15 51,14 51,14 50))'
  -d, --datetime T      an instant, a/b, ../b or a/.. (RFC 3339; a date alone is that whole day)
  -c, --collections C   collection ids, comma-separated or repeated
  --ids ID              item ids, comma-separated or repeated
  -f, --filter CQL2     a CQL2 text filter, e.g. "eo:cloud_cover < 20"
  --sortby FIELDS       e.g. -datetime or +eo:cloud_cover,-datetime
  --q TEXT              free text
  --page-size N         items per request while paging (default 500)`;

type Flags = {
  [K in keyof typeof SEARCH_FLAGS]?: (typeof SEARCH_FLAGS)[K] extends { multiple: true } ? string[] : string;
};

const list = (v: string[] | undefined) =>
  v
    ?.flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter(Boolean);

function geometryFile(path: string): unknown {
  let v: { type?: string; geometry?: unknown; features?: { geometry?: unknown }[] };
  try {
    v = JSON.parse(readFileSync(path === "-" ? 0 : path, "utf8"));
  } catch (e) {
    throw new UsageError(`--intersects ${path}: ${(e as Error).message}`);
  }
  if (v.type === "Feature") return v.geometry;
  if (v.type === "FeatureCollection") {
    if (v.features?.length !== 1)
      throw new UsageError(
        `--intersects ${path}: a FeatureCollection must hold exactly one feature (it has ${v.features?.length ?? 0})`,
      );
    return v.features[0]!.geometry;
  }
  return v;
}

/** --page-size, checked. */
export function pageSizeOf(v: unknown): number {
  if (v === undefined) return 500;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw new UsageError(`--page-size: expected 1 to 10000, got '${v}'`);
  return n;
}

/** The STAC Item Search body (POST) the flags describe. */
export function searchBody(f: Flags): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (f.bbox) {
    const b = f.bbox.split(",").map(Number);
    if (![4, 6].includes(b.length) || b.some((n) => !Number.isFinite(n)))
      throw new UsageError(`--bbox: expected W,S,E,N (4 or 6 numbers), got '${f.bbox}'`);
    body["bbox"] = b;
  }
  if (f.intersects) {
    if (f.bbox) throw new UsageError("--bbox and --intersects cannot be used together");
    body["intersects"] = geometryFile(f.intersects);
  }
  if (f.datetime) body["datetime"] = f.datetime;
  const collections = list(f.collections);
  if (collections?.length) body["collections"] = collections;
  const ids = list(f.ids);
  if (ids?.length) body["ids"] = ids;
  // A WKT geometry goes to the server as CQL2, which parses WKT: no geometry parser here.
  const filters = [f.filter, f.wkt && `S_INTERSECTS(geometry, ${f.wkt})`].filter(Boolean) as string[];
  if (filters.length) {
    body["filter"] = filters.length === 1 ? filters[0] : filters.map((x) => `(${x})`).join(" AND ");
    body["filter-lang"] = "cql2-text";
  }
  if (f.sortby)
    body["sortby"] = f.sortby.split(",").map((s) => {
      const t = s.trim();
      return { field: t.replace(/^[+-]/, ""), direction: t.startsWith("-") ? "desc" : "asc" };
    });
  if (f.q) body["q"] = f.q;
  return body;
}

export interface FoundItem {
  id: string;
  collection: string;
  properties: Record<string, unknown>;
  assets: Record<string, { href: string; type?: string; roles?: string[]; [k: string]: unknown }>;
  bbox?: number[];
  [k: string]: unknown;
}

interface Page {
  features: FoundItem[];
  numberMatched?: number;
  "hexarchive:numberMatched"?: string;
  links?: { rel: string; href: string; method?: string; body?: Record<string, unknown> }[];
}

/** Every item of a search up to `limit` (Infinity: all), page after page; `onPage` sees each page. */
export async function* searchItems(
  api: Api,
  body: Record<string, unknown>,
  limit: number,
  onPage?: (p: { numberMatched?: number | undefined; estimate: boolean }) => void,
  pageSize = 500,
): AsyncGenerator<FoundItem> {
  let request: { href: string; body: Record<string, unknown> } | undefined = {
    href: "/search",
    body: { ...body, limit: Math.min(limit, pageSize) },
  };
  let n = 0;
  while (request && n < limit) {
    const page: Page = await api.json<Page>(request.href, { method: "POST", body: request.body });
    onPage?.({
      numberMatched: page.numberMatched,
      estimate: page["hexarchive:numberMatched"] === "estimate",
    });
    for (const f of page.features) {
      if (n++ >= limit) return;
      yield f;
    }
    const next = page.links?.find((l) => l.rel === "next");
    request = next?.body
      ? { href: next.href, body: { ...next.body, limit: Math.min(limit - n, pageSize) } }
      : undefined;
  }
}

/** `collection/id` references given on the command line, as items. */
export async function itemsByRef(api: Api, refs: string[]): Promise<FoundItem[]> {
  const items: FoundItem[] = [];
  for (const ref of refs) {
    const slash = ref.indexOf("/");
    if (slash < 1) throw new UsageError(`'${ref}': expected COLLECTION/ITEM_ID`);
    const c = encodeURIComponent(ref.slice(0, slash));
    const id = encodeURIComponent(ref.slice(slash + 1));
    items.push(await api.json<FoundItem>(`/collections/${c}/items/${id}`));
  }
  return items;
}
