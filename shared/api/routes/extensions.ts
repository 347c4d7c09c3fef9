// Queryables and aggregations: JSON documents derived from the index over the same search parameters.

import { accessOf } from "../../auth/authorize.ts";
import { BadRequestError } from "../../errors.ts";
import { parseJsonBody } from "../../http/router.ts";
import { type HttpRequest, type HttpResponse, json } from "../../http/types.ts";
import { AGGREGATION_PARAMS, AGGREGATIONS, aggregate, parseAggregateParams } from "../../search/aggregate.ts";
import { collectQueryables, queryablesDocument } from "../../search/queryables.ts";
import { parseSearch } from "../../search/request.ts";
import { matchingSummaries, requireCollection } from "../../search/search.ts";
import { collectionUrl } from "../../stac/links.ts";
import type { ApiDeps } from "../deps.ts";
import { ITEMS_PARAMS } from "./items.ts";

const SCHEMA_JSON = "application/schema+json";

/** Scalars sort (shared/search/sort.ts); geometry and arrays do not. */
const SORTABLE_TYPES = new Set(["string", "number", "integer", "boolean"]);

/**
 * Sort extension: the fields `sortby` may name, as a JSON Schema like the queryables (what STAC Browser
 * reads to offer sorting): every scalar queryable.
 */
export async function sortables(deps: ApiDeps, req: HttpRequest, collection?: string): Promise<HttpResponse> {
  const res = await queryables(deps, req, collection);
  const doc = JSON.parse(res.body!) as {
    $id: string;
    title: string;
    properties: Record<string, { type?: string }>;
  };
  const properties = Object.fromEntries(
    Object.entries(doc.properties).filter(([, p]) => SORTABLE_TYPES.has(p.type ?? "")),
  );
  return json(
    200,
    {
      ...doc,
      $id: doc.$id.replace(/queryables$/, "sortables"),
      title: doc.title.replace("Queryables", "Sortables"),
      properties,
    },
    { "content-type": SCHEMA_JSON },
  );
}

export async function queryables(
  deps: ApiDeps,
  req: HttpRequest,
  collection?: string,
): Promise<HttpResponse> {
  const access = accessOf(deps.auth?.policy, req);
  // Only collections the caller may search contribute property names.
  const ids = collection
    ? [(await requireCollection(deps.catalogue, collection, access)).collection.id]
    : access.visible(
        (await deps.catalogue.listCollections()).map((c) => c.collection.id),
        (id) => id,
      );
  const props = await collectQueryables(deps.catalogue, ids);
  return json(200, queryablesDocument(req.baseUrl, collection, props), { "content-type": SCHEMA_JSON });
}

function aggregationLinks(req: HttpRequest) {
  return [
    { rel: "self", href: `${req.baseUrl}${req.path}`, type: "application/json" },
    { rel: "root", href: `${req.baseUrl}/`, type: "application/json" },
  ];
}

export async function aggregations(
  deps: ApiDeps,
  req: HttpRequest,
  collection?: string,
): Promise<HttpResponse> {
  if (collection) await requireCollection(deps.catalogue, collection, accessOf(deps.auth?.policy, req));
  return json(200, { aggregations: AGGREGATIONS, links: aggregationLinks(req) });
}

/** GET /aggregate and /collections/{id}/aggregate (query string), POST /aggregate (JSON body). */
export async function aggregateRoute(
  deps: ApiDeps,
  req: HttpRequest,
  collection?: string,
): Promise<HttpResponse> {
  const access = accessOf(deps.auth?.policy, req);
  const source = req.method === "POST" ? "body" : "query";
  const raw: Record<string, unknown> = source === "body" ? parseJsonBody(req) : { ...req.query };
  const params = parseAggregateParams(raw, source);
  for (const k of AGGREGATION_PARAMS) delete raw[k];
  if (collection) {
    await requireCollection(deps.catalogue, collection, access);
    const extra = Object.keys(raw).filter((k) => !ITEMS_PARAMS.includes(k));
    if (extra.length > 0)
      throw new BadRequestError(
        `unknown parameter '${extra[0]}' (supported here: ${[...ITEMS_PARAMS, ...AGGREGATION_PARAMS].join(", ")})`,
      );
  }
  // Validated like a search; paging, order and projection then play no part in counts.
  const search = parseSearch(raw, { source });
  // Exactly the id authorized and found above, not a re-parsed spelling of it.
  if (collection) search.collections = [collection];
  delete search.token;
  delete search.fields;
  const rows = await matchingSummaries(deps.catalogue, search, access);
  const links = aggregationLinks(req);
  if (collection)
    links.push({ rel: "collection", href: collectionUrl(req.baseUrl, collection), type: "application/json" });
  return json(200, { type: "AggregationCollection", aggregations: aggregate(rows, params), links });
}
