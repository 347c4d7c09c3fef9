// RS256 JSON Web Tokens with node:crypto only: signing (for the local issuer) and offline verification
// against a key set (JWKS), with the checks an OIDC resource server makes (iss, exp, nbf, aud/client_id).
import {
  createPrivateKey,
  createPublicKey,
  type JsonWebKey,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { UnauthorizedError } from "../errors.ts";

export type Claims = Record<string, unknown>;

export interface KeySource {
  /** The public key with this key id, or undefined when the issuer does not publish it. */
  key(kid: string): Promise<KeyObject | undefined>;
}

export interface VerifyOptions {
  issuer: string;
  /** Accepted in `aud` (ID tokens) or `client_id` (Cognito access tokens); any when omitted. */
  audience?: string | undefined;
  /** Seconds since the epoch; tolerance of 30 s either way for clock skew. */
  now?: number;
}

const SKEW = 30;
const b64url = (b: Buffer | string) => Buffer.from(b).toString("base64url");

export function signJwt(claims: Claims, privateKey: KeyObject | string, kid: string): string {
  const key = typeof privateKey === "string" ? createPrivateKey(privateKey) : privateKey;
  const head = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid }));
  const body = b64url(JSON.stringify(claims));
  const sig = sign("RSA-SHA256", Buffer.from(`${head}.${body}`), key);
  return `${head}.${body}.${b64url(sig)}`;
}

function parsePart(part: string | undefined, what: string): Claims {
  try {
    const v = JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8")) as unknown;
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Claims;
  } catch {}
  throw new UnauthorizedError(`invalid bearer token: malformed ${what}`);
}

export async function verifyJwt(token: string, keys: KeySource, o: VerifyOptions): Promise<Claims> {
  const parts = token.split(".");
  if (parts.length !== 3) throw new UnauthorizedError("invalid bearer token: not a JWT");
  const header = parsePart(parts[0], "header");
  if (header["alg"] !== "RS256") throw new UnauthorizedError("invalid bearer token: only RS256 is accepted");
  const key = await keys.key(String(header["kid"] ?? ""));
  if (!key) throw new UnauthorizedError("invalid bearer token: signed with an unknown key");
  const ok = verify(
    "RSA-SHA256",
    Buffer.from(`${parts[0]}.${parts[1]}`),
    key,
    Buffer.from(parts[2]!, "base64url"),
  );
  if (!ok) throw new UnauthorizedError("invalid bearer token: bad signature");
  const claims = parsePart(parts[1], "claims");
  const now = o.now ?? Math.floor(Date.now() / 1000);
  if (claims["iss"] !== o.issuer) throw new UnauthorizedError("invalid bearer token: wrong issuer");
  if (typeof claims["exp"] !== "number" || claims["exp"] + SKEW < now)
    throw new UnauthorizedError("bearer token has expired");
  if (typeof claims["nbf"] === "number" && claims["nbf"] - SKEW > now)
    throw new UnauthorizedError("bearer token is not valid yet");
  if (o.audience !== undefined) {
    const aud = claims["aud"];
    const auds = Array.isArray(aud) ? aud : [aud];
    if (!auds.includes(o.audience) && claims["client_id"] !== o.audience)
      throw new UnauthorizedError("invalid bearer token: issued for another client");
  }
  return claims;
}

/** Keys from a JWKS document held in memory (the local issuer's, or tests'). */
export function staticKeys(jwks: { keys: JsonWebKey[] }): KeySource {
  const byKid = new Map(jwks.keys.map((k) => [String(k["kid"]), createPublicKey({ key: k, format: "jwk" })]));
  return { key: async (kid) => byKid.get(kid) };
}

/**
 * Keys fetched from the issuer's JWKS URL and cached; an unknown kid refetches (key rotation) at most
 * once a minute, so a flood of forged kids cannot turn into a flood of requests to the issuer.
 */
export function remoteKeys(url: string, ttlMs = 3_600_000, fetchFn: typeof fetch = fetch): KeySource {
  let cached: { at: number; source: KeySource } | undefined;
  const load = async () => {
    const res = await fetchFn(url);
    if (!res.ok) throw new Error(`JWKS ${url} answered ${res.status}`);
    cached = { at: Date.now(), source: staticKeys((await res.json()) as { keys: JsonWebKey[] }) };
    return cached.source;
  };
  return {
    async key(kid) {
      const age = cached ? Date.now() - cached.at : Number.POSITIVE_INFINITY;
      const source = cached && age < ttlMs ? cached.source : await load();
      const k = await source.key(kid);
      if (k || age < 60_000) return k;
      return (await load()).key(kid);
    },
  };
}
