// Auth services from configuration (the Lambda's composition root): bearer tokens verified against the
// issuer's JWKS (fetched once, cached), HTTP Basic through Cognito's USER_PASSWORD_AUTH.
import { UnauthorizedError } from "../errors.ts";
import { type AccessPolicy, parseAccessPolicy } from "./access-policy.ts";
import { Authenticator, jwtVerifier, type PasswordVerifier } from "./authenticator.ts";
import { CognitoPasswords } from "./cognito-passwords.ts";
import type { AuthServices } from "./guard.ts";
import { remoteKeys } from "./jwt.ts";
import { DEFAULT_SIGNED_LINK_SECONDS, HrefSigner } from "./signed-hrefs.ts";
import { parseSigningKey } from "./signing-key.ts";

const noPasswords: PasswordVerifier = { verify: async () => undefined };

export function authFromConfig(c: {
  access: string | undefined;
  oidcIssuer: string | undefined;
  oidcClientId: string | undefined;
  region: string;
  signingKey?: string | undefined;
  signedLinkSeconds?: number | undefined;
}): AuthServices {
  const policy: AccessPolicy = parseAccessPolicy(c.access);
  const signer = c.signingKey
    ? new HrefSigner(parseSigningKey(c.signingKey), c.signedLinkSeconds ?? DEFAULT_SIGNED_LINK_SECONDS)
    : undefined;
  if (!c.oidcIssuer) {
    // No issuer: nobody can sign in, so only public access works.
    const none = {
      verify: async () => Promise.reject(new UnauthorizedError("this deployment accepts no tokens")),
    };
    return { policy, authenticator: new Authenticator(none, noPasswords), signer };
  }
  const tokens = jwtVerifier(
    remoteKeys(`${c.oidcIssuer.replace(/\/$/, "")}/.well-known/jwks.json`),
    c.oidcIssuer,
    c.oidcClientId,
  );
  const passwords = c.oidcClientId
    ? new CognitoPasswords({ region: c.region, clientId: c.oidcClientId, tokens })
    : noPasswords;
  return { policy, authenticator: new Authenticator(tokens, passwords), signer };
}
