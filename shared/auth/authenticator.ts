// Turns an Authorization header into a Principal: `Bearer <JWT>` verified offline against the issuer's
// keys, or `Basic` (legacy DHuS clients) checked against the same users by a PasswordVerifier.
import { UnauthorizedError } from "../errors.ts";
import { type Claims, type KeySource, verifyJwt } from "./jwt.ts";
import type { Principal } from "./principal.ts";

export interface PasswordVerifier {
  /** The user's principal, or undefined when the name or password is wrong. */
  verify(user: string, password: string): Promise<Principal | undefined>;
}

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

/** Claims → principal; Cognito's names first, then the generic OIDC ones. */
export function principalFromClaims(c: Claims, via: Principal["via"]): Principal {
  const user = c["cognito:username"] ?? c["username"] ?? c["preferred_username"] ?? c["sub"];
  if (typeof user !== "string" || user === "")
    throw new UnauthorizedError("invalid bearer token: no subject");
  const raw = c["cognito:groups"] ?? c["groups"] ?? [];
  const groups = Array.isArray(raw) ? raw.filter((g): g is string => typeof g === "string") : [];
  return { user, groups, via };
}

export function jwtVerifier(keys: KeySource, issuer: string, audience?: string): TokenVerifier {
  return {
    verify: async (token) =>
      principalFromClaims(await verifyJwt(token, keys, { issuer, audience }), "bearer"),
  };
}

export class Authenticator {
  constructor(
    private readonly tokens: TokenVerifier,
    private readonly passwords: PasswordVerifier,
  ) {}

  /** undefined without credentials; throws UnauthorizedError for credentials that do not hold. */
  async authenticate(authorization: string | undefined): Promise<Principal | undefined> {
    if (!authorization) return undefined;
    const [scheme, value = ""] = authorization.trim().split(/\s+/, 2);
    switch (scheme?.toLowerCase()) {
      case "bearer":
        return this.tokens.verify(value);
      case "basic": {
        const decoded = Buffer.from(value, "base64").toString("utf8");
        const colon = decoded.indexOf(":");
        if (colon < 0) throw new UnauthorizedError("malformed Basic credentials");
        const p = await this.passwords.verify(decoded.slice(0, colon), decoded.slice(colon + 1));
        if (!p) throw new UnauthorizedError("wrong user name or password");
        return p;
      }
      default:
        throw new UnauthorizedError(`unsupported authorization scheme '${scheme}'; use Bearer or Basic`);
    }
  }
}
