// Item Search parameters, from a GET query string or a POST body, validated into one SearchRequest.

import { BadRequestError } from "../errors.ts";
import { bboxToGeometry, normalizeGeometry } from "../geo/normalize.ts";
import { parseJsonText } from "../http/json-input.ts";
import type { BBox, Geometry } from "../stac/types.ts";
import { internArea } from "./area-intern.ts";
import { type Cql2Expr, extractIndexHints, type IndexHints } from "./cql2/index.ts";
import { ALL_TIME, type Interval, parseDatetime } from "./datetime.ts";
import { type FieldsSpec, parseFields } from "./fields.ts";
import { parseFilter } from "./filter.ts";
import { parseQ } from "./free-text.ts";
import { parseBBox, parseGeometry } from "./geojson.ts";
import { parseQuery } from "./query-extension.ts";
import { parseSortby, type SortKey } from "./sort.ts";

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 10_000;

export interface SearchRequest {
  collections?: string[];
  ids?: string[];
  bbox?: BBox;
  intersects?: Geometry;
  /** bbox or intersects in normal form (split at the antimeridian). */
  geometry?: Geometry;
  datetime?: string;
  interval: Interval;
  limit: number;
  token?: string;
  /** Filter extension (cql2-text or cql2-json, parsed). */
  filter?: Cql2Expr;
  /** Query extension, translated to CQL2. */
  query?: Cql2Expr;
  sortby?: SortKey[];
  fields?: FieldsSpec;
  /** Free-text terms, ORed. */
  q?: string[];
  /** "all": superseded versions (`deprecated: true`) too; by default only the latest of each product. */
  versions?: "latest" | "all";
}

/** Parameters of a collection's items route: Item Search's own but for what the route fixes. */
export const ITEMS_PARAMS: readonly string[] = [
  "bbox",
  "datetime",
  "limit",
  "token",
  "filter",
  "filter-lang",
  "filter-crs",
  "sortby",
  "fields",
  "query",
  "q",
  "versions",
];
export const SEARCH_PARAMS: readonly string[] = [...ITEMS_PARAMS, "collections", "ids", "intersects"];

/** No collection or item id is longer: DynamoDB allows 1,024 bytes per sort key. */
export const MAX_ID_BYTES = 1024;
/** Ids one search may name: each is looked up in every candidate collection (BatchGetItem, 100 keys a call). */
export const MAX_IDS = 100;

function list(v: unknown, name: string, source: "query" | "body", max = Number.POSITIVE_INFINITY): string[] {
  // A query string spells lists comma-separated; a JSON body must use arrays.
  const arr = typeof v === "string" && source === "query" ? v.split(",") : v;
  if (!Array.isArray(arr) || !arr.every((x) => typeof x === "string"))
    throw new BadRequestError(`${name}: expected a list of strings`);
  const out = arr.map((s) => s.trim()).filter((s) => s !== "");
  if (out.length === 0) throw new BadRequestError(`${name}: expected at least one value`);
  if (out.length > max) throw new BadRequestError(`${name}: at most ${max} values, got ${out.length}`);
  const long = out.find((s) => Buffer.byteLength(s) > MAX_ID_BYTES);
  if (long !== undefined)
    throw new BadRequestError(`${name}: '${long.slice(0, 40)}…' is longer than ${MAX_ID_BYTES} bytes`);
  return out;
}

function limitOf(v: unknown): number {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1)
    throw new BadRequestError(`limit: expected an integer of at least 1, got ${JSON.stringify(v)}`);
  // OGC API - Features: a limit above the maximum is served as the maximum, not refused.
  return Math.min(n, MAX_LIMIT);
}

/** Rows must pass more than the area and interval: a CQL2 filter, a query object or free-text terms. */
export const filtersRows = (r: SearchRequest): boolean =>
  r.filter !== undefined || r.query !== undefined || r.q !== undefined;

/** The request's `filter` and `query` as one CQL2 expression (both must hold). */
export const requestFilter = (r: SearchRequest): Cql2Expr | undefined =>
  r.filter && r.query ? { kind: "and", args: [r.filter, r.query] } : (r.filter ?? r.query);

/** The planner's hints of the request's filter (undefined without one). */
function requestHints(r: SearchRequest): IndexHints | undefined {
  const expr = requestFilter(r);
  return expr ? extractIndexHints(expr) : undefined;
}

/**
 * What the planner is told of a request's filters: the cloud-cover bound it can read cloud bands for,
 * and whether rows must also pass tests it cannot estimate (free text, or conjuncts beyond the hints).
 */
export function filterPlanInput(
  r: SearchRequest,
  hints: IndexHints | undefined = requestHints(r),
): { filtered: boolean; cloudCoverMax?: number } {
  return {
    filtered: r.q !== undefined || (hints !== undefined && !hints.complete),
    ...(hints?.cloudCoverMax !== undefined ? { cloudCoverMax: hints.cloudCoverMax } : {}),
  };
}

/**
 * Build a request from already-decoded parameters. `extra` names parameters a route accepts beyond
 * Item Search's own; anything else is refused so that a typo never silently widens a search.
 */
export function parseSearch(
  raw: Record<string, unknown>,
  opts: { source: "query" | "body"; allowed?: readonly string[] } = { source: "query" },
): SearchRequest {
  const allowed = new Set<string>([...SEARCH_PARAMS, ...(opts.allowed ?? [])]);
  for (const k of Object.keys(raw)) {
    if (!allowed.has(k))
      throw new BadRequestError(`unknown parameter '${k}' (supported: ${[...allowed].sort().join(", ")})`);
  }
  const req: SearchRequest = { interval: ALL_TIME, limit: DEFAULT_LIMIT };
  if (raw["collections"] !== undefined)
    req.collections = list(raw["collections"], "collections", opts.source);
  if (raw["ids"] !== undefined) req.ids = list(raw["ids"], "ids", opts.source, MAX_IDS);
  if (raw["bbox"] !== undefined && raw["intersects"] !== undefined)
    throw new BadRequestError("bbox and intersects cannot be used together; give one of them");
  if (raw["bbox"] !== undefined) {
    if (opts.source === "body" && !Array.isArray(raw["bbox"]))
      throw new BadRequestError("bbox: expected an array of numbers");
    req.bbox = parseBBox(raw["bbox"]);
    const bbox = req.bbox;
    req.geometry = internArea(`bbox ${JSON.stringify(bbox)}`, () => normalizeGeometry(bboxToGeometry(bbox)));
  }
  if (raw["intersects"] !== undefined) {
    const g = raw["intersects"];
    const intersects = parseGeometry(typeof g === "string" ? parseJsonText(g, "intersects") : g);
    req.intersects = intersects;
    req.geometry = internArea(`intersects ${JSON.stringify(intersects)}`, () =>
      normalizeGeometry(intersects),
    );
  }
  if (raw["datetime"] !== undefined) {
    if (typeof raw["datetime"] !== "string") throw new BadRequestError("datetime: expected a string");
    req.datetime = raw["datetime"];
    req.interval = parseDatetime(raw["datetime"]);
  }
  if (raw["limit"] !== undefined) {
    if (opts.source === "body" && typeof raw["limit"] !== "number")
      throw new BadRequestError("limit: expected a number");
    req.limit = limitOf(raw["limit"]);
  }
  if (raw["token"] !== undefined) {
    if (typeof raw["token"] !== "string" || raw["token"] === "")
      throw new BadRequestError("token: expected a string");
    req.token = raw["token"];
  }
  const filter = parseFilter(raw, opts.source);
  if (filter) req.filter = filter;
  if (raw["query"] !== undefined) req.query = parseQuery(raw["query"]);
  if (raw["sortby"] !== undefined) req.sortby = parseSortby(raw["sortby"], opts.source);
  if (raw["fields"] !== undefined) req.fields = parseFields(raw["fields"], opts.source);
  if (raw["q"] !== undefined) req.q = parseQ(raw["q"], opts.source);
  if (raw["versions"] !== undefined) {
    if (raw["versions"] !== "latest" && raw["versions"] !== "all")
      throw new BadRequestError(
        `versions: expected 'latest' or 'all', got ${JSON.stringify(raw["versions"])}`,
      );
    req.versions = raw["versions"];
  }
  return req;
}
