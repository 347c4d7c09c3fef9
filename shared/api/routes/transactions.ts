// STAC API Transactions (items) and Collection Transactions: POST/PUT/PATCH/DELETE under /collections
// (the routes of ../write-routes.ts), for callers the access policy's `write` level admits (operators by
// default).
import { accessOf } from "../../auth/authorize.ts";
import { principalOf } from "../../auth/principal.ts";
import { CatalogueError } from "../../errors.ts";
import { type Handler, parseJsonBody, type Router } from "../../http/router.ts";
import { geojson, type HttpRequest, type HttpResponse, json } from "../../http/types.ts";
import { collectionUrl, itemUrl } from "../../stac/links.ts";
import { requireWriter } from "../../transactions/authorize.ts";
import {
  createCollection,
  deleteCollection,
  patchCollection,
  replaceCollection,
} from "../../transactions/write-collection.ts";
import {
  createItems,
  deleteItem,
  patchItem,
  replaceItem,
  type TransactionDeps,
} from "../../transactions/write-item.ts";
import type { ApiDeps } from "../deps.ts";
import { presentCollection, presentItem } from "../present.ts";
import { WRITE_ROUTES, type WriteRouteName } from "../write-routes.ts";
import { deleteItemWithCause } from "./lifecycle.ts";

/** Bulk bodies are larger than searches; Lambda accepts 6 MB. */
const MAX_BODY_BYTES = 5_000_000;
const JSON_TYPES = ["application/json", "application/geo+json"];
const MERGE_PATCH = "application/merge-patch+json";

/** Authorises, then parses the body as JSON of an accepted media type (none sent counts as JSON). */
function body(deps: ApiDeps, req: HttpRequest, accepted: string[]): Record<string, unknown> {
  requireWriter(deps.auth, principalOf(req));
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "" && !accepted.includes(type))
    throw new CatalogueError(
      415,
      "UnsupportedMediaType",
      `content-type '${type}' is not accepted here; send ${accepted.join(" or ")}`,
    );
  return parseJsonBody(req, MAX_BODY_BYTES);
}

const domain = (deps: ApiDeps, req: HttpRequest): TransactionDeps => ({
  catalogue: deps.catalogue,
  now: () => new Date(),
  access: accessOf(deps.auth?.policy, req),
  productsBucket: deps.settings.productsBucket,
  owners: deps.owners,
});
const noContent = (): HttpResponse => ({ status: 204, headers: {} });

/** One handler per write route; which routes those are is the table's (../write-routes.ts). */
function writeHandlers(deps: ApiDeps): Record<WriteRouteName, Handler> {
  return {
    createItems: async (req, p) => {
      const c = p["collectionId"]!;
      const created = await createItems(domain(deps, req), c, body(deps, req, JSON_TYPES), req.baseUrl);
      if (created.kind === "item") {
        const res = geojson(201, presentItem(created.item, req.baseUrl));
        return { ...res, headers: { ...res.headers, location: itemUrl(req.baseUrl, c, created.item.id) } };
      }
      return json(201, {
        created: created.items.length,
        links: created.items.map((i) => ({
          rel: "item",
          href: itemUrl(req.baseUrl, c, i.id),
          type: "application/geo+json",
          title: i.id,
        })),
      });
    },
    replaceItem: async (req, p) => {
      const item = await replaceItem(
        domain(deps, req),
        p["collectionId"]!,
        p["itemId"]!,
        body(deps, req, JSON_TYPES),
        req.baseUrl,
      );
      return geojson(200, presentItem(item, req.baseUrl));
    },
    patchItem: async (req, p) => {
      const patch = body(deps, req, [MERGE_PATCH, ...JSON_TYPES]);
      const item = await patchItem(domain(deps, req), p["collectionId"]!, p["itemId"]!, patch, req.baseUrl);
      return geojson(200, presentItem(item, req.baseUrl));
    },
    deleteItem: async (req, p) => {
      requireWriter(deps.auth, principalOf(req));
      await deleteItem(domain(deps, req), p["collectionId"]!, p["itemId"]!);
      return noContent();
    },
    createCollection: async (req) => {
      const c = await createCollection(domain(deps, req), body(deps, req, ["application/json"]));
      return json(201, presentCollection(c, req.baseUrl), { location: collectionUrl(req.baseUrl, c.id) });
    },
    replaceCollection: async (req, p) => {
      const c = await replaceCollection(
        domain(deps, req),
        p["collectionId"]!,
        body(deps, req, ["application/json"]),
      );
      return json(200, presentCollection(c, req.baseUrl));
    },
    patchCollection: async (req, p) => {
      const patch = body(deps, req, [MERGE_PATCH, "application/json"]);
      const c = await patchCollection(domain(deps, req), p["collectionId"]!, patch);
      return json(200, presentCollection(c, req.baseUrl));
    },
    deleteCollection: async (req, p) => {
      requireWriter(deps.auth, principalOf(req));
      await deleteCollection(domain(deps, req), p["collectionId"]!);
      return noContent();
    },
    deleteProduct: (req, p) => deleteItemWithCause(deps, req, p["collectionId"]!, p["itemId"]!),
  };
}

export function addTransactionRoutes(router: Router, deps: ApiDeps): void {
  const handlers = writeHandlers(deps);
  for (const name of Object.keys(WRITE_ROUTES) as WriteRouteName[]) {
    const { method, path } = WRITE_ROUTES[name];
    // Exact: API Gateway routes only these keys to the writing function (no trailing-slash variants).
    router.on(method, path, handlers[name], { exact: true });
  }
}
