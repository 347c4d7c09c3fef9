// Item Search (GET and POST), a collection's items, single items and asset downloads.
import { accessOf } from "../../auth/authorize.ts";
import { signedClaimOf } from "../../auth/principal.ts";
import { SIGNATURE_PARAM } from "../../auth/signed-hrefs.ts";
import { BadRequestError } from "../../errors.ts";
import { parseJsonBody } from "../../http/router.ts";
import { geojson, type HttpRequest, type HttpResponse } from "../../http/types.ts";
import { applyFields } from "../../search/fields.ts";
import { ITEMS_PARAMS, parseSearch, type SearchRequest } from "../../search/request.ts";
import { requireCollection, requireStoredItem, type SearchPage, searchItems } from "../../search/search.ts";
import { collectionUrl } from "../../stac/links.ts";
import type { Link, StacItem } from "../../stac/types.ts";
import { countSearchParams } from "../../stats/search-usage.ts";
import { assetLinksFor } from "../asset-links.ts";
import type { ApiDeps } from "../deps.ts";
import { presentItem } from "../present.ts";

/**
 * Pages stop before their features pass this many bytes of JSON, well below Lambda's 6 MB response
 * limit; the next link continues from the last item that fitted.
 */
export const MAX_PAGE_BYTES = 5_000_000;

/** Present, with the value "estimate", when numberMatched is an estimate rather than an exact count. */
export const MATCHED_ESTIMATE_FIELD = "hexarchive:numberMatched";

async function itemCollection(deps: ApiDeps, req: HttpRequest, search: SearchRequest, reserve: number) {
  const base = req.baseUrl;
  const access = accessOf(deps.auth?.policy, req);
  const links = assetLinksFor(deps, access);
  const presented = new Map<StacItem, string>();
  const present = (i: StacItem) => {
    let s = presented.get(i);
    if (s === undefined) {
      s = JSON.stringify(applyFields(presentItem(i, base, links), search.fields));
      presented.set(i, s);
    }
    return s;
  };
  const page = await searchItems(deps.catalogue, search, access, {
    budget: { maxBytes: MAX_PAGE_BYTES - reserve, size: (i) => Buffer.byteLength(present(i)) },
    tokens: deps.tokens,
  });
  return { page, features: page.items.map(present) };
}

/** The FeatureCollection as text, splicing in the features exactly as they were measured. */
function envelope(features: string[], links: Link[], page: SearchPage): HttpResponse {
  // An estimated count says so (README, "Counts"); JSON.stringify drops undefined members.
  const rest = JSON.stringify({
    links,
    numberMatched: page.numberMatched,
    numberReturned: features.length,
    [MATCHED_ESTIMATE_FIELD]: page.matchedEstimated ? "estimate" : undefined,
  });
  return {
    status: 200,
    headers: { "content-type": "application/geo+json" },
    body: `{"type":"FeatureCollection","features":[${features.join(",")}],${rest.slice(1)}`,
  };
}

/** The query of this request's own links: a signed read link's pages stay signed. */
function linkQuery(req: HttpRequest): Record<string, string> {
  const claim = signedClaimOf(req);
  return claim?.kind === "read" ? { ...req.query, [SIGNATURE_PARAM]: claim.token } : req.query;
}

function selfUrl(req: HttpRequest): string {
  const qs = new URLSearchParams(linkQuery(req)).toString();
  return `${req.baseUrl}${req.path}${qs ? `?${qs}` : ""}`;
}

function getLinks(req: HttpRequest, token: string | undefined): Link[] {
  const links: Link[] = [
    { rel: "self", href: selfUrl(req), type: "application/geo+json" },
    { rel: "root", href: `${req.baseUrl}/`, type: "application/json" },
  ];
  if (token) {
    const qs = new URLSearchParams({ ...linkQuery(req), token }).toString();
    links.push({
      rel: "next",
      href: `${req.baseUrl}${req.path}?${qs}`,
      type: "application/geo+json",
      method: "GET",
    });
  }
  return links;
}

export async function searchGet(deps: ApiDeps, req: HttpRequest): Promise<HttpResponse> {
  const search = parseSearch(req.query, { source: "query" });
  const counted = countSearchParams(deps, Object.keys(req.query));
  const { page, features } = await itemCollection(deps, req, search, 2 * selfUrl(req).length + 4096);
  await counted.settled();
  return envelope(features, getLinks(req, page.nextToken), page);
}

export async function searchPost(deps: ApiDeps, req: HttpRequest): Promise<HttpResponse> {
  const body = parseJsonBody(req);
  const search = parseSearch(body, { source: "body" });
  const counted = countSearchParams(deps, Object.keys(body));
  // The next link repeats the body, so it counts against the page's size too.
  const { page, features } = await itemCollection(deps, req, search, (req.body?.length ?? 0) + 4096);
  await counted.settled();
  const links: Link[] = [
    { rel: "self", href: `${req.baseUrl}/search`, type: "application/geo+json" },
    { rel: "root", href: `${req.baseUrl}/`, type: "application/json" },
  ];
  if (page.nextToken) {
    links.push({
      rel: "next",
      href: `${req.baseUrl}/search`,
      type: "application/geo+json",
      method: "POST",
      body: { ...body, token: page.nextToken },
      merge: false,
    });
  }
  return envelope(features, links, page);
}

export { ITEMS_PARAMS };

export function parseItemsQuery(query: Record<string, string>, collection: string): SearchRequest {
  for (const k of Object.keys(query)) {
    if (!ITEMS_PARAMS.includes(k))
      throw new BadRequestError(`unknown parameter '${k}' (supported here: ${ITEMS_PARAMS.join(", ")})`);
  }
  // Exactly the id the route authorized and found, not a re-parsed spelling of it.
  return { ...parseSearch(query), collections: [collection] };
}

export async function collectionItems(
  deps: ApiDeps,
  req: HttpRequest,
  collection: string,
): Promise<HttpResponse> {
  await requireCollection(deps.catalogue, collection, accessOf(deps.auth?.policy, req));
  const search = parseItemsQuery(req.query, collection);
  const { page, features } = await itemCollection(deps, req, search, 2 * selfUrl(req).length + 4096);
  const links = getLinks(req, page.nextToken);
  const parent = collectionUrl(req.baseUrl, collection);
  links.push(
    { rel: "collection", href: parent, type: "application/json" },
    { rel: "parent", href: parent, type: "application/json" },
  );
  return envelope(features, links, page);
}

export async function getItem(
  deps: ApiDeps,
  req: HttpRequest,
  collection: string,
  id: string,
): Promise<HttpResponse> {
  const access = accessOf(deps.auth?.policy, req);
  const stored = await requireStoredItem(deps.catalogue, collection, id, access);
  const res = geojson(200, presentItem(stored.item, req.baseUrl, assetLinksFor(deps, access)));
  // Weak: the content hash of the item as stored (the change feed's `hash`), not of this rendering of it.
  return stored.hash ? { ...res, headers: { ...res.headers, etag: `W/"${stored.hash}"` } } : res;
}
