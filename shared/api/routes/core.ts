// Landing page, conformance, collections.
import { accessOf } from "../../auth/authorize.ts";
import { type HttpRequest, type HttpResponse, json } from "../../http/types.ts";
import {
  collectionsToken,
  matchesCollection,
  parseCollectionSearch,
} from "../../search/collection-search.ts";
import { requireCollection } from "../../search/search.ts";
import { AUTH_EXTENSION, authSchemes } from "../../stac/auth-schemes.ts";
import { collectionUrl } from "../../stac/links.ts";
import { type Link, STAC_VERSION } from "../../stac/types.ts";
import { CONFORMANCE } from "../conformance.ts";
import type { ApiDeps } from "../deps.ts";
import { presentCollection } from "../present.ts";

/** The collections the caller may see: hidden ones are neither linked, listed nor counted. */
async function visibleCollections(deps: ApiDeps, req: HttpRequest) {
  return accessOf(deps.auth?.policy, req).visible(
    await deps.catalogue.listCollections(),
    (c) => c.collection.id,
  );
}

export async function landing(deps: ApiDeps, req: HttpRequest): Promise<HttpResponse> {
  const base = req.baseUrl;
  const collections = await visibleCollections(deps, req);
  return json(200, {
    type: "Catalog",
    stac_version: STAC_VERSION,
    ...authFields(deps, base),
    id: "hexarchive",
    title: deps.settings.title ?? "hexarchive",
    description: "Copernicus Earth-observation products: catalogue, search and downloads.",
    conformsTo: CONFORMANCE,
    links: [
      { rel: "self", href: `${base}/`, type: "application/json" },
      { rel: "root", href: `${base}/`, type: "application/json" },
      { rel: "conformance", href: `${base}/conformance`, type: "application/json" },
      { rel: "data", href: `${base}/collections`, type: "application/json" },
      { rel: "search", href: `${base}/search`, type: "application/geo+json", method: "GET" },
      { rel: "search", href: `${base}/search`, type: "application/geo+json", method: "POST" },
      { rel: "service-desc", href: `${base}/api`, type: "application/vnd.oai.openapi+json;version=3.0" },
      { rel: "service-doc", href: `${base}/api.html`, type: "text/html" },
      {
        rel: "http://www.opengis.net/def/rel/ogc/1.0/queryables",
        href: `${base}/queryables`,
        type: "application/schema+json",
      },
      {
        rel: "http://www.opengis.net/def/rel/ogc/1.0/sortables",
        href: `${base}/sortables`,
        type: "application/schema+json",
      },
      { rel: "aggregate", href: `${base}/aggregate`, type: "application/json", method: "GET" },
      { rel: "aggregations", href: `${base}/aggregations`, type: "application/json" },
      ...collections.map((c) => ({
        rel: "child",
        href: collectionUrl(base, c.collection.id),
        type: "application/json",
        title: c.collection.title ?? c.collection.id,
      })),
    ],
  });
}

export async function conformance(): Promise<HttpResponse> {
  return json(200, { conformsTo: CONFORMANCE });
}

/** /collections with Collection Search: bbox, datetime, q, limit and a paging token. */
export async function listCollections(deps: ApiDeps, req: HttpRequest): Promise<HttpResponse> {
  const q = await parseCollectionSearch(req.query, deps.tokens);
  const all = await visibleCollections(deps, req);
  const base = req.baseUrl;
  const matched = all
    .map((c) => c.collection)
    .filter((c) => matchesCollection(c, q))
    .sort((a, b) => a.id.localeCompare(b.id));
  const page = matched.slice(q.offset, q.offset + q.limit);
  const self = new URLSearchParams(req.query).toString();
  const links: Link[] = [
    { rel: "self", href: `${base}/collections${self ? `?${self}` : ""}`, type: "application/json" },
    { rel: "root", href: `${base}/`, type: "application/json" },
  ];
  if (q.offset + page.length < matched.length) {
    const token = await collectionsToken(q, q.offset + page.length, deps.tokens);
    const next = new URLSearchParams({ ...req.query, token });
    links.push({ rel: "next", href: `${base}/collections?${next}`, type: "application/json" });
  }
  return json(200, {
    collections: page.map((c) => ({
      ...presentCollection(c, base),
      ...authFields(deps, base, c.stac_extensions),
    })),
    links,
    numberMatched: matched.length,
    numberReturned: page.length,
  });
}

export async function getCollection(deps: ApiDeps, req: HttpRequest, id: string): Promise<HttpResponse> {
  const c = await requireCollection(deps.catalogue, id, accessOf(deps.auth?.policy, req));
  const base = req.baseUrl;
  return json(200, {
    ...presentCollection(c.collection, base),
    ...authFields(deps, base, c.collection.stac_extensions),
  });
}

/** STAC Authentication: how to sign in, where the deployment has users. */
function authFields(deps: ApiDeps, base: string, extensions: string[] = []) {
  if (!deps.auth) return {};
  return {
    stac_extensions: [...extensions.filter((e) => e !== AUTH_EXTENSION), AUTH_EXTENSION],
    "auth:schemes": authSchemes(base),
  };
}
