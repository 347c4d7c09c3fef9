// The DHuS-compatible hub under /dhus/: OpenSearch `search`, OData v1 `odata/v1/...` and the version
// stub, authenticated with HTTP Basic, errors in the form DHuS clients read.
import type { Principal } from "../auth/principal.ts";
import { BadRequestError, CatalogueError, UnauthorizedError } from "../errors.ts";
import { type HttpRequest, type HttpResponse, json, type RequestHandler } from "../http/types.ts";
import { DHUS_PREFIX, type DhusDeps, hubBase } from "./deps.ts";
import { jsonFeed, jsonFeedError } from "./feed.ts";
import { xmlFeed, xmlFeedError } from "./feed-xml.ts";
import { odataError } from "./odata.ts";
import { odataRoute } from "./odata-routes.ts";
import { QueryError } from "./query.ts";
import { MAX_ROWS, searchProducts } from "./search.ts";

export const DHUS_VERSION = "2.4.1";

/**
 * The hub, for requests under /dhus/ (the API mounts it there: shared/api/app.ts). It answers in DHuS's
 * forms: its 401 body and `cause-message` header are what sentinelsat turns into UnauthorizedError.
 */
export function dhusHub(deps: DhusDeps): RequestHandler {
  return {
    handle(req) {
      let path: string;
      try {
        path = decodeURIComponent(req.path.slice(DHUS_PREFIX.length + 1)).replace(/\/+$/, "");
      } catch {
        return Promise.resolve(
          dhusError(deps, new BadRequestError("the path is not valid percent-encoding"), req),
        );
      }
      return dhusHandle(deps, req, path);
    },
  };
}

export async function dhusHandle(deps: DhusDeps, req: HttpRequest, path: string): Promise<HttpResponse> {
  try {
    if (req.method !== "GET" && req.method !== "HEAD")
      throw new CatalogueError(
        405,
        "MethodNotAllowed",
        `${req.method} is not allowed on ${DHUS_PREFIX}/${path}; use GET`,
      );
    const principal = await deps.authenticate(req);
    if (path === "api/stub/version") return json(200, { value: DHUS_VERSION });
    if (path === "search") return await search(deps, req, principal);
    if (path.startsWith("odata/v1/"))
      return await odataRoute(deps, req, principal, path.slice("odata/v1/".length));
    throw new CatalogueError(404, "NotFound", `no such resource: ${DHUS_PREFIX}/${path}`);
  } catch (err) {
    return dhusError(deps, err, req);
  }
}

function dhusError(deps: DhusDeps, err: unknown, req: HttpRequest): HttpResponse {
  let status = 500;
  let message = "An internal error occurred; it has been logged.";
  const headers: Record<string, string> = {};
  if (err instanceof CatalogueError) {
    // DHuS answered a user over the concurrent-download limit with 403 (+ cause-message), not 429.
    status = err.status === 429 ? 403 : err.status;
    message = err.message;
    if (err.retryAfterSeconds !== undefined) headers["retry-after"] = String(err.retryAfterSeconds);
    if (status >= 500) deps.log.error(message, { path: req.path, code: err.code });
  } else {
    deps.log.error("unhandled error in the DHuS hub", {
      path: req.path,
      error: String(err),
      stack: (err as Error)?.stack,
    });
  }
  headers["cause-message"] = headerSafe(message);
  if (err instanceof UnauthorizedError) headers["www-authenticate"] = 'Basic realm="hexarchive DHuS"';
  return json(status, odataError(message), headers);
}

const headerSafe = (s: string) => s.replace(/[^\x20-\x7e]/g, "?").slice(0, 1000);

function intParam(req: HttpRequest, name: string, dflt: number): number {
  const raw = req.query[name];
  if (raw === undefined || raw === "") return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new CatalogueError(400, "BadRequest", `${name}: expected a non-negative integer, got '${raw}'`);
  return n;
}

async function search(deps: DhusDeps, req: HttpRequest, principal: Principal): Promise<HttpResponse> {
  const rows = intParam(req, "rows", 10);
  if (rows > MAX_ROWS)
    throw new CatalogueError(
      400,
      "BadRequest",
      `rows: ${rows} is more than the ${MAX_ROWS} rows a page may hold`,
    );
  const asJson = (req.query["format"] ?? "xml").toLowerCase() === "json";
  const q = {
    q: req.query["q"] ?? "*",
    rows,
    start: intParam(req, "start", 0),
    orderby: req.query["orderby"],
  };
  const base = hubBase(req);
  try {
    const page = await searchProducts(deps.catalogue, q, (c) => deps.canSee(principal, c));
    if (asJson) return json(200, jsonFeed(base, q, page));
    return {
      status: 200,
      headers: { "content-type": "application/atom+xml; charset=utf-8" },
      body: xmlFeed(base, q, page),
    };
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    if (asJson) return json(200, jsonFeedError(err.message));
    return {
      status: 200,
      headers: { "content-type": "application/atom+xml; charset=utf-8" },
      body: xmlFeedError(err.message),
    };
  }
}
