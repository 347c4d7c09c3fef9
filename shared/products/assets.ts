// Assets common to every reader: the product object itself, and files found inside it.
import type { Asset } from "../stac/types.ts";
import type { ObjectInfo } from "../storage/object-store.ts";

export function s3Href(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/**
 * `file:checksum` only when S3's ETag is a plain MD5 (single-part upload, no KMS): a multipart ETag
 * (`…-N`) is not a checksum of the content, and we never claim one we did not get.
 */
export function md5Multihash(etag: string | undefined): string | undefined {
  const bare = etag?.replace(/"/g, "").toLowerCase();
  return bare && /^[0-9a-f]{32}$/.test(bare) ? `d50110${bare}` : undefined;
}

export function fileFields(info: Pick<ObjectInfo, "size" | "etag">): Record<string, unknown> {
  const checksum = md5Multihash(info.etag);
  return { "file:size": info.size, ...(checksum ? { "file:checksum": checksum } : {}) };
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
