// Who may change the catalogue: the access policy's `write` level, `group:operators` by default.
// Anonymous callers get 401 (the auth guard adds WWW-Authenticate), signed-in outsiders 403.
import type { AccessLevel } from "../auth/access-policy.ts";
import type { AuthServices } from "../auth/guard.ts";
import { isOperator, type Principal } from "../auth/principal.ts";
import { ForbiddenError, UnauthorizedError } from "../errors.ts";

export const DEFAULT_WRITE_LEVEL: AccessLevel = "group:operators";

export function requireWriter(auth: AuthServices | undefined, p: Principal | undefined): void {
  // Without users nobody can be authorised: an unconfigured deployment must not be writable by all.
  if (!auth) throw new ForbiddenError("transactions are disabled: this deployment has no users");
  const level = auth.policy.write ?? DEFAULT_WRITE_LEVEL;
  if (level === "public") return;
  if (!p) throw new UnauthorizedError("sign in as an operator to change the catalogue");
  if (level === "authenticated" || isOperator(p)) return;
  const group = level.slice("group:".length);
  if (!p.groups.includes(group))
    throw new ForbiddenError(`user '${p.user}' may not change the catalogue (needs group '${group}')`);
}
