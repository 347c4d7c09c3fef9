// Item Search (GET and POST), a collection's items, single items and asset downloads.
import { BadRequestError, NotFoundError } from "../../http/errors.ts";
import { parseJsonBody } from "../../http/router.ts";
import { geojson, type HttpRequest, type HttpResponse, redirect } from "../../http/types.ts";
import { MEMBER_FIELD } from "../../products/types.ts";
import { parseSearch } from "../../search/request.ts";
import { requireCollection, type SearchPage, searchItems } from "../../search/search.ts";
import { collectionUrl, presentItem } from "../../stac/links.ts";
import type { Link } from "../../stac/types.ts";
import type { ApiDeps } from "../deps.ts";

function itemCollection(page: SearchPage, base: string, self: string, next: Link | undefined) {
  const links: Link[] = [
    { rel: "self", href: self, type: "application/geo+json" },
    { rel: "root", href: `${base}/`, type: "application/json" },
  ];
  if (next) links.push(next);
  return {
    type: "FeatureCollection",
    features: page.items.map((i) => presentItem(i, base)),
    links,
    numberReturned: page.items.length,
  };
}

function selfUrl(req: HttpRequest): string {
  const qs = new URLSearchParams(req.query).toString();
  return `${req.baseUrl}${req.path}${qs ? `?${qs}` : ""}`;
}

function getNextLink(req: HttpRequest, token: string | undefined): Link | undefined {
  if (!token) return undefined;
  const qs = new URLSearchParams({ ...req.query, token }).toString();
  return { rel: "next", href: `${req.baseUrl}${req.path}?${qs}`, type: "application/geo+json", method: "GET" };
}

export async function searchGet(deps: ApiDeps, req: HttpRequest): Promise<HttpResponse> {
  const page = await searchItems(deps.catalogue, parseSearch(req.query, { source: "query" }));
  return geojson(200, itemCollection(page, req.baseUrl, selfUrl(req), getNextLink(req, page.nextToken)));
}

export async function searchPost(deps: ApiDeps, req: HttpRequest): Promise<HttpResponse> {
  const body = parseJsonBody(req);
  const page = await searchItems(deps.catalogue, parseSearch(body, { source: "body" }));
  const next: Link | undefined = page.nextToken
    ? {
        rel: "next",
        href: `${req.baseUrl}/search`,
        type: "application/geo+json",
        method: "POST",
        body: { ...body, token: page.nextToken },
        merge: false,
      }
    : undefined;
  return geojson(200, itemCollection(page, req.baseUrl, `${req.baseUrl}/search`, next));
}

const ITEMS_PARAMS = ["bbox", "datetime", "limit", "token"];

export async function collectionItems(deps: ApiDeps, req: HttpRequest, collection: string): Promise<HttpResponse> {
  await requireCollection(deps.catalogue, collection);
  for (const k of Object.keys(req.query)) {
    if (!ITEMS_PARAMS.includes(k))
      throw new BadRequestError(`unknown parameter '${k}' (supported here: ${ITEMS_PARAMS.join(", ")})`);
  }
  const page = await searchItems(deps.catalogue, parseSearch({ ...req.query, collections: collection }));
  const out = itemCollection(page, req.baseUrl, selfUrl(req), getNextLink(req, page.nextToken));
  const parent = collectionUrl(req.baseUrl, collection);
  out.links.push(
    { rel: "collection", href: parent, type: "application/json" },
    { rel: "parent", href: parent, type: "application/json" },
  );
  return geojson(200, out);
}

async function requireItem(deps: ApiDeps, collection: string, id: string) {
  await requireCollection(deps.catalogue, collection);
  const stored = await deps.catalogue.getItem(collection, id);
  if (!stored) throw new NotFoundError(`item '${id}' does not exist in collection '${collection}'`);
  return stored.item;
}

export async function getItem(deps: ApiDeps, req: HttpRequest, collection: string, id: string): Promise<HttpResponse> {
  return geojson(200, presentItem(await requireItem(deps, collection, id), req.baseUrl));
}

/** 302 to a short-lived presigned URL of the asset's object. */
export async function downloadAsset(
  deps: ApiDeps,
  collection: string,
  id: string,
  assetKey: string,
): Promise<HttpResponse> {
  const item = await requireItem(deps, collection, id);
  const asset = item.assets[assetKey];
  if (!asset) {
    throw new NotFoundError(
      `item '${id}' has no asset '${assetKey}' (it has: ${Object.keys(item.assets).join(", ") || "none"})`,
    );
  }
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(asset.href);
  if (!m) return redirect(asset.href);
  if (asset[MEMBER_FIELD]) {
    throw new NotFoundError(
      `asset '${assetKey}' is a file inside the product and cannot be downloaded alone yet; download the asset 'product'`,
    );
  }
  const bucket = m[1]!;
  const key = m[2]!;
  const url = await deps.presigner.presignGet(bucket, key, {
    expiresIn: deps.settings.presignSeconds,
    filename: key.split("/").pop() ?? key,
  });
  return redirect(url);
}
