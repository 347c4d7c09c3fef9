// Operators' deletions with a cause (`POST …/items/{itemId}/delete`, a write route) and the listing of
// tombstones (`GET /admin/tombstones`) and the gap report (`POST /admin/gaps`), over shared/lifecycle/.
import { BadRequestError, NotFoundError } from "../../errors.ts";
import { parseJsonBody, type Router } from "../../http/router.ts";
import { type HttpRequest, type HttpResponse, json } from "../../http/types.ts";
import { requireCause } from "../../lifecycle/causes.ts";
import { deleteProduct, type LifecycleDeps } from "../../lifecycle/delete-product.ts";
import { dayOption, gapsOfCollection, parseUpstreamProducts } from "../../lifecycle/gaps.ts";
import type { ApiDeps } from "../deps.ts";
import { requireOperator } from "./operators.ts";

const MAX_TEXT = 1000;

function lifecycle(deps: ApiDeps): LifecycleDeps {
  if (!deps.lifecycle) throw new NotFoundError("deletions are not served by this deployment");
  return { ...deps.lifecycle, log: deps.log, now: () => new Date() };
}

/** `POST /collections/{c}/items/{id}/delete` with `{cause, text?}`: the product goes, its tombstone stays. */
export async function deleteItemWithCause(
  deps: ApiDeps,
  req: HttpRequest,
  collection: string,
  id: string,
): Promise<HttpResponse> {
  const p = requireOperator(req, "delete products");
  const body = parseJsonBody(req);
  const cause = requireCause("cause", body["cause"]);
  const text = body["text"];
  if (text !== undefined && (typeof text !== "string" || text.length > MAX_TEXT))
    throw new BadRequestError(`'text' must be a string of at most ${MAX_TEXT} characters`);
  const r = await deleteProduct(lifecycle(deps), collection, id, {
    cause,
    ...(text ? { text } : {}),
    by: `operator:${p.user}`,
  });
  return json(200, { outcome: r.outcome, tombstone: r.tombstone });
}

/** `GET /admin/tombstones?collection=&cause=&since=&limit=&cursor=`: deleted products, paged. */
export async function listTombstones(deps: ApiDeps, req: HttpRequest): Promise<HttpResponse> {
  requireOperator(req, "list deleted products");
  const store = lifecycle(deps).tombstones;
  const q = req.query;
  for (const k of Object.keys(q))
    if (!["collection", "cause", "since", "limit", "cursor"].includes(k))
      throw new BadRequestError(
        `unknown parameter '${k}' (supported: collection, cause, since, limit, cursor)`,
      );
  const limit = Number(q["limit"] ?? 100);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new BadRequestError(`'limit' must be an integer from 1 to 1000, got '${q["limit"]}'`);
  const since = q["since"];
  if (since !== undefined && Number.isNaN(Date.parse(since)))
    throw new BadRequestError(`'since' must be an RFC 3339 date-time, got '${since}'`);
  const page = await store.listTombstones({
    collection: q["collection"],
    cause: q["cause"] === undefined ? undefined : requireCause("cause", q["cause"]),
    since: since === undefined ? undefined : new Date(since).toISOString(),
    limit,
    cursor: q["cursor"],
  });
  const links = [];
  if (page.next) {
    const qs = new URLSearchParams({ ...q, cursor: page.next }).toString();
    links.push({ rel: "next", href: `${req.baseUrl}/admin/tombstones?${qs}`, type: "application/json" });
  }
  return json(200, { tombstones: page.tombstones, count: page.tombstones.length, links });
}

/** `POST /admin/gaps` with `{collection, upstream, from?, to?}`: `upstream` a saved OData Products result,
 *  an array of names, or the text of a CSV or list of names. */
export async function gapReportRoute(deps: ApiDeps, req: HttpRequest): Promise<HttpResponse> {
  requireOperator(req, "read gap reports");
  const body = parseJsonBody(req);
  for (const k of Object.keys(body))
    if (!["collection", "upstream", "from", "to"].includes(k))
      throw new BadRequestError(`unknown field '${k}' (supported: collection, upstream, from, to)`);
  const collection = body["collection"];
  if (typeof collection !== "string" || collection === "")
    throw new BadRequestError("'collection' must be the id of a collection");
  const upstream = body["upstream"];
  if (
    upstream === undefined ||
    upstream === null ||
    typeof upstream === "number" ||
    typeof upstream === "boolean"
  )
    throw new BadRequestError(
      "'upstream' must be a product list: OData Products JSON, an array of names, or text",
    );
  const list = parseUpstreamProducts(
    typeof upstream === "string" ? upstream : JSON.stringify(upstream),
    "'upstream'",
  );
  const text = (k: string) => {
    const v = body[k];
    if (v !== undefined && typeof v !== "string")
      throw new BadRequestError(`'${k}' must be a day, e.g. 2024-05-01`);
    return dayOption(k, v);
  };
  const from = text("from");
  const to = text("to");
  if (from && to && from > to) throw new BadRequestError(`'from' (${from}) is after 'to' (${to})`);
  return json(200, await gapsOfCollection(deps.catalogue, collection, list, { from, to }));
}

export function addLifecycleRoutes(router: Router, deps: ApiDeps): void {
  router
    .on("GET", "/admin/tombstones", (req) => listTombstones(deps, req))
    .on("POST", "/admin/gaps", (req) => gapReportRoute(deps, req));
}
