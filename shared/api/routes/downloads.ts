// Downloads: an item's assets (the product, files inside it, its quicklook) and any file of a zipped or
// tarred product by path; see shared/download/serve.ts for how each kind is served.

import { accessOf } from "../../auth/authorize.ts";
import { withSignature } from "../../auth/signed-hrefs.ts";
import { productsBuckets, requireOwnedObject } from "../../download/confine.ts";
import { serveDownload } from "../../download/serve.ts";
import { assetTarget, checkFilePath, fileTarget, listProductFiles, S3_HREF } from "../../download/targets.ts";
import { NotFoundError } from "../../errors.ts";
import type { Router } from "../../http/router.ts";
import { type HttpRequest, type HttpResponse, json, redirect } from "../../http/types.ts";
import { requireStoredItem } from "../../search/search.ts";
import { itemUrl } from "../../stac/links.ts";
import type { StoredItem } from "../../storage/catalogue.ts";
import type { ApiDeps } from "../deps.ts";

export async function downloadItemAsset(
  deps: ApiDeps,
  req: HttpRequest,
  collection: string,
  id: string,
  assetKey: string,
): Promise<HttpResponse> {
  // A signed asset link counts here, and only for the very asset it was signed for (canonical ids).
  const access = accessOf(deps.auth?.policy, req, { collection, item: id, asset: assetKey });
  const stored = await requireStoredItem(deps.catalogue, collection, id, access);
  const item = stored.item;
  const asset = item.assets[assetKey];
  if (!asset) {
    throw new NotFoundError(
      `item '${id}' has no asset '${assetKey}' (it has: ${Object.keys(item.assets).join(", ") || "none"})`,
    );
  }
  const target = assetTarget({ ...item, collection }, stored.source, assetKey, asset);
  return target ? serveDownload(deps, req, target, access) : redirect(asset.href);
}

/** The item's product archive, once it is known to be the item's own object (nothing is read before). */
async function productStore(deps: ApiDeps, collection: string, stored: StoredItem) {
  const item = stored.item;
  if (!deps.downloads) throw new NotFoundError("files inside products are not served by this deployment");
  const m = S3_HREF.exec(item.assets["product"]?.href ?? "");
  if (!m) throw new NotFoundError(`item '${item.id}' has no product archive`);
  const claim = { collection, item: item.id, source: stored.source, bucket: m[1]!, key: m[2]! };
  await requireOwnedObject(deps.owners, claim, { buckets: productsBuckets(deps) });
  return { bucket: m[1]!, store: deps.downloads.objects(m[1]!) };
}

/**
 * A product's files with their links. A signed-in caller's links are signed (shared/auth/signed-hrefs.ts)
 * for that one file, so a browser that keeps the credentials in a script can follow them as they are.
 */
export async function listItemFiles(deps: ApiDeps, req: HttpRequest, collection: string, id: string) {
  const access = accessOf(deps.auth?.policy, req);
  const stored = await requireStoredItem(deps.catalogue, collection, id, access);
  const item = stored.item;
  // The list of a product's files is what its download would show: download access.
  access.requireDownload(collection);
  const { store } = await productStore(deps, collection, stored);
  const listing = await listProductFiles(store, item);
  const base = `${itemUrl(req.baseUrl, collection, id)}/files`;
  const signer = deps.auth?.signer;
  const principal = access.principal;
  const href = (path: string) => {
    const plain = `${base}/${path.split("/").map(encodeURIComponent).join("/")}`;
    return signer && principal
      ? withSignature(plain, signer.signFile(principal, { collection, item: id, path }).token)
      : plain;
  };
  return json(200, {
    root: listing.prefix.replace(/\/$/, ""),
    files: listing.files.map((f) => ({ path: f.path, size: f.size, href: href(f.path) })),
  });
}

export async function downloadItemFile(
  deps: ApiDeps,
  req: HttpRequest,
  collection: string,
  id: string,
  path: string,
): Promise<HttpResponse> {
  checkFilePath(path);
  // A signed file link counts here, and only for the very file it was signed for.
  const access = accessOf(deps.auth?.policy, req, undefined, { collection, item: id, path });
  const stored = await requireStoredItem(deps.catalogue, collection, id, access);
  const item = stored.item;
  access.requireDownload(collection);
  const { bucket, store } = await productStore(deps, collection, stored);
  const listing = await listProductFiles(store, item);
  const target = fileTarget({ ...item, collection }, stored.source, bucket, listing, path);
  return serveDownload(deps, req, target, access);
}

export function addDownloadRoutes(router: Router, deps: ApiDeps): void {
  router
    .on("GET", "/collections/{collectionId}/items/{itemId}/files", (req, p) =>
      listItemFiles(deps, req, p["collectionId"]!, p["itemId"]!),
    )
    .on("GET", "/collections/{collectionId}/items/{itemId}/files/{path+}", (req, p) =>
      downloadItemFile(deps, req, p["collectionId"]!, p["itemId"]!, p["path"]!),
    );
}
