// How what S3 knows of an object's integrity becomes `file:checksum` and hexarchive's own fields: the
// multihash encodings, and composite checksums never passing for a content checksum.
import { createHash } from "node:crypto";
import type { S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { toProduct } from "../../shared/dhus/product.ts";
import {
  assetMd5,
  fileFields,
  MD5_FIELD,
  md5Multihash,
  multihash,
  multihashFromBase64,
  S3_CHECKSUM_FIELD,
  withMd5,
} from "../../shared/products/assets.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { S3ObjectStore } from "../../shared/storage/s3-object-store.ts";

const content = Buffer.from("S2A_MSIL2A product bytes");
const digest = (algorithm: string, data: Uint8Array = content) => createHash(algorithm).update(data).digest();
const sha256Hex = digest("sha256").toString("hex");
const md5Hex = digest("md5").toString("hex");
/** A multipart ETag as S3 forms it: MD5 of the parts' MD5s, then the part count. */
const multipartEtag = `${createHash("md5")
  .update(Buffer.concat([digest("md5"), digest("md5")]))
  .digest("hex")}-2`;

describe("multihash encodings", () => {
  it("turns S3's base64 SHA-256 into a hex multihash 0x12, length 32", () => {
    const base64 = digest("sha256").toString("base64");
    expect(multihashFromBase64("sha2-256", base64)).toBe(`1220${sha256Hex}`);
  });

  it("encodes SHA-1 as 0x11 (length 20) and MD5 as the two-byte varint 0xd5 0x01 (length 16)", () => {
    expect(multihashFromBase64("sha1", digest("sha1").toString("base64"))).toBe(
      `1114${digest("sha1").toString("hex")}`,
    );
    expect(multihash("md5", digest("md5"))).toBe(`d50110${md5Hex}`);
    expect(md5Multihash(`"${md5Hex}"`)).toBe(`d50110${md5Hex}`);
  });

  it("refuses values that are not one whole digest of the named hash", () => {
    expect(multihashFromBase64("sha2-256", digest("sha1").toString("base64"))).toBeUndefined();
    expect(multihashFromBase64("sha2-256", `${digest("sha256").toString("base64")}-3`)).toBeUndefined();
    expect(() => multihash("sha1", digest("md5"))).toThrow(/20 bytes/);
    expect(md5Multihash(multipartEtag)).toBeUndefined();
  });
});

describe("file fields from what S3 reports", () => {
  it("records a single-part upload's ETag as its MD5 multihash, as before", () => {
    expect(fileFields({ size: 25, etag: md5Hex })).toEqual({
      "file:size": 25,
      "file:checksum": `d50110${md5Hex}`,
    });
  });

  it("claims nothing for a multipart ETag without checksums", () => {
    expect(fileFields({ size: 25, etag: multipartEtag })).toEqual({ "file:size": 25 });
  });

  it("keeps a COMPOSITE SHA-256 as S3's checksum, never as file:checksum", () => {
    const composite = createHash("sha256")
      .update(Buffer.concat([digest("sha256"), digest("sha256")]))
      .digest("base64");
    for (const checksumType of ["COMPOSITE", undefined] as const) {
      const fields = fileFields({
        size: 25,
        etag: multipartEtag,
        checksums: { sha256: `${composite}-2` },
        ...(checksumType ? { checksumType } : {}),
      });
      expect(fields["file:checksum"]).toBeUndefined();
      expect(fields[S3_CHECKSUM_FIELD]).toEqual({
        algorithm: "SHA256",
        value: composite,
        type: "COMPOSITE",
        parts: 2,
      });
    }
  });

  it("prefers a FULL_OBJECT SHA-256 for file:checksum and keeps the ETag's MD5 beside it", () => {
    const fields = fileFields({
      size: 25,
      etag: md5Hex,
      checksums: { sha256: digest("sha256").toString("base64") },
      checksumType: "FULL_OBJECT",
    });
    expect(fields["file:checksum"]).toBe(`1220${sha256Hex}`);
    expect(fields[MD5_FIELD]).toBe(md5Hex);
    expect(fields[S3_CHECKSUM_FIELD]).toMatchObject({ algorithm: "SHA256", type: "FULL_OBJECT" });
  });

  it("records a full-object CRC64NVME (S3's default) only as S3's checksum: CRCs have no multihash code", () => {
    const fields = fileFields({
      size: 25,
      etag: multipartEtag,
      checksums: { crc64nvme: "AAAAAAAAAAA=" },
      checksumType: "FULL_OBJECT",
    });
    expect(fields["file:checksum"]).toBeUndefined();
    expect(fields[S3_CHECKSUM_FIELD]).toEqual({
      algorithm: "CRC64NVME",
      value: "AAAAAAAAAAA=",
      type: "FULL_OBJECT",
    });
  });
});

describe("the S3 adapter's HEAD", () => {
  // s3rver implements no additional checksums: a fake client answers HeadObject as S3 does for a
  // two-part upload made with SHA-256 checksums.
  it("asks for checksums and records their type", async () => {
    const sent: Record<string, unknown>[] = [];
    const s3 = {
      send: async (command: { input: Record<string, unknown> }) => {
        sent.push(command.input);
        return {
          ContentLength: 25,
          ETag: `"${multipartEtag}"`,
          ChecksumSHA256: "q83vEjRWeJA=-2",
          ChecksumType: "COMPOSITE",
        };
      },
    } as unknown as S3Client;
    const info = await new S3ObjectStore(s3, "b").head("p.zip");
    expect(sent[0]).toMatchObject({ Bucket: "b", Key: "p.zip", ChecksumMode: "ENABLED" });
    expect(info).toMatchObject({ checksums: { sha256: "q83vEjRWeJA=-2" }, checksumType: "COMPOSITE" });
    expect(fileFields(info!)["file:checksum"]).toBeUndefined();
  });
});

describe("a computed MD5 on the product asset", () => {
  const asset = { href: "s3://b/p.zip", type: "application/zip", roles: ["data"] };

  it("becomes file:checksum when the asset has none, and sits beside a stronger one", () => {
    expect(withMd5(asset, md5Hex)["file:checksum"]).toBe(`d50110${md5Hex}`);
    const strong = withMd5({ ...asset, "file:checksum": `1220${sha256Hex}` }, md5Hex);
    expect(strong["file:checksum"]).toBe(`1220${sha256Hex}`);
    expect(strong[MD5_FIELD]).toBe(md5Hex);
    expect(assetMd5(strong)).toBe(md5Hex);
  });

  it("is the MD5 DHuS offers, wherever it is recorded", () => {
    const item = (product: Record<string, unknown>): StacItem => ({
      type: "Feature",
      stac_version: "1.1.0",
      id: "S2A_MSIL2A_20240601T103021_N0510_R051_T33UWR_20240601T124721",
      collection: "sentinel-2-l2a",
      geometry: null,
      properties: { datetime: "2024-06-01T10:30:21.024Z" },
      links: [],
      assets: { product: { ...asset, ...product } },
    });
    expect(toProduct(item({ "file:checksum": `d50110${md5Hex}` })).archive?.md5).toBe(md5Hex);
    expect(toProduct(item({ "file:checksum": `1220${sha256Hex}`, [MD5_FIELD]: md5Hex })).archive?.md5).toBe(
      md5Hex,
    );
    expect(toProduct(item({ "file:checksum": `1220${sha256Hex}` })).archive?.md5).toBeUndefined();
  });
});
