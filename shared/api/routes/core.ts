// Landing page, conformance, collections.
import { json, type HttpRequest, type HttpResponse } from "../../http/types.ts";
import { requireCollection } from "../../search/search.ts";
import { collectionUrl, presentCollection } from "../../stac/links.ts";
import { STAC_VERSION } from "../../stac/types.ts";
import { CONFORMANCE } from "../conformance.ts";
import type { ApiDeps } from "../deps.ts";

export async function landing(deps: ApiDeps, req: HttpRequest): Promise<HttpResponse> {
  const base = req.baseUrl;
  const collections = await deps.catalogue.listCollections();
  return json(200, {
    type: "Catalog",
    stac_version: STAC_VERSION,
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

export async function listCollections(deps: ApiDeps, req: HttpRequest): Promise<HttpResponse> {
  const all = await deps.catalogue.listCollections();
  const base = req.baseUrl;
  return json(200, {
    collections: all.map((c) => presentCollection(c.collection, base)).sort((a, b) => a.id.localeCompare(b.id)),
    links: [
      { rel: "self", href: `${base}/collections`, type: "application/json" },
      { rel: "root", href: `${base}/`, type: "application/json" },
    ],
    numberMatched: all.length,
    numberReturned: all.length,
  });
}

export async function getCollection(deps: ApiDeps, req: HttpRequest, id: string): Promise<HttpResponse> {
  const c = await requireCollection(deps.catalogue, id);
  return json(200, presentCollection(c.collection, req.baseUrl));
}
