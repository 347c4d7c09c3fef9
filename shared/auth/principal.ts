// Who is calling: set once per request by the auth guard, read by the routes that need it.
import type { HttpRequest } from "../http/types.ts";

export interface Principal {
  user: string;
  groups: string[];
  via: "bearer" | "basic" | "signed";
}

/** What a verified signed link (shared/auth/signed-hrefs.ts) opens: one asset of one item. */
export interface AssetBinding {
  collection: string;
  item: string;
  asset: string;
}

/** Or one file inside an item's product, by its path (`…/files/{path}`). */
export interface FileBinding {
  collection: string;
  item: string;
  path: string;
}

export type SignedClaim =
  | { kind: "asset"; principal: Principal; binding: AssetBinding; expires: number; token: string }
  | { kind: "file"; principal: Principal; binding: FileBinding; expires: number; token: string }
  | { kind: "read"; principal: Principal; expires: number; token: string };

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
