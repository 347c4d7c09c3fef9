// Wraps the API: authenticates the caller (when credentials are sent) and gives auth errors the headers
// clients expect: `WWW-Authenticate` on 401, and DHuS's `cause-message` on 403.
import { CatalogueError, UnauthorizedError } from "../errors.ts";
import { errorResponse } from "../http/errors-to-http.ts";
import type { HttpResponse, RequestHandler } from "../http/types.ts";
import type { Logger } from "../log.ts";
import type { AccessPolicy } from "./access-policy.ts";
import type { Authenticator } from "./authenticator.ts";
import { principalOf, setPrincipal, setSignedClaim } from "./principal.ts";
import { type HrefSigner, SIGNATURE_PARAM } from "./signed-hrefs.ts";

export interface AuthServices {
  authenticator: Authenticator;
  policy: AccessPolicy;
  /** Signs and verifies short-lived links (GET /sign, asset hrefs for signed-in callers); none: no links. */
  signer?: HrefSigner | undefined;
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
        // A signed link's signature is not a search parameter: routes never see it.
        const token = req.query[SIGNATURE_PARAM];
        delete req.query[SIGNATURE_PARAM];
        if (auth) {
          const p = await auth.authenticator.authenticate(req.headers["authorization"]);
          if (p) setPrincipal(req, p);
          else if (token !== undefined) {
            if (!auth.signer) throw new UnauthorizedError("this deployment hands out no signed links");
            setSignedClaim(req, auth.signer.verify(token));
          }
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
