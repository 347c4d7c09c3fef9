// Assets common to every reader: the product object itself, and files found inside it; and how what S3
// knows of an object's integrity (ETag, additional checksums) is recorded on its asset.
import type { Asset } from "../stac/types.ts";
import type { ObjectInfo } from "../storage/object-store.ts";

export function s3Href(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/** Where the product asset keeps what S3 says of the object's integrity, as S3 says it (see S3Checksum). */
export const S3_CHECKSUM_FIELD = "hexarchive:s3_checksum";
/** The object's MD5 (hex) when `file:checksum` holds a stronger hash: what DHuS clients check. */
export const MD5_FIELD = "hexarchive:md5";

/**
 * Multihash function codes, from the multiformats multicodec table (tag "multihash"). CRC32, CRC32C and
 * CRC64-NVME have none (crc32 and crc64-ecma are listed only as plain "hash" codes, the others not at
 * all), so S3's CRCs never become a `file:checksum`.
 */
const MULTIHASH_CODES = { "sha2-256": 0x12, sha1: 0x11, md5: 0xd5 } as const;
const DIGEST_BYTES = { "sha2-256": 32, sha1: 20, md5: 16 } as const;
export type MultihashName = keyof typeof MULTIHASH_CODES;

const hex = (bytes: Iterable<number>) => Buffer.from([...bytes]).toString("hex");

/** Unsigned LEB128, the varint multihash uses for its code and length. */
function varint(n: number): number[] {
  const out: number[] = [];
  for (; n >= 0x80; n >>>= 7) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return out;
}

/** A multihash as `file:checksum` wants it: hex of <code varint><length varint><digest>. */
export function multihash(name: MultihashName, digest: Uint8Array): string {
  if (digest.length !== DIGEST_BYTES[name])
    throw new Error(`a ${name} digest has ${DIGEST_BYTES[name]} bytes`);
  return hex([...varint(MULTIHASH_CODES[name]), ...varint(digest.length), ...digest]);
}

/** S3 reports digests in base64; undefined when the value is not a whole digest of that hash. */
export function multihashFromBase64(name: MultihashName, base64: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  const digest = Buffer.from(base64, "base64");
  return digest.length === DIGEST_BYTES[name] ? multihash(name, digest) : undefined;
}

const MD5_PREFIX = multihash("md5", new Uint8Array(16)).slice(0, 6);

/** The MD5 (hex) in a plain S3 ETag (single-part upload, no SSE-KMS); a multipart ETag (`…-N`) is none. */
export function etagMd5(etag: string | undefined): string | undefined {
  const bare = etag?.replace(/"/g, "").toLowerCase();
  return bare && /^[0-9a-f]{32}$/.test(bare) ? bare : undefined;
}

/** `d50110…` for a plain-MD5 ETag; undefined for anything else (we never claim a checksum we did not get). */
export function md5Multihash(etag: string | undefined): string | undefined {
  const md5 = etagMd5(etag);
  return md5 ? `${MD5_PREFIX}${md5}` : undefined;
}

/** S3's own checksum of an object, recorded as it is so that a download can be checked against S3's headers. */
export interface S3Checksum {
  /** S3's algorithm name: the header is x-amz-checksum-<algorithm, lower case>. */
  algorithm: "SHA256" | "SHA1" | "CRC64NVME" | "CRC32C" | "CRC32";
  /** Base64, as S3 sends it (without the "-<parts>" suffix of a composite checksum). */
  value: string;
  /** FULL_OBJECT: of the content. COMPOSITE: a checksum of the parts' checksums, not of the content. */
  type: "FULL_OBJECT" | "COMPOSITE";
  /** Number of parts of a composite checksum. */
  parts?: number;
}

const S3_ALGORITHMS = [
  ["sha256", "SHA256"],
  ["sha1", "SHA1"],
  ["crc64nvme", "CRC64NVME"],
  ["crc32c", "CRC32C"],
  ["crc32", "CRC32"],
] as const;

export function s3Checksum(info: Pick<ObjectInfo, "checksums" | "checksumType">): S3Checksum | undefined {
  for (const [field, algorithm] of S3_ALGORITHMS) {
    const raw = info.checksums?.[field];
    if (!raw) continue;
    const m = /^(.+)-(\d+)$/.exec(raw);
    // Without S3's ChecksumType (older S3, emulators) the "-N" suffix is what marks a composite value.
    const type = info.checksumType ?? (m ? "COMPOSITE" : "FULL_OBJECT");
    if (type === "FULL_OBJECT" || !m) return { algorithm, value: raw, type };
    return { algorithm, value: m[1]!, type, parts: Number(m[2]) };
  }
  return undefined;
}

/** A full-object SHA-256 or SHA-1 from S3 as a multihash; composite values and CRCs give none. */
function strongMultihash(c: S3Checksum | undefined): string | undefined {
  if (c?.type !== "FULL_OBJECT") return undefined;
  if (c.algorithm === "SHA256") return multihashFromBase64("sha2-256", c.value);
  if (c.algorithm === "SHA1") return multihashFromBase64("sha1", c.value);
  return undefined;
}

/**
 * `file:size`; `file:checksum`: the strongest content hash S3 gives (full-object SHA-256, then SHA-1,
 * then the MD5 of a plain ETag); the MD5 beside a stronger hash (DHuS clients check MD5); and S3's own
 * checksum as it is, composite or not. Nothing is claimed that S3 did not give.
 */
export function fileFields(
  info: Pick<ObjectInfo, "size" | "etag" | "checksums" | "checksumType">,
): Record<string, unknown> {
  const fields: Record<string, unknown> = { "file:size": info.size };
  const s3 = s3Checksum(info);
  const strong = strongMultihash(s3);
  const md5 = etagMd5(info.etag);
  if (strong) fields["file:checksum"] = strong;
  else if (md5) fields["file:checksum"] = `${MD5_PREFIX}${md5}`;
  if (strong && md5) fields[MD5_FIELD] = md5;
  if (s3) fields[S3_CHECKSUM_FIELD] = s3;
  return fields;
}

/** The MD5 (hex) an asset records, in `file:checksum` or beside a stronger one. */
export function assetMd5(asset: Asset): string | undefined {
  const checksum = asset["file:checksum"];
  if (typeof checksum === "string" && checksum.startsWith(MD5_PREFIX) && checksum.length === 38)
    return checksum.slice(MD5_PREFIX.length);
  const md5 = asset[MD5_FIELD];
  return typeof md5 === "string" && /^[0-9a-f]{32}$/.test(md5) ? md5 : undefined;
}

/** The asset with a computed MD5: as `file:checksum` when it has none, beside it when it has a stronger one. */
export function withMd5(asset: Asset, md5: string): Asset {
  if (!/^[0-9a-f]{32}$/.test(md5)) throw new Error("an MD5 is 32 lower-case hex digits");
  return typeof asset["file:checksum"] === "string"
    ? { ...asset, [MD5_FIELD]: md5 }
    : { ...asset, "file:checksum": `${MD5_PREFIX}${md5}` };
}

export function productAsset(
  bucket: string,
  object: ObjectInfo,
  type: string,
  title = "Product archive",
): Asset {
  return { href: s3Href(bucket, object.key), type, title, roles: ["data"], ...fileFields(object) };
}

const MEDIA_TYPES: [RegExp, string][] = [
  [/\.jp2$/i, "image/jp2"],
  [/\.tiff?$/i, "image/tiff; application=geotiff"],
  [/\.png$/i, "image/png"],
  [/\.jpe?g$/i, "image/jpeg"],
  [/\.(xml|safe|gml|xsd)$/i, "application/xml"],
  [/\.json$/i, "application/json"],
  [/\.nc$/i, "application/x-netcdf"],
  [/\.html?$/i, "text/html"],
  [/\.txt$/i, "text/plain"],
  [/\.zip$/i, "application/zip"],
  [/\.tar$/i, "application/x-tar"],
];

export function mediaType(path: string): string | undefined {
  return MEDIA_TYPES.find(([re]) => re.test(path))?.[1];
}

/** An XML metadata file of a product (manifest, annotation, product metadata) as an asset. */
export function xmlMetadata(title: string): Omit<Asset, "href"> {
  return { title, type: "application/xml", roles: ["metadata"] };
}
