// Another STAC API as an import source: its collections, then its items page after page, by POST
// /search (following `next` links whichever way the API writes them: a GET href with a token, or a POST
// body to send as it is or to merge into the last one) or, for an API without item search (or with
// --by-collection), GET /collections/{id}/items of each collection in turn. Items are stored as
// `export` writes them: without the source's own links and signatures.

import type { Geometry } from "../../../shared/stac/types.ts";
import { UsageError } from "../../errors.ts";
import type { Api } from "../../http.ts";
import type { FoundItem } from "../../search-query.ts";
import { exportedCollection, exportedItem } from "../export-import.ts";
import { bboxOf } from "./footprint.ts";
import type { Entry, ImportSource, SourcePage } from "./source.ts";

interface Request {
  href: string;
  method: "GET" | "POST";
  body?: Record<string, unknown>;
}

interface Cursor {
  request: Request;
  /**
   * --by-collection: the collection being read, by id (the source may gain collections between runs;
   * all of them are walked in id order, so the walk goes on after this one).
   */
  collection?: string;
}

interface Link {
  rel: string;
  href: string;
  method?: string;
  body?: Record<string, unknown>;
  merge?: boolean;
}

interface Page {
  features?: FoundItem[];
  links?: Link[];
}

export interface StacSourceOptions {
  /** The STAC API's root. */
  url: string;
  /** The search (as `search` builds it: bbox, datetime, collections, filter, …). */
  body: Record<string, unknown>;
  pageSize: number;
  /** Read GET /collections/{id}/items instead of /search. */
  byCollection: boolean;
}

/** The search's GET form, for /collections/{id}/items and APIs that search by GET only. */
function query(body: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) {
    if (v === undefined) continue;
    if (k === "sortby" && Array.isArray(v))
      q.set(
        k,
        v
          .map((s: { field: string; direction: string }) => `${s.direction === "desc" ? "-" : "+"}${s.field}`)
          .join(","),
      );
    else if (Array.isArray(v) && k !== "intersects") q.set(k, v.join(","));
    else if (typeof v === "object") q.set(k, JSON.stringify(v));
    else q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** Asset hrefs relative to the item (static catalogues, some APIs) made absolute: none is stored relative. */
function absoluteHrefs(f: FoundItem, page: string): FoundItem["assets"] {
  const self = (f["links"] as Link[] | undefined)?.find((l) => l.rel === "self")?.href;
  const base = self ? new URL(self, page).toString() : page;
  return Object.fromEntries(
    Object.entries(f.assets ?? {}).map(([k, a]) => [
      k,
      /^[a-z][a-z0-9+.-]*:/i.test(a.href) ? a : { ...a, href: new URL(a.href, base).toString() },
    ]),
  );
}

export async function stacSource(api: Api, o: StacSourceOptions): Promise<ImportSource> {
  const root = o.url.replace(/\/+$/, "");
  const landing = await api.json<{ conformsTo?: string[]; links?: Link[] }>(`${root}/`);
  const searchLinks = (landing.links ?? []).filter((l) => l.rel === "search");
  const canSearch =
    searchLinks.length > 0 || (landing.conformsTo ?? []).some((c) => /\/item-search$/.test(c));
  const byCollection = o.byCollection || !canSearch;
  // STAC APIs list a search link per method (none said: either); POST carries every option.
  const postLink = searchLinks.find((l) => (l.method ?? "POST").toUpperCase() === "POST");
  const post = searchLinks.length === 0 || postLink !== undefined;
  const searchHref = new URL((postLink ?? searchLinks[0])?.href ?? `${root}/search`, `${root}/`).toString();
  if (byCollection) {
    const only = ["ids", "filter", "intersects", "q"].filter((k) => o.body[k] !== undefined);
    if (only.length)
      throw new UsageError(
        `${only.join(", ")}: only with item search, which ${o.byCollection ? "--by-collection does not use" : `${root} does not offer`}`,
      );
  }

  let all: Record<string, unknown>[] | undefined;
  const allCollections = async () => {
    if (all) return all;
    all = [];
    let href: string | undefined = `${root}/collections`;
    for (let guard = 0; href && guard < 1000; guard++) {
      const page: { collections?: Record<string, unknown>[]; links?: Link[] } = await api.json(href);
      all.push(...(page.collections ?? []));
      const next = page.links?.find((l) => l.rel === "next");
      href =
        next && (next.method ?? "GET").toUpperCase() === "GET"
          ? new URL(next.href, href).toString()
          : undefined;
    }
    return all;
  };
  const wanted = o.body["collections"] as string[] | undefined;
  const walk = byCollection ? (wanted ?? (await allCollections()).map((c) => String(c["id"])).sort()) : [];
  const { collections: _c, limit: _l, ...filters } = o.body;

  const first = (index: number): Cursor | undefined => {
    if (!byCollection)
      return {
        request: post
          ? { href: searchHref, method: "POST", body: { ...o.body, limit: o.pageSize } }
          : { href: `${searchHref}${query({ ...o.body, limit: o.pageSize })}`, method: "GET" },
      };
    const collection = walk[index];
    if (collection === undefined) return undefined;
    const id = encodeURIComponent(collection);
    return {
      request: {
        href: `${root}/collections/${id}/items${query({ ...filters, limit: o.pageSize })}`,
        method: "GET",
      },
      collection,
    };
  };

  const nextOf = (page: Page, cur: Cursor): Cursor | undefined => {
    const link = page.links?.find((l) => l.rel === "next");
    if (link) {
      const href = new URL(link.href, cur.request.href).toString();
      const method = (link.method ?? (link.body ? "POST" : "GET")).toUpperCase() === "POST" ? "POST" : "GET";
      const body =
        method === "POST"
          ? link.merge
            ? { ...cur.request.body, ...link.body }
            : (link.body ?? cur.request.body)
          : undefined;
      const request: Request = { href, method, ...(body ? { body } : {}) };
      // An API that links a page to itself would be read for ever.
      if (JSON.stringify(request) !== JSON.stringify(cur.request) && (page.features?.length ?? 0) > 0)
        return { ...cur, request };
    }
    if (cur.collection === undefined) return undefined;
    const at = walk.indexOf(cur.collection);
    return first(at >= 0 ? at + 1 : walk.findIndex((id) => id > cur.collection!));
  };

  return {
    describe: `STAC API ${root} ${JSON.stringify(o.body)}${byCollection ? " by collection" : ""}`,
    async collections() {
      const list = await allCollections();
      return list.filter((c) => !wanted || wanted.includes(String(c["id"]))).map(exportedCollection);
    },
    async collection(id) {
      const res = await api.fetch(`${root}/collections/${encodeURIComponent(id)}`);
      if (!res.ok) {
        await res.body?.cancel();
        return undefined;
      }
      return exportedCollection((await res.json()) as Record<string, unknown>);
    },
    async page(cursor): Promise<SourcePage> {
      const cur = (cursor as Cursor | undefined) ?? first(0);
      if (!cur) return { entries: [], next: undefined };
      const r = cur.request;
      const page = await api.json<Page>(r.href, { method: r.method, ...(r.body ? { body: r.body } : {}) });
      const entries: Entry[] = (page.features ?? []).map((f) => {
        const collection = f.collection ?? cur.collection;
        if (!collection) return { failed: { name: String(f.id), reason: "the item names no collection" } };
        // STAC wants a bbox beside a geometry; some APIs leave it out, and this catalogue refuses that.
        const geometry = f["geometry"] as Geometry | null | undefined;
        const bbox = f.bbox ?? (geometry ? bboxOf(geometry) : undefined);
        return {
          item: exportedItem({
            ...f,
            assets: absoluteHrefs(f, r.href),
            collection,
            ...(bbox ? { bbox } : {}),
          }),
        };
      });
      return { entries, next: nextOf(page, cur) };
    },
  };
}
