// Verifies a SigV4 presigned URL the way S3 does (s3rver does not): recomputes the signature from the
// canonical request with node:crypto, and checks the expiry. Written independently of the AWS SDK so
// that tests comparing both catch a mistake in either.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export type Verdict = { ok: true } | { ok: false; status: number; code: string; message: string };

const strict = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data, "utf8").digest();
const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

function decode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, "%20"));
}

/** `rawUrl` is the request target as received (path + query, still encoded). */
export function verifyPresigned(
  method: string,
  rawUrl: string,
  headers: Record<string, string | string[] | undefined>,
  secretFor: (accessKey: string) => string | undefined,
  nowMs = Date.now(),
): Verdict {
  const q = rawUrl.indexOf("?");
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const pairs = (q < 0 ? "" : rawUrl.slice(q + 1))
    .split("&")
    .filter(Boolean)
    .map((p) => {
      const eq = p.indexOf("=");
      return eq < 0 ? [decode(p), ""] : [decode(p.slice(0, eq)), decode(p.slice(eq + 1))];
    }) as [string, string][];
  const get = (k: string) => pairs.find(([n]) => n === k)?.[1];
  const deny = (code: string, message: string): Verdict => ({ ok: false, status: 403, code, message });
  if (get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256")
    return deny("AuthorizationQueryParametersError", "X-Amz-Algorithm must be AWS4-HMAC-SHA256");
  const credential = get("X-Amz-Credential")?.split("/") ?? [];
  const amzDate = get("X-Amz-Date") ?? "";
  const expires = Number(get("X-Amz-Expires"));
  const signed = (get("X-Amz-SignedHeaders") ?? "").split(";").filter(Boolean);
  const signature = get("X-Amz-Signature") ?? "";
  const secret = secretFor(credential[0] ?? "");
  if (credential.length !== 5 || !secret) return deny("InvalidAccessKeyId", "unknown access key");
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m || !Number.isInteger(expires) || expires < 1 || expires > 604_800)
    return deny("AuthorizationQueryParametersError", "X-Amz-Date or X-Amz-Expires is malformed");
  const signedAt = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  if (nowMs > signedAt + expires * 1000) return deny("AccessDenied", "Request has expired");
  if (signedAt > nowMs + 15 * 60_000) return deny("AccessDenied", "Request is not valid yet");
  const canonicalQuery = pairs
    .filter(([n]) => n !== "X-Amz-Signature")
    .map(([n, v]) => [strict(n), strict(v)])
    .sort(([a, x], [b, y]) => (a! < b! ? -1 : a! > b! ? 1 : x! < y! ? -1 : x! > y! ? 1 : 0))
    .map(([n, v]) => `${n}=${v}`)
    .join("&");
  const header = (n: string) => {
    const v = headers[n];
    return (Array.isArray(v) ? v.join(",") : (v ?? "")).trim().replace(/\s+/g, " ");
  };
  const canonicalHeaders = signed.map((n) => `${n}:${header(n)}\n`).join("");
  const payload = get("X-Amz-Content-Sha256") ?? "UNSIGNED-PAYLOAD";
  const canonical = [method, path, canonicalQuery, canonicalHeaders, signed.join(";"), payload].join("\n");
  const scope = credential.slice(1).join("/");
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
  let key = hmac(`AWS4${secret}`, credential[1]!);
  for (const part of credential.slice(2)) key = hmac(key, part);
  const expected = createHmac("sha256", key).update(toSign, "utf8").digest();
  const given = Buffer.from(signature, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return deny(
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided.",
    );
  return { ok: true };
}
