// HTTP Basic on AWS: the user name and password go to Cognito's InitiateAuth (USER_PASSWORD_AUTH, an
// unsigned public call, so no SDK is needed); the ID token it returns is verified like any bearer token.
// Successes are cached briefly by a hash of the credentials, so a client sending Basic on every request
// costs one Cognito call per few minutes, not one per request.
import { createHash } from "node:crypto";
import { TransientError, UnauthorizedError } from "../errors.ts";
import type { PasswordVerifier, TokenVerifier } from "./authenticator.ts";
import type { Principal } from "./principal.ts";

export interface CognitoPasswordOptions {
  region: string;
  clientId: string;
  tokens: TokenVerifier;
  cacheMs?: number;
  fetchFn?: typeof fetch;
}

export class CognitoPasswords implements PasswordVerifier {
  private readonly cache = new Map<string, { until: number; principal: Principal }>();

  constructor(private readonly o: CognitoPasswordOptions) {}

  async verify(user: string, password: string): Promise<Principal | undefined> {
    const id = createHash("sha256").update(`${user}\0${password}`).digest("base64");
    const hit = this.cache.get(id);
    if (hit && hit.until > Date.now()) return hit.principal;
    const res = await (this.o.fetchFn ?? fetch)(`https://cognito-idp.${this.o.region}.amazonaws.com/`, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService.InitiateAuth",
      },
      body: JSON.stringify({
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: this.o.clientId,
        AuthParameters: { USERNAME: user, PASSWORD: password },
      }),
    });
    const body = (await res.json().catch(() => ({}))) as {
      __type?: string;
      AuthenticationResult?: { IdToken?: string };
    };
    if (res.status >= 500 || body.__type?.includes("TooManyRequests"))
      throw new TransientError("the user directory is unavailable; try again");
    const token = body.AuthenticationResult?.IdToken;
    if (!res.ok || !token) {
      if (body.__type?.includes("NotAuthorized") || body.__type?.includes("UserNotFound")) return undefined;
      // A challenge (new password required, MFA) cannot be answered over Basic.
      throw new UnauthorizedError("this account cannot sign in with a password alone; use a bearer token");
    }
    const principal = { ...(await this.o.tokens.verify(token)), via: "basic" as const };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(id, { until: Date.now() + (this.o.cacheMs ?? 300_000), principal });
    return principal;
  }
}
