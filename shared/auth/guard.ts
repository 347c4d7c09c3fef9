// Wraps the API: authenticates the caller (when credentials are sent) and gives auth errors the headers
// clients expect: `WWW-Authenticate` on 401, and DHuS's `cause-message` on 403.
import { CatalogueError } from "../http/errors.ts";
import { errorResponse } from "../http/errors-to-http.ts";
import type { HttpRequest, HttpResponse } from "../http/types.ts";
import type { Logger } from "../log.ts";
import type { AccessPolicy } from "./access-policy.ts";
import type { Authenticator } from "./authenticator.ts";
import { principalOf, setPrincipal } from "./principal.ts";

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

/**
 * Authenticates the caller (when credentials are sent) and gives auth errors their headers. It decides
 * nothing and rewrites nothing: routes authorize through shared/auth/authorize.ts, after parsing.
 */
export function withAuth(inner: RequestHandler, auth: AuthServices | undefined, log: Logger): RequestHandler {
  return {
    async handle(req) {
      try {
        if (auth) {
          const p = await auth.authenticator.authenticate(req.headers["authorization"]);
          if (p) setPrincipal(req, p);
        }
        return await inner.handle(req);
      } catch (err) {
        const res = authErrorResponse(err, log);
        if (res) return res;
        throw err;
      }
    },
  };
}

export { principalOf };
