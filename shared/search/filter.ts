// Filter extension parameters (`filter`, `filter-lang`, `filter-crs`) → one CQL2 expression, and the
// item-shaped view of an index row's summary the evaluator runs on.
import { BadRequestError } from "../errors.ts";
import { parseJsonText } from "../http/json-input.ts";
import type { ItemSummary } from "../index/rows.ts";
import type { StacItem } from "../stac/types.ts";
import { type Cql2Expr, evaluateCql2, parseCql2Json, parseCql2Text } from "./cql2/index.ts";

const CRS84 = [
  "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
  "https://www.opengis.net/def/crs/OGC/1.3/CRS84",
];

export function parseFilter(raw: Record<string, unknown>, source: "query" | "body"): Cql2Expr | undefined {
  const f = raw["filter"];
  const lang = raw["filter-lang"] ?? (source === "query" ? "cql2-text" : "cql2-json");
  const crs = raw["filter-crs"];
  if (crs !== undefined && !CRS84.includes(String(crs)))
    throw new BadRequestError(`filter-crs: only ${CRS84[0]} is supported, got ${JSON.stringify(crs)}`);
  if (lang !== "cql2-text" && lang !== "cql2-json")
    throw new BadRequestError(
      `filter-lang: expected 'cql2-text' or 'cql2-json', got ${JSON.stringify(lang)}`,
    );
  if (f === undefined) {
    if (raw["filter-lang"] !== undefined || crs !== undefined)
      throw new BadRequestError("filter-lang and filter-crs need a filter parameter");
    return undefined;
  }
  if (lang === "cql2-text") {
    if (typeof f !== "string")
      throw new BadRequestError("filter: cql2-text expects a string; use filter-lang=cql2-json for JSON");
    return parseCql2Text(f, { param: "filter" });
  }
  return parseCql2Json(typeof f === "string" ? parseJsonText(f, "filter") : f, { param: "filter" });
}

/** The row test of a filter: CQL2 evaluated on the item-shaped view of a row's summary. */
export const summaryTest =
  (expr: Cql2Expr) =>
  (s: ItemSummary): boolean =>
    evaluateCql2(expr, summaryItem(s));

/** A STAC item made of what a row knows, enough for CQL2 on core fields and searchable properties. */
export function summaryItem(s: ItemSummary): StacItem {
  return {
    type: "Feature",
    stac_version: "1.1.0",
    id: s.id,
    collection: s.collection,
    geometry: s.geometry,
    ...(s.bbox ? { bbox: s.bbox } : {}),
    properties: { datetime: null, ...s.properties },
    links: [],
    assets: {},
  } as StacItem;
}
