// Collection Search on /collections: bbox and datetime against each collection's extent, free text
// over its id, title, description and keywords, a CQL2 filter (text or JSON, as pystac-client's
// collection_search sends it) on a collection's fields, and offset paging (collections are few).

import { BadRequestError } from "../errors.ts";
import { bboxToGeometry } from "../geo/normalize.ts";
import type { BBox, StacCollection, StacItem } from "../stac/types.ts";
import { type Cql2Expr, evaluateCql2 } from "./cql2/index.ts";
import { fingerprint } from "./cursor.ts";
import { ALL_TIME, type Interval, parseDatetime } from "./datetime.ts";
import { parseFilter } from "./filter.ts";
import { matchesText, parseQ } from "./free-text.ts";
import { parseBBox } from "./geojson.ts";
import type { PagingTokens } from "./paging-tokens.ts";

export const COLLECTIONS_DEFAULT_LIMIT = 100;
export const COLLECTIONS_MAX_LIMIT = 1000;
export const COLLECTION_SEARCH_PARAMS = [
  "bbox",
  "datetime",
  "q",
  "filter",
  "filter-lang",
  "filter-crs",
  "limit",
  "token",
];

export interface CollectionQuery {
  bbox?: BBox;
  datetime?: string;
  interval: Interval;
  q?: string[];
  filter?: Cql2Expr;
  limit: number;
  offset: number;
}

export async function parseCollectionSearch(
  query: Record<string, string>,
  tokens: PagingTokens,
): Promise<CollectionQuery> {
  for (const k of Object.keys(query)) {
    if (!COLLECTION_SEARCH_PARAMS.includes(k))
      throw new BadRequestError(
        `unknown parameter '${k}' (supported here: ${COLLECTION_SEARCH_PARAMS.join(", ")})`,
      );
  }
  const out: CollectionQuery = { interval: ALL_TIME, limit: COLLECTIONS_DEFAULT_LIMIT, offset: 0 };
  if (query["bbox"] !== undefined) out.bbox = parseBBox(query["bbox"]);
  if (query["datetime"] !== undefined) {
    out.datetime = query["datetime"];
    out.interval = parseDatetime(query["datetime"]);
  }
  if (query["q"] !== undefined) out.q = parseQ(query["q"], "query");
  const filter = parseFilter(query, "query");
  if (filter) out.filter = filter;
  if (query["limit"] !== undefined) {
    const n = Number(query["limit"]);
    if (!Number.isInteger(n) || n < 1)
      throw new BadRequestError(`limit: expected an integer of at least 1, got '${query["limit"]}'`);
    out.limit = Math.min(n, COLLECTIONS_MAX_LIMIT);
  }
  if (query["token"] !== undefined) {
    const [offset] = await tokens.open(query["token"], identity(out));
    if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0)
      throw new BadRequestError("token: not a paging token issued by this API");
    out.offset = offset;
  }
  return out;
}

const identity = (q: CollectionQuery) =>
  fingerprint(["collections", q.bbox, q.interval, q.q, ...(q.filter ? [q.filter] : [])]);

export const collectionsToken = (q: CollectionQuery, offset: number, tokens: PagingTokens) =>
  tokens.seal([offset], identity(q));

/** Longitude ranges of a bbox, split at the antimeridian when west > east. */
const lonRanges = (w: number, e: number): [number, number][] =>
  w <= e
    ? [[w, e]]
    : [
        [w, 180],
        [-180, e],
      ];

function bboxOverlaps(a: BBox, b: number[]): boolean {
  const [aw, as, ae, an] = a;
  const bd = b.length === 6 ? 3 : 2;
  const [bw, bs, be, bn] = [b[0]!, b[1]!, b[bd]!, b[bd + 1]!];
  if (as > bn || an < bs) return false;
  return lonRanges(aw, ae).some(([x1, x2]) => lonRanges(bw, be).some(([y1, y2]) => x1 <= y2 && y1 <= x2));
}

export function matchesCollection(c: StacCollection, q: CollectionQuery): boolean {
  if (q.bbox) {
    const boxes = c.extent.spatial.bbox;
    if (!boxes.some((b) => bboxOverlaps(q.bbox!, b))) return false;
  }
  if (q.datetime !== undefined) {
    const [start, end] = c.extent.temporal.interval[0] ?? [null, null];
    if (start && new Date(start).toISOString() > q.interval.to) return false;
    if (end && new Date(end).toISOString() < q.interval.from) return false;
  }
  if (
    q.q &&
    !matchesText({ id: c.id, title: c.title, description: c.description, keywords: c.keywords }, q.q)
  )
    return false;
  return !q.filter || evaluateCql2(q.filter, collectionFeature(c));
}

/**
 * A collection as the CQL2 evaluator sees it: id, its first extent box as geometry, and as properties
 * its title, description, keywords, license, providers' names, temporal extent (start_datetime,
 * end_datetime) and summaries.
 */
function collectionFeature(c: StacCollection): StacItem {
  const box = c.extent.spatial.bbox[0];
  const bbox = box && (box.length === 6 ? [box[0]!, box[1]!, box[3]!, box[4]!] : box);
  const [start, end] = c.extent.temporal.interval[0] ?? [null, null];
  const summaries = (c as { summaries?: Record<string, unknown> }).summaries ?? {};
  return {
    type: "Feature",
    stac_version: c.stac_version,
    id: c.id,
    geometry: bbox ? bboxToGeometry(bbox as BBox) : null,
    properties: {
      ...summaries,
      datetime: null,
      start_datetime: start,
      end_datetime: end,
      title: c.title,
      description: c.description,
      keywords: c.keywords,
      license: c.license,
      providers: c.providers?.map((p) => p.name),
    },
    links: [],
    assets: {},
  } as StacItem;
}
