// A product packed in a zip: one read of the tail, one of the central directory, one per metadata file.
import { ProductError } from "../../errors.ts";
import type { Asset } from "../../stac/types.ts";
import type { ObjectInfo, ObjectStore } from "../../storage/object-store.ts";
import { cachingReader, objectReader } from "../../zip/range-reader.ts";
import { DEFAULT_LIMITS, type ZipLimits } from "../../zip/zip-format.ts";
import { memberRef, readZipMember } from "../../zip/zip-member.ts";
import { openZip, type ZipArchive } from "../../zip/zip-reader.ts";
import { productAsset, s3Href } from "../assets.ts";
import { MEMBER_FIELD } from "../types.ts";
import type { ProductSource } from "./product-source.ts";

const PRODUCT_FOLDER = /^(?:[^/]*\/)*?([^/]+\.(?:SAFE|SEN3))\//i;

export async function openZipSource(
  store: ObjectStore,
  object: ObjectInfo,
  limits: ZipLimits = DEFAULT_LIMITS,
): Promise<ProductSource> {
  const zip = await openZip(cachingReader(objectReader(store, object.key, object.size)), limits);
  return zipSource(zip, store.bucket, object, limits);
}

const RENAMED_FOLDER = /^([^/]+)\/(?:manifest\.safe|xfdumanifest\.xml|MTD_MSIL(?:1C|2A)\.xml)$/;

export function zipSource(
  zip: ZipArchive,
  bucket: string,
  object: ObjectInfo,
  limits: ZipLimits,
): ProductSource {
  // The product folder (`X.SAFE/`) is where its files start; zips without one hold them at the top.
  // A renamed folder is found by the product metadata at its top.
  const named = zip.entries.map((e) => PRODUCT_FOLDER.exec(e.name)).find((m) => m);
  const renamed = named ? undefined : zip.entries.map((e) => RENAMED_FOLDER.exec(e.name)).find((m) => m);
  const root = named?.[1] ?? renamed?.[1] ?? "";
  const prefix = root ? `${root}/` : "";
  const files = zip.entries
    .filter((e) => !e.isDirectory && e.name.startsWith(prefix))
    .map((e) => ({ path: e.name.slice(prefix.length), size: e.size }));
  const href = s3Href(bucket, object.key);
  return {
    root,
    files,
    async read(path) {
      const entry = zip.entry(prefix + path);
      if (!entry) throw new ProductError(`missing ${path} in zipped product ${object.key}`);
      return readZipMember(zip, entry, limits);
    },
    asset(path, fields): Asset {
      const entry = zip.entry(prefix + path);
      return { href, ...fields, ...(entry ? { [MEMBER_FIELD]: memberRef(entry) } : {}) };
    },
    productAssets: () => ({ product: productAsset(bucket, object, "application/zip") }),
  };
}
