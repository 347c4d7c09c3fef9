// Short-lived signed links for tools that cannot send credentials only where they belong. GDAL (and so
// QGIS, rasterio…) follows the API's 302 and sends the user's credentials on to the presigned S3 URL,
// which S3 refuses. A signed link carries the user instead: an HMAC over (user, groups, what it opens,
// expiry), checked in constant time and authorized again, as that user, by shared/auth/authorize.ts.
// Three kinds: an asset link opens one asset of one item (and nothing else), a file link one file inside
// one item's product (the search page's file list); a read link is a GET of a search or an item listing,
// whose results then carry signed asset links (GDAL's STACIT: driver).
import { createHmac, timingSafeEqual } from "node:crypto";
import { UnauthorizedError } from "../errors.ts";
import type { AssetBinding, FileBinding, Principal, SignedClaim } from "./principal.ts";

/** Long enough for a GDAL mosaic to be read, short enough that a leaked link soon stops working. */
export const DEFAULT_SIGNED_LINK_SECONDS = 900;

/** The query parameter that carries a signature. */
export const SIGNATURE_PARAM = "signature";

const DOMAIN = "hexarchive-signed-href/v1\0";
const b64 = (b: Buffer | string) => Buffer.from(b).toString("base64url");

export class HrefSigner {
  constructor(
    private readonly key: Buffer,
    /** Lifetime of the links handed out, in seconds. */
    readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    if (key.length < 32) throw new Error("the href signing key must be at least 32 bytes");
  }

  private mac(payload: string): Buffer {
    return createHmac("sha256", this.key)
      .update(DOMAIN + payload)
      .digest();
  }

  private sign(
    body: Record<string, unknown>,
    ttlSeconds = this.ttlSeconds,
  ): { token: string; expires: number } {
    const expires = Math.floor(this.now() / 1000) + ttlSeconds;
    const payload = b64(JSON.stringify({ ...body, e: expires }));
    return { token: `${payload}.${b64(this.mac(payload))}`, expires };
  }

  /** `ttlSeconds`: a longer life for download lists' refresh links (they open one asset, as one user). */
  signAsset(p: Principal, b: AssetBinding, ttlSeconds?: number) {
    return this.sign(
      { k: "asset", u: p.user, g: p.groups, c: b.collection, i: b.item, a: b.asset },
      ttlSeconds,
    );
  }

  signFile(p: Principal, b: FileBinding) {
    return this.sign({ k: "file", u: p.user, g: p.groups, c: b.collection, i: b.item, f: b.path });
  }

  signRead(p: Principal) {
    return this.sign({ k: "read", u: p.user, g: p.groups });
  }

  /** The claim a token carries; 401 when it is malformed, forged or expired. */
  verify(token: string): SignedClaim {
    const [payload, mac, extra] = token.split(".");
    const bad = new UnauthorizedError("the link's signature is not valid: ask for a new signed link");
    if (!payload || !mac || extra !== undefined) throw bad;
    const given = Buffer.from(mac, "base64url");
    const expected = this.mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw bad;
    let c: Record<string, unknown>;
    try {
      c = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    } catch {
      throw bad;
    }
    const expires = Number(c["e"]);
    if (!(expires * 1000 > this.now()))
      throw new UnauthorizedError("the signed link has expired: ask for a new one (GET /sign?href=…)");
    const principal: Principal = {
      user: String(c["u"]),
      groups: Array.isArray(c["g"]) ? c["g"].map(String) : [],
      via: "signed",
    };
    if (c["k"] === "read") return { kind: "read", principal, expires, token };
    if (c["k"] === "file") {
      const binding = { collection: String(c["c"]), item: String(c["i"]), path: String(c["f"]) };
      return { kind: "file", principal, binding, expires, token };
    }
    if (c["k"] !== "asset") throw bad;
    const binding = { collection: String(c["c"]), item: String(c["i"]), asset: String(c["a"]) };
    return { kind: "asset", principal, binding, expires, token };
  }
}

/** Appends a signature to a URL that may already have a query. */
export function withSignature(href: string, token: string): string {
  return `${href}${href.includes("?") ? "&" : "?"}${SIGNATURE_PARAM}=${token}`;
}
