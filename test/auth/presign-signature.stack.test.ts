// Presigned URLs are checked independently of s3rver (which ignores signatures): the signature is
// recomputed with @smithy/signature-v4 and with the local front's verifier, and the local stack refuses
// tampered and expired links as S3 does.
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPresigned } from "../../dev/local/sigv4-verify.ts";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { type SecuredStack, startSecuredStack } from "../download/secured-stack.ts";

const product = generateSentinel2Product({ tile: "33UVR", datetime: "2020-02-02T10:00:00.024Z" });
let stack: SecuredStack;
let location: URL;
const toBytes = (d: ArrayBuffer | ArrayBufferView) =>
  ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d);
/** The Checksum smithy wants, on node:crypto. */
class Sha256 {
  private h: Hash | Hmac;
  private readonly secret: Uint8Array | string | undefined;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.secret = secret === undefined || typeof secret === "string" ? secret : toBytes(secret);
    this.h = this.fresh();
  }
  private fresh() {
    return this.secret ? createHmac("sha256", this.secret) : createHash("sha256");
  }
  update(data: string | ArrayBuffer | ArrayBufferView) {
    this.h.update(typeof data === "string" ? data : toBytes(data));
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
  reset() {
    this.h = this.fresh();
  }
}
const secrets = (k: string) => (k === "S3RVER" ? "S3RVER" : undefined);

beforeAll(async () => {
  stack = await startSecuredStack({ presignSeconds: 60 });
  await stack.upload(product.key, product.bytes, "application/zip");
  const res = await stack.get(
    `/collections/sentinel-2-l2a/items/${product.name}/assets/product`,
    stack.basic("demo", "demo-password"),
  );
  location = new URL(res.headers.get("location")!);
});
afterAll(() => stack?.close());

/** Presigns the same request again with smithy, at the URL's own date: equal signatures or a mismatch. */
async function smithySignature(url: URL): Promise<string> {
  const signer = new SignatureV4({
    service: "s3",
    region: "us-east-1",
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) if (!k.startsWith("X-Amz-")) query[k] = v;
  const d = url.searchParams.get("X-Amz-Date")!;
  const signingDate = new Date(
    `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`,
  );
  const signed = await signer.presign(
    {
      method: "GET",
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query,
      headers: { host: url.host, "X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD" },
    },
    { expiresIn: Number(url.searchParams.get("X-Amz-Expires")), signingDate },
  );
  return String(signed.query?.["X-Amz-Signature"]);
}

describe("presigned download links", () => {
  it("carry a signature that smithy's SigV4 recomputes, and that the front's verifier accepts", async () => {
    expect(location.searchParams.get("X-Amz-Expires")).toBe("60");
    expect(await smithySignature(location)).toBe(location.searchParams.get("X-Amz-Signature"));
    const raw = `${location.pathname}${location.search}`;
    expect(verifyPresigned("GET", raw, { host: location.host }, secrets)).toEqual({ ok: true });
  });

  it("no longer match once the query is tampered with", async () => {
    const tampered = new URL(location);
    tampered.searchParams.set("response-content-disposition", 'attachment; filename="other.zip"');
    expect(await smithySignature(tampered)).not.toBe(tampered.searchParams.get("X-Amz-Signature"));
    const v = verifyPresigned(
      "GET",
      `${tampered.pathname}${tampered.search}`,
      { host: tampered.host },
      secrets,
    );
    expect(v).toMatchObject({ ok: false, code: "SignatureDoesNotMatch" });
  });

  it("are refused by the local stack when tampered with or expired, as S3 refuses them", async () => {
    expect((await fetch(location)).status).toBe(200);
    const tampered = new URL(location);
    tampered.pathname = tampered.pathname.replace(/\.zip$/, ".ZIP");
    const res = await fetch(tampered);
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/SignatureDoesNotMatch/);
    const later = Date.now() + 61_000;
    const v = verifyPresigned(
      "GET",
      `${location.pathname}${location.search}`,
      { host: location.host },
      secrets,
      later,
    );
    expect(v).toMatchObject({ ok: false, code: "AccessDenied", message: "Request has expired" });
  });
});
