// The search as the page holds it, and its round trip through the page's URL (shareable, back works).
import type { MultiPolygon } from "geojson";
import { parseAreaText } from "./area.ts";
import { toWkt } from "./wkt.ts";

export type Bbox = [number, number, number, number];

export interface SearchState {
  bbox?: Bbox | undefined;
  /** A drawn or pasted area in the API's normal form (URL: `area`, as WKT); searched with `intersects`. */
  area?: MultiPolygon | undefined;
  /** A country of the packaged outlines by name (URL: `country`); its outline is searched with `intersects`. */
  country?: string | undefined;
  collections: string[];
  from?: string | undefined;
  to?: string | undefined;
  /** A STAC sortby (`+datetime`, `+eo:cloud_cover`); none: the API's order, newest first. */
  sort?: string | undefined;
  /** Highest cloud cover in percent. */
  cloud?: number | undefined;
  q?: string | undefined;
  /** STAC `platform`, e.g. `sentinel-2a`. */
  platform?: string | undefined;
  /** `product:type`, e.g. `S2MSI2A`. */
  ptype?: string | undefined;
  /** `sat:orbit_state`. */
  orbit?: "ascending" | "descending" | undefined;
  /** `sat:relative_orbit`. */
  relorbit?: number | undefined;
  /** Products per page (URL only); default PAGE_SIZE. */
  limit?: number | undefined;
  /** Paging token of the API's next link. */
  token?: string | undefined;
  /** The coverage view (products per H3 cell) is on. */
  coverage?: boolean | undefined;
  /** `collection/item` of the open product. */
  item?: string | undefined;
}

export const PAGE_SIZE = 10;

export const ORBITS = ["ascending", "descending"] as const;

const num = (s: string | null) =>
  s === null || s.trim() === "" || !Number.isFinite(Number(s)) ? undefined : Number(s);

export function parseBbox(text: string | null): Bbox | undefined {
  if (!text) return undefined;
  const parts = text.split(",").map((p) => num(p));
  if (parts.length !== 4 || parts.some((p) => p === undefined)) return undefined;
  return parts as Bbox;
}

export function stateFromUrl(search: string): SearchState {
  const p = new URLSearchParams(search);
  const collections = (p.get("collections") ?? "").split(",").filter(Boolean);
  return {
    bbox: parseBbox(p.get("bbox")),
    area: areaOf(p.get("area")),
    country: p.get("country") || undefined,
    collections,
    from: p.get("from") || undefined,
    to: p.get("to") || undefined,
    cloud: num(p.get("cloud")),
    sort: p.get("sort") || undefined,
    q: p.get("q") || undefined,
    platform: p.get("platform") || undefined,
    ptype: p.get("type") || undefined,
    orbit: ORBITS.find((o) => o === p.get("orbit")),
    relorbit: num(p.get("relorbit")),
    limit: num(p.get("limit")),
    token: p.get("token") || undefined,
    item: p.get("item") || undefined,
    coverage: p.get("coverage") === "1" || undefined,
  };
}

function areaOf(wkt: string | null): MultiPolygon | undefined {
  if (!wkt) return undefined;
  try {
    return parseAreaText(wkt);
  } catch {
    return undefined;
  }
}

export const roundBbox = (b: Bbox): Bbox => b.map((v) => Math.round(v * 1e4) / 1e4) as Bbox;

export function stateToUrl(s: SearchState): string {
  const p = new URLSearchParams();
  if (s.bbox) p.set("bbox", roundBbox(s.bbox).join(","));
  if (s.area) p.set("area", toWkt(s.area.coordinates));
  if (s.country) p.set("country", s.country);
  if (s.collections.length) p.set("collections", s.collections.join(","));
  if (s.from) p.set("from", s.from);
  if (s.to) p.set("to", s.to);
  if (s.cloud !== undefined) p.set("cloud", String(s.cloud));
  if (s.q) p.set("q", s.q);
  if (s.platform) p.set("platform", s.platform);
  if (s.ptype) p.set("type", s.ptype);
  if (s.orbit) p.set("orbit", s.orbit);
  if (s.relorbit !== undefined) p.set("relorbit", String(s.relorbit));
  if (s.sort) p.set("sort", s.sort);
  if (s.limit !== undefined) p.set("limit", String(s.limit));
  if (s.token) p.set("token", s.token);
  if (s.item) p.set("item", s.item);
  if (s.coverage) p.set("coverage", "1");
  const qs = p.toString();
  return qs ? `?${qs}` : "";
}

/** The STAC API search parameters (GET /search) for a page state. */
export function searchParams(s: SearchState): URLSearchParams {
  const p = new URLSearchParams({ limit: String(s.limit ?? PAGE_SIZE) });
  if (s.bbox) p.set("bbox", roundBbox(s.bbox).join(","));
  if (s.collections.length) p.set("collections", s.collections.join(","));
  if (s.from || s.to) {
    const from = s.from ? `${s.from}T00:00:00Z` : "..";
    const to = s.to ? `${s.to}T23:59:59Z` : "..";
    p.set("datetime", `${from}/${to}`);
  }
  const filter = cql2Filter(s);
  if (filter) {
    p.set("filter", filter);
    p.set("filter-lang", "cql2-text");
  }
  if (s.q) p.set("q", s.q);
  if (s.sort) p.set("sortby", s.sort);
  if (s.token) p.set("token", s.token);
  return p;
}

/**
 * The same search as a POST /search body, with the area as `intersects`: a country's outline is too long
 * for a URL (API Gateway takes about 10 KB), and the next page's link repeats the body with its token.
 */
export function searchBody(s: SearchState, intersects: MultiPolygon | undefined): Record<string, unknown> {
  const p = searchParams({ ...s, bbox: intersects ? undefined : s.bbox });
  const body: Record<string, unknown> = { limit: Number(p.get("limit")) };
  if (intersects) body["intersects"] = intersects;
  const bbox = p.get("bbox");
  if (bbox) body["bbox"] = bbox.split(",").map(Number);
  if (s.collections.length) body["collections"] = s.collections;
  for (const k of ["datetime", "filter", "filter-lang", "q", "token"]) {
    const v = p.get(k);
    if (v) body[k] = v;
  }
  if (s.sort)
    body["sortby"] = [
      { field: s.sort.replace(/^[+-]/, ""), direction: s.sort.startsWith("-") ? "desc" : "asc" },
    ];
  return body;
}

const literal = (v: string) => `'${v.replace(/'/g, "''")}'`;

/** The property filters as one CQL2 text expression (the API's queryables), or none. */
export function cql2Filter(s: SearchState): string | undefined {
  const terms: string[] = [];
  if (s.cloud !== undefined) terms.push(`eo:cloud_cover <= ${s.cloud}`);
  if (s.platform) terms.push(`platform = ${literal(s.platform)}`);
  if (s.ptype) terms.push(`product:type = ${literal(s.ptype)}`);
  if (s.orbit) terms.push(`sat:orbit_state = ${literal(s.orbit)}`);
  if (s.relorbit !== undefined) terms.push(`sat:relative_orbit = ${s.relorbit}`);
  return terms.length ? terms.join(" AND ") : undefined;
}
