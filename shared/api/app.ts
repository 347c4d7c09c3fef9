// The STAC API as a router over the domain; composition roots wrap it for Lambda or the local server.
import { Router } from "../http/router.ts";
import { conformance, getCollection, landing, listCollections } from "./routes/core.ts";
import { collectionItems, downloadAsset, getItem, searchGet, searchPost } from "./routes/items.ts";
import type { ApiDeps } from "./deps.ts";

export function createApi(deps: ApiDeps): Router {
  return new Router()
    .on("GET", "/", (req) => landing(deps, req))
    .on("GET", "/conformance", () => conformance())
    .on("GET", "/collections", (req) => listCollections(deps, req))
    .on("GET", "/collections/{collectionId}", (req, p) => getCollection(deps, req, p["collectionId"]!))
    .on("GET", "/collections/{collectionId}/items", (req, p) => collectionItems(deps, req, p["collectionId"]!))
    .on("GET", "/collections/{collectionId}/items/{itemId}", (req, p) =>
      getItem(deps, req, p["collectionId"]!, p["itemId"]!),
    )
    .on("GET", "/collections/{collectionId}/items/{itemId}/assets/{assetKey}", (_req, p) =>
      downloadAsset(deps, p["collectionId"]!, p["itemId"]!, p["assetKey"]!),
    )
    .on("GET", "/search", (req) => searchGet(deps, req))
    .on("POST", "/search", (req) => searchPost(deps, req));
}
