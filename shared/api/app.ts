// The STAC API as a router over the domain; composition roots wrap it for Lambda or the local server.
import { withAuth } from "../auth/guard.ts";
import { DHUS_PREFIX, dhusDepsFrom } from "../dhus/deps.ts";
import { dhusHub } from "../dhus/routes.ts";
import { mountPrefixes } from "../http/mount.ts";
import { withRequestLimits } from "../http/request-limits.ts";
import { Router } from "../http/router.ts";
import { json, type RequestHandler } from "../http/types.ts";
import type { ApiDeps } from "./deps.ts";
import { openApiDocument } from "./openapi.ts";
import { renderOpenApiHtml } from "./openapi-html.ts";
import { listChanges } from "./routes/changes.ts";
import { conformance, getCollection, listCollections } from "./routes/core.ts";
import { downloadList } from "./routes/download-list.ts";
import { addDownloadRoutes, downloadItemAsset } from "./routes/downloads.ts";
import { aggregateRoute, aggregations, queryables, sortables } from "./routes/extensions.ts";
import { collectionItems, getItem, searchGet, searchPost } from "./routes/items.ts";
import { addJobRoutes } from "./routes/jobs.ts";
import { addLifecycleRoutes } from "./routes/lifecycle.ts";
import { addOperatorRoutes } from "./routes/operators.ts";
import { signHref } from "./routes/sign.ts";
import { downloadSnapshot } from "./routes/snapshots.ts";
import { addSubscriptionRoutes } from "./routes/subscriptions.ts";
import { addTransactionRoutes } from "./routes/transactions.ts";
import { home, UI_PREFIX, uiAsset } from "./routes/ui.ts";

const OPENAPI_TYPE = "application/vnd.oai.openapi+json;version=3.0";

/** The STAC API's routes (and the operators' and downloads'), before auth and limits. */
export function stacRouter(deps: ApiDeps): Router {
  const router = new Router()
    .on("GET", "/", (req) => home(deps, req))
    .on("GET", `${UI_PREFIX}/{file}`, (_req, p) => uiAsset(deps, p["file"]!))
    .on("GET", "/conformance", () => conformance())
    .on("GET", "/api", async (req) =>
      json(200, openApiDocument(req.baseUrl), { "content-type": OPENAPI_TYPE }),
    )
    .on("GET", "/api.html", async (req) => ({
      status: 200,
      headers: { "content-type": "text/html; charset=utf-8" },
      body: renderOpenApiHtml(openApiDocument(req.baseUrl)),
    }))
    .on("GET", "/collections", (req) => listCollections(deps, req))
    .on("GET", "/collections/{collectionId}", (req, p) => getCollection(deps, req, p["collectionId"]!))
    .on("GET", "/collections/{collectionId}/items", (req, p) =>
      collectionItems(deps, req, p["collectionId"]!),
    )
    .on("GET", "/collections/{collectionId}/items/{itemId}", (req, p) =>
      getItem(deps, req, p["collectionId"]!, p["itemId"]!),
    )
    .on("GET", "/collections/{collectionId}/items/{itemId}/assets/{assetKey}", (req, p) =>
      downloadItemAsset(deps, req, p["collectionId"]!, p["itemId"]!, p["assetKey"]!),
    )
    .on("GET", "/collections/{collectionId}/snapshots/{month}", (req, p) =>
      downloadSnapshot(deps, req, p["collectionId"]!, p["month"]!),
    )
    .on("GET", "/collections/{collectionId}/changes", (req, p) => listChanges(deps, req, p["collectionId"]!))
    .on("GET", "/changes", (req) => listChanges(deps, req))
    .on("GET", "/collections/{collectionId}/queryables", (req, p) =>
      queryables(deps, req, p["collectionId"]!),
    )
    .on("GET", "/collections/{collectionId}/aggregate", (req, p) =>
      aggregateRoute(deps, req, p["collectionId"]!),
    )
    .on("GET", "/collections/{collectionId}/aggregations", (req, p) =>
      aggregations(deps, req, p["collectionId"]!),
    )
    .on("GET", "/search", (req) => searchGet(deps, req))
    .on("POST", "/search", (req) => searchPost(deps, req))
    .on("POST", "/search/download-list", (req) => downloadList(deps, req))
    .on("GET", "/queryables", (req) => queryables(deps, req))
    .on("GET", "/sortables", (req) => sortables(deps, req))
    .on("GET", "/collections/{collectionId}/sortables", (req, p) => sortables(deps, req, p["collectionId"]!))
    .on("GET", "/aggregate", (req) => aggregateRoute(deps, req))
    .on("POST", "/aggregate", (req) => aggregateRoute(deps, req))
    .on("GET", "/aggregations", (req) => aggregations(deps, req))
    .on("GET", "/sign", (req) => signHref(deps, req));
  addDownloadRoutes(router, deps);
  addOperatorRoutes(router, deps);
  addLifecycleRoutes(router, deps);
  addTransactionRoutes(router, deps);
  addSubscriptionRoutes(router, deps);
  addJobRoutes(router, deps);
  return router;
}

/** The whole API: STAC (bounded, then authenticated) with the DHuS-compatible hub mounted beside it. */
export function createApi(deps: ApiDeps): RequestHandler {
  // Every STAC request is bounded first (shared/http/request-limits.ts), before the guard reads it.
  const stac = withRequestLimits(withAuth(stacRouter(deps), deps.auth, deps.log));
  // The DHuS hub authenticates and answers its own errors in the form DHuS clients read.
  return mountPrefixes({ [DHUS_PREFIX]: dhusHub(dhusDepsFrom(deps)) }, stac);
}
