// Who is calling: set once per request by the auth guard, read by the routes that need it.
import type { HttpRequest } from "../http/types.ts";

export interface Principal {
  user: string;
  groups: string[];
  via: "bearer" | "basic";
}

const principals = new WeakMap<HttpRequest, Principal>();

export function setPrincipal(req: HttpRequest, p: Principal): void {
  principals.set(req, p);
}

/** undefined for anonymous requests. */
export function principalOf(req: HttpRequest): Principal | undefined {
  return principals.get(req);
}

export const isOperator = (p: Principal | undefined) => p?.groups.includes("operators") ?? false;
