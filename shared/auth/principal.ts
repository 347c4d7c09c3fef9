// Who is calling: set once per request by the auth guard, read by the routes that need it.
import type { HttpRequest } from "../http/types.ts";
import type { SignedClaim } from "./signed-hrefs.ts";

export interface Principal {
  user: string;
  groups: string[];
  via: "bearer" | "basic" | "signed";
}

const principals = new WeakMap<HttpRequest, Principal>();

export function setPrincipal(req: HttpRequest, p: Principal): void {
  principals.set(req, p);
}

/** A verified signed link the request came with (shared/auth/signed-hrefs.ts); not yet a principal. */
const claims = new WeakMap<HttpRequest, SignedClaim>();

export function setSignedClaim(req: HttpRequest, c: SignedClaim): void {
  claims.set(req, c);
}

export function signedClaimOf(req: HttpRequest): SignedClaim | undefined {
  return claims.get(req);
}

/** undefined for anonymous requests (and for requests with only a signed link: see authorize.ts). */
export function principalOf(req: HttpRequest): Principal | undefined {
  return principals.get(req);
}

export const isOperator = (p: Principal | undefined) => p?.groups.includes("operators") ?? false;
