// The OpenSearch feed as DHuS wrote it: Atom converted to JSON, so every scalar is a string and an
// element that occurs once is an object rather than a one-element array. format=xml gives the Atom.
import type { FieldType } from "./fields.ts";
import { fieldValues } from "./fields.ts";
import { type DhusProduct, gmlFootprint, humanSize, toProduct, wktFootprint } from "./product.ts";
import type { DhusPage, DhusSearch } from "./search.ts";

export const HUB_NAME = "hexarchive DHuS-compatible hub";
const NS = {
  "xmlns:opensearch": "http://a9.com/-/spec/opensearch/1.1/",
  xmlns: "http://www.w3.org/2005/Atom",
};

export interface Entry {
  title: string;
  links: { rel?: string; href: string }[];
  id: string;
  summary: string;
  values: Record<FieldType, { name: string; content: string }[]>;
}

export const productUrl = (base: string, uuid: string) => `${base}/odata/v1/Products('${uuid}')`;

export function toEntry(base: string, p: DhusProduct): Entry {
  const values: Entry["values"] = { date: [], int: [], double: [], str: [] };
  for (const f of fieldValues(p.summary)) values[f.type].push({ name: f.name, content: String(f.value) });
  const size = humanSize(p.archive?.size ?? 0);
  const str = values.str;
  const footprint = wktFootprint(p.item.geometry);
  const gml = gmlFootprint(p.item.geometry);
  if (footprint) str.push({ name: "footprint", content: footprint });
  if (gml) str.push({ name: "gmlfootprint", content: gml });
  str.push(
    { name: "size", content: size },
    { name: "format", content: p.archive?.zipped ? "SAFE" : "NetCDF" },
  );
  const url = productUrl(base, p.uuid);
  const g = (n: string) => [...values.date, ...values.str].find((v) => v.name === n)?.content ?? "";
  return {
    title: p.name,
    links: [
      { href: `${url}/$value` },
      { rel: "alternative", href: `${url}/` },
      { rel: "icon", href: `${url}/Products('Quicklook')/$value` },
    ],
    id: p.uuid,
    summary: `Date: ${g("beginposition")}, Instrument: ${g("instrumentshortname")}, Satellite: ${g("platformname")}, Size: ${size}`,
    values,
  };
}

/** One element: an object; several: an array; none: absent (the XML-to-JSON conversion DHuS used). */
const one = <T>(xs: T[]): T | T[] | undefined => (xs.length === 0 ? undefined : xs.length === 1 ? xs[0] : xs);

function pageLinks(base: string, req: DhusSearch, total: number, type: string) {
  const href = (start: number) =>
    `${base}/search?q=${encodeURIComponent(req.q)}&start=${start}&rows=${req.rows}${type === "application/json" ? "&format=json" : ""}`;
  const links: { rel: string; type: string; href: string }[] = [
    { rel: "self", type, href: href(req.start) },
    { rel: "first", type, href: href(0) },
  ];
  if (req.start > 0) links.push({ rel: "previous", type, href: href(Math.max(0, req.start - req.rows)) });
  if (req.rows > 0 && req.start + req.rows < total)
    links.push({ rel: "next", type, href: href(req.start + req.rows) });
  const last = req.rows > 0 ? Math.max(0, Math.floor((total - 1) / req.rows) * req.rows) : 0;
  links.push({ rel: "last", type, href: href(last) });
  links.push({
    rel: "search",
    type: "application/opensearchdescription+xml",
    href: "opensearch_description.xml",
  });
  return links;
}

export interface FeedHead {
  title: string;
  subtitle: string;
  updated: string;
  id: string;
  links: { rel: string; type: string; href: string }[];
}

export function feedHead(base: string, req: DhusSearch, total: number, type: string, now: Date): FeedHead {
  return {
    title: `${HUB_NAME} search results for: ${req.q}`,
    subtitle: `Displaying ${Math.min(req.rows, Math.max(0, total - req.start))} results. Request done in 0 seconds.`,
    updated: now.toISOString(),
    id: `${base}/search?q=${req.q}`,
    links: pageLinks(base, req, total, type),
  };
}

export function jsonFeed(base: string, req: DhusSearch, page: DhusPage, now = new Date()) {
  const head = feedHead(base, req, page.total, "application/json", now);
  const entries = page.items.map(({ item, summary }) => {
    const e = toEntry(base, toProduct(item, summary));
    const out: Record<string, unknown> = {
      title: e.title,
      link: e.links,
      id: e.id,
      summary: e.summary,
      ondemand: "false",
    };
    for (const type of ["date", "int", "double", "str"] as const) {
      const v = one(e.values[type]);
      if (v) out[type] = v;
    }
    return out;
  });
  const feed: Record<string, unknown> = {
    ...NS,
    title: head.title,
    subtitle: head.subtitle,
    updated: head.updated,
    author: { name: HUB_NAME },
    id: head.id,
    "opensearch:totalResults": String(page.total),
    "opensearch:startIndex": String(req.start),
    "opensearch:itemsPerPage": String(req.rows),
    "opensearch:Query": { role: "request", searchTerms: req.q, startPage: "1" },
    link: head.links,
  };
  const list = one(entries);
  if (list) feed["entry"] = list;
  return { feed };
}

/** DHuS answered query errors with HTTP 200 and the error inside the feed. */
export const jsonFeedError = (message: string) => ({ feed: { ...NS, error: { code: "400", message } } });
