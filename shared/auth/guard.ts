// Wraps the API: authenticates the caller (when credentials are sent), hides collections whose search
// is restricted, and gives auth errors the headers clients expect: `WWW-Authenticate` on 401, and DHuS's
// `cause-message` on 403. Download entitlement is checked by the download routes, which know the item.
import { CatalogueError, UnauthorizedError } from "../http/errors.ts";
import { errorResponse } from "../http/errors-to-http.ts";
import type { HttpRequest, HttpResponse } from "../http/types.ts";
import type { Logger } from "../log.ts";
import { type AccessPolicy, allowed, requireAccess, restrictedSearch } from "./access-policy.ts";
import type { Authenticator } from "./authenticator.ts";
import { type Principal, principalOf, setPrincipal } from "./principal.ts";

export interface AuthServices {
  authenticator: Authenticator;
  policy: AccessPolicy;
}

export interface RequestHandler {
  handle(req: HttpRequest): Promise<HttpResponse>;
}

export const WWW_AUTHENTICATE = 'Bearer realm="hexarchive", Basic realm="hexarchive", charset="UTF-8"';

/** 401 and 403 with their headers; every other error goes on to the one error middleware. */
export function authErrorResponse(err: unknown, log: Logger): HttpResponse | undefined {
  if (!(err instanceof CatalogueError) || (err.status !== 401 && err.status !== 403)) return undefined;
  const res = errorResponse(err, log);
  const extra: Record<string, string> =
    err.status === 401 ? { "www-authenticate": WWW_AUTHENTICATE } : { "cause-message": err.message };
  return { ...res, headers: { ...res.headers, ...extra } };
}

export function withAuth(
  inner: RequestHandler,
  auth: AuthServices | undefined,
  listCollectionIds: () => Promise<string[]>,
  log: Logger,
): RequestHandler {
  return {
    async handle(req) {
      try {
        if (!auth) return await inner.handle(req);
        const p = await auth.authenticator.authenticate(req.headers["authorization"]);
        if (p) setPrincipal(req, p);
        if (!restrictedSearch(auth.policy)) return await inner.handle(req);
        const visible = async () =>
          (await listCollectionIds()).filter((c) => allowed(auth.policy, p, c, "search"));
        const guarded = await guardSearch(req, auth.policy, p, visible);
        const res = await inner.handle(guarded);
        return req.method === "GET" && /^\/collections\/?$/.test(req.path)
          ? hideCollections(res, auth.policy, p)
          : res;
      } catch (err) {
        const res = authErrorResponse(err, log);
        if (res) return res;
        throw err;
      }
    },
  };
}

async function guardSearch(
  req: HttpRequest,
  policy: AccessPolicy,
  p: Principal | undefined,
  visible: () => Promise<string[]>,
): Promise<HttpRequest> {
  const m = /^\/collections\/([^/]+)/.exec(req.path);
  if (m) {
    requireAccess(policy, p, decodeURIComponent(m[1]!), "search");
    return req;
  }
  // Aggregations count what a search would find: they see the same collections.
  if (!/^\/(search|aggregate)\/?$/.test(req.path)) return req;
  const check = async (named: string[]): Promise<string[]> => {
    for (const c of named) requireAccess(policy, p, c, "search");
    if (named.length > 0) return named;
    const ids = await visible();
    if (ids.length === 0)
      throw p ? new UnauthorizedError("no collection is visible to this user") : new UnauthorizedError();
    return ids;
  };
  if (req.method === "POST") {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body || "{}") as Record<string, unknown>;
    } catch {
      return req; // the search route explains bad JSON
    }
    // null, arrays, strings and numbers: the search route explains what a body must be.
    if (typeof body !== "object" || body === null || Array.isArray(body)) return req;
    const named = Array.isArray(body["collections"]) ? body["collections"].map(String) : [];
    const collections = await check(named);
    const out = { ...req, body: JSON.stringify({ ...body, collections }) };
    if (p) setPrincipal(out, p);
    return out;
  }
  const named = (req.query["collections"] ?? "").split(",").filter((c) => c !== "");
  const collections = await check(named);
  const out = { ...req, query: { ...req.query, collections: collections.join(",") } };
  if (p) setPrincipal(out, p);
  return out;
}

function hideCollections(res: HttpResponse, policy: AccessPolicy, p: Principal | undefined): HttpResponse {
  if (res.status !== 200 || !res.body) return res;
  const doc = JSON.parse(res.body) as { collections?: { id: string }[] };
  if (!Array.isArray(doc.collections)) return res;
  doc.collections = doc.collections.filter((c) => allowed(policy, p, c.id, "search"));
  return { ...res, body: JSON.stringify(doc) };
}

export { principalOf };
